"""The bundled library keeps its coverage and its craft: the numbers a teacher was promised."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence

import pytest

from sourcecheck.authoring.quality import correct_is_longest, missing_feedback, question_sourcing
from sourcecheck.authoring.stats import library_stats
from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.check_forms import load_checks
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import QUESTION_TYPES, MarkQuestion, MultiQuestion, SingleQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.skills import SKILLS


def test_library_loads_clean(library: Library) -> None:
    assert library.problems == []


def test_size_and_coverage(library: Library, catalog) -> None:
    stats = library_stats(library.lessons)
    assert len(library.lessons) >= 8
    assert stats.question_count >= 70
    documents = {e.document.info.id for lesson in library.lessons for e in lesson.excerpts.values()}
    for check in load_checks(PROJECT_ROOT / "checks", catalog):  # a check's texts are ones no lesson quotes
        documents |= {e.document.info.id for form in check.forms.values() for e in form.excerpts.values()}
    assert documents == set(catalog.entries)
    assert set(stats.by_type[stats.by_type > 0].index) >= set(QUESTION_TYPES)
    assert set(stats.labels[stats.labels > 0].index) == set(LABELS)


def test_every_skill_of_the_progression_is_practised(library: Library) -> None:
    stats = library_stats(library.lessons)
    assert stats.by_skill.reindex(list(SKILLS)).min() >= 3, stats.by_skill.to_dict()


# Labels that say where a claim comes from (or that it comes from nowhere): a passage carrying one makes a
# sourced or unsourced claim, so its `sourcing:` must be judged (docs/lesson-format.md, "Judging sourcing").
_SOURCE_LABELS = {"named-source", "unnamed-source", "vague-attribution", "outlet", "document", "corroboration",
                  "no-source"}


def test_every_passage_that_credits_a_claim_carries_a_sourcing_tag(library: Library) -> None:
    untagged = [(lesson.id, e.id) for lesson in library.lessons for e in lesson.lesson.excerpts
                if e.sourcing is None and any(a.label in _SOURCE_LABELS for a in e.annotations)]
    assert untagged == []


def sourcing_disagreements(lessons: Sequence[LoadedLesson]) -> list[str]:
    """Passages quoted in more than one place (the same document, overlapping by more than half the shorter
    one) must carry the same `sourcing:` tag, so the same move gets the same tag everywhere. A part that
    makes no claim of its own (a bare admission, a rule) may go untagged inside a tagged passage; the same
    passage (overlapping by more than half of each) may not be tagged in one place and untagged in another."""
    placed = [(lesson.id, e) for lesson in lessons for e in lesson.excerpts.values()]
    out = []
    for (lesson_a, a), (lesson_b, b) in itertools.combinations(placed, 2):
        common = min(a.end, b.end) - max(a.start, b.start)
        if a.document.info.id != b.document.info.id or common <= 0.5 * min(a.end - a.start, b.end - b.start):
            continue
        tag_a, tag_b = a.excerpt.sourcing, b.excerpt.sourcing
        same_passage = common > 0.5 * max(a.end - a.start, b.end - b.start)
        if tag_a != tag_b and ((tag_a and tag_b) or same_passage):
            out.append(f"{lesson_a}/{a.excerpt.id} is {tag_a or 'untagged'}, {lesson_b}/{b.excerpt.id} is "
                       f"{tag_b or 'untagged'}")
    return out


def test_the_same_passage_gets_the_same_sourcing_tag_everywhere(library: Library) -> None:
    assert sourcing_disagreements(library.lessons) == []


def test_the_tag_check_catches_one_sentence_tagged_two_ways(library: Library) -> None:
    """Quote a tagged excerpt of one lesson in another with a different tag: the check names both."""
    lesson = next(x for x in library.lessons if any(e.excerpt.sourcing == "strong" for e in x.excerpts.values()))
    excerpt = next(e for e in lesson.excerpts.values() if e.excerpt.sourcing == "strong")
    retagged = dataclasses.replace(excerpt, excerpt=excerpt.excerpt.model_copy(update={"sourcing": "mixed"}))
    copy = dataclasses.replace(lesson, lesson=lesson.lesson.model_copy(update={"id": "a-copy"}),
                               excerpts={excerpt.excerpt.id: retagged})
    assert sourcing_disagreements([lesson, copy]) == [
        f"{lesson.id}/{excerpt.excerpt.id} is strong, a-copy/{excerpt.excerpt.id} is mixed"]
    untagged = dataclasses.replace(retagged, excerpt=excerpt.excerpt.model_copy(update={"sourcing": None}))
    assert sourcing_disagreements([lesson, dataclasses.replace(copy, excerpts={excerpt.excerpt.id: untagged})]) == [
        f"{lesson.id}/{excerpt.excerpt.id} is strong, a-copy/{excerpt.excerpt.id} is untagged"]


def test_discernment_a_quarter_of_questions_are_on_strong_sourcing(library: Library) -> None:
    tags = [question_sourcing(lesson, q) for lesson in library.lessons for q in lesson.lesson.questions]
    assert tags.count("strong") / len(tags) >= 0.25, {t: tags.count(t) for t in set(tags)}


def test_at_least_two_compare_lessons(library: Library) -> None:
    """Lessons with a question that sets excerpts from two different documents side by side."""
    compare = [lesson.id for lesson in library.lessons
               if any(len({lesson.excerpts[x].document.info.id for x in q.excerpt_ids}) > 1
                      for q in lesson.lesson.questions)]
    assert len(compare) >= 2, compare


def test_mark_questions_are_spread_over_the_library(library: Library, catalog) -> None:
    """Marking in the passage is practised in several lessons and on several texts, the scholarly blog among
    them, some questions asking for two categories or more at once."""
    marks = [(x, q) for x in library.lessons for q in x.lesson.questions if isinstance(q, MarkQuestion)]
    assert len(marks) >= 5
    assert sum(len(q.labels) >= 2 for _, q in marks) >= 2
    assert len({x.id for x, _ in marks}) >= 3
    documents = {x.bound(q.id).excerpts[0].document.info.id for x, q in marks}
    assert len(documents) >= 3
    assert any(catalog.entries[d].kind == "scholarly blog" for d in documents)


def test_every_mark_question_can_be_marked_perfectly(library: Library) -> None:
    """A student can give each word one category (a new mark replaces any mark it overlaps), so the phrases of
    two categories asked must not share a word: otherwise no marking earns full points. Marking every
    target's words, and nothing else, scores full points."""
    for lesson in library.lessons:
        for question in lesson.lesson.questions:
            if not isinstance(question, MarkQuestion):
                continue
            key = mark_key(lesson.bound(question.id))
            for i, a in enumerate(key.categories):
                for b in key.categories[i + 1:]:
                    shared = sorted(a.required & b.required)
                    assert not shared, (f"{lesson.id}/{question.id}: {[key.words[w].text for w in shared]} are "
                                        f"phrases to find both as {a.label} and as {b.label}")
            marks = []
            for category in key.categories:
                for w in sorted(category.required):  # one mark per run of neighbouring target words
                    if marks and marks[-1][0] == category.label and marks[-1][2] == w - 1:
                        marks[-1][2] = w
                    else:
                        marks.append([category.label, w, w])
            spans = sorted((first, last) for _, first, last in marks)
            assert all(x[1] < y[0] for x, y in itertools.pairwise(spans)), f"{lesson.id}/{question.id}: marks overlap"
            score = score_question(lesson.bound(question.id), marks)
            assert (score.verdict, score.earned) == ("correct", question.points), f"{lesson.id}/{question.id}"


def test_a_projector_lesson_of_five_read_aloud_questions(library: Library) -> None:
    projector = [x for x in library.lessons if len(x.lesson.questions) == 5
                 and {q.type for q in x.lesson.questions} <= {"single", "multi", "true-false"}]
    assert projector, "no 5-question lesson made only of single, multi and true-false questions"


def test_every_wrong_option_has_feedback(library: Library) -> None:
    missing = [(lesson.id, q.id, missing_feedback(q)) for lesson in library.lessons for q in lesson.lesson.questions
               if missing_feedback(q)]
    assert missing == []


def test_options_do_not_give_the_answer_away_by_form(library: Library) -> None:
    choice = [q for lesson in library.lessons for q in lesson.lesson.questions
              if isinstance(q, (SingleQuestion, MultiQuestion))]
    longest = [q.id for q in choice if correct_is_longest(q)]
    assert len(longest) <= len(choice) / 3, f"right option is the longest in {len(longest)} of {len(choice)}: {longest}"
    positions = library_stats(library.lessons).positions
    assert positions.max() <= positions.sum() / 2, f"right option positions cluster: {positions.to_dict()}"


# Words that judge an outlet, an author or the truth of a claim, or that praise one ("careful", "honest", "a
# good sign"): a lesson describes what a text does instead. Quoted text (the document's own words) is removed
# first, so a lesson may quote "fake news" or "compellingly" while explaining it.
_JUDGEMENT = re.compile(
    r"\b(biased|propaganda|liars?|lying|lies|unreliable|untrustworthy|trustworthy|reliable|fake|"
    r"conspiracy theor\w*|is (?:true|false)|are (?:true|false)|debunked|disinformation|misinformation|"
    r"careful(?:ly)?|honest(?:y|ly)?|dishonest\w*|(?:a )?(?:good|bad) sign|sign of care|good journalism|"
    r"bad journalism|credible|reputable|admirable|exemplary|commendable|well-sourced|high-quality)\b",
    re.IGNORECASE)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")


def _teacher_texts(lesson) -> list[str]:
    texts = [lesson.lesson.title, lesson.lesson.summary]
    for e in lesson.lesson.excerpts:
        texts += [a.note for a in e.annotations]
    for q in lesson.lesson.questions:
        texts += [q.prompt, q.explanation or "", getattr(q, "model_answer", "") or "",
                  getattr(q, "feedback_true", "") or "", getattr(q, "feedback_false", "") or ""]
        texts += [f"{o.text} {o.feedback or ''}" for o in getattr(q, "options", [])]
        texts += [f"{i.text} {i.feedback or ''}" for i in getattr(q, "items", [])]
    return texts


def _judgements(lessons) -> list[tuple[str, str]]:
    return [(lesson.id, m.group(0)) for lesson in lessons for text in _teacher_texts(lesson)
            for m in _JUDGEMENT.finditer(_QUOTED.sub("", text))]


def test_neutrality_no_judgement_or_praise_words_outside_quotes(library: Library) -> None:
    assert _judgements(library.lessons) == []


@pytest.mark.parametrize("sentence", [
    "This outlet is biased, but it quotes \"fake news\".",
    "A careful author passes the warning on.",
    "The blog is honest about its limits.",
    "Admitting limits is a good sign.",
    "That is a sign of honesty.",
    "Reuters is a reliable outlet.",
    "This is good journalism.",
    "The column is trustworthy here.",
])
def test_neutrality_check_catches_a_judgement_or_praise(sentence: str) -> None:
    assert _JUDGEMENT.search(_QUOTED.sub("", sentence))


def test_neutrality_check_leaves_quoted_words_alone() -> None:
    assert not _JUDGEMENT.search(_QUOTED.sub("", 'The column calls it “yet more fake news”.'))
    assert not _JUDGEMENT.search(_QUOTED.sub("", 'The review says the book is "not academically careful".'))


def test_neutrality_check_finds_a_planted_sentence_in_a_lesson(library: Library) -> None:
    lesson = library.lessons[0]
    question = lesson.lesson.questions[0]
    planted = question.model_copy(update={"explanation": "Here the author is careful, which is a good sign."})
    model = lesson.lesson.model_copy(update={"questions": [planted, *lesson.lesson.questions[1:]]})
    hits = _judgements([dataclasses.replace(lesson, lesson=model)])
    assert hits == [(lesson.id, "careful"), (lesson.id, "a good sign")]

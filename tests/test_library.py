"""The bundled library keeps its coverage and its craft: the numbers a teacher was promised."""

from __future__ import annotations

import dataclasses
import re

import pytest

from sourcecheck.authoring.quality import compare_lessons, correct_is_longest, missing_feedback, question_sourcing
from sourcecheck.authoring.stats import library_stats
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import QUESTION_TYPES, MultiQuestion, SingleQuestion
from sourcecheck.lessons.skills import SKILLS


def test_library_loads_clean(library: Library) -> None:
    assert library.problems == []


def test_size_and_coverage(library: Library, catalog) -> None:
    stats = library_stats(library.lessons)
    assert len(library.lessons) >= 8
    assert stats.question_count >= 70
    documents = {e.document.info.id for lesson in library.lessons for e in lesson.excerpts.values()}
    assert documents == set(catalog.entries)
    # The bundled lessons get their mark questions when they are converted (issue 11, after the marking branch is
    # merged): until then 'mark' is the one type they may lack. Drop the exception with that conversion.
    assert set(stats.by_type[stats.by_type > 0].index) >= set(QUESTION_TYPES) - {"mark"}
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


def test_discernment_a_quarter_of_questions_are_on_strong_sourcing(library: Library) -> None:
    tags = [question_sourcing(lesson, q) for lesson in library.lessons for q in lesson.lesson.questions]
    assert tags.count("strong") / len(tags) >= 0.25, {t: tags.count(t) for t in set(tags)}


def test_at_least_two_compare_lessons(library: Library) -> None:
    assert len(compare_lessons(library.lessons)) >= 2


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

"""Checks that need more than the schema: ids, documents, quotes, phrases, answer keys and rubrics.

Every check adds to one ProblemCollector (a path in the YAML tree and a message) so the loader can
point at the YAML node, and all of them run, so a teacher sees every problem in one go.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path
from typing import assert_never

from sourcecheck.lessons.catalog import Catalog, Document, safe_document_id
from sourcecheck.lessons.excerpt_warnings import repeated_quote, unused_excerpts
from sourcecheck.lessons.loaded import Candidate, LoadedLesson, PlacedAnnotation, PlacedExcerpt
from sourcecheck.lessons.models import (
    Excerpt,
    Lesson,
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Phrase,
    Question,
    RubricCriterion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.lessons.problems import Loc, Problem, ProblemCollector
from sourcecheck.lessons.textmatch import Normalised, closest_match, find_all, line_breaks, normalise
from sourcecheck.lessons.words import word_range, words

__all__ = ["place_lesson"]


def place_lesson(lesson: Lesson, catalog: Catalog, path: Path,
                 warnings: ProblemCollector | None = None) -> tuple[LoadedLesson | None, list[Problem]]:
    """The placed lesson, or every problem; `warnings` collects what is valid but probably not meant."""
    problems = ProblemCollector()
    _duplicate_ids(lesson, problems)
    documents = _documents(lesson, catalog, problems)
    excerpts: dict[str, PlacedExcerpt] = {}
    for i, excerpt in enumerate(lesson.excerpts):
        placed = _place_excerpt(excerpt, documents.get(excerpt.document or lesson.document), ("excerpts", i), problems,
                                warnings)
        if placed is not None and excerpt.id not in excerpts:
            excerpts[excerpt.id] = placed
    if warnings is not None:
        unused_excerpts(lesson, warnings)
    candidates: dict[str, tuple[Candidate, ...]] = {}
    valid_excerpt_ids = {e.id for e in lesson.excerpts}
    for i, question in enumerate(lesson.questions):
        loc = ("questions", i)
        _question_refs(lesson, question, valid_excerpt_ids, loc, problems)
        _answer_key(question, loc, problems)
        if isinstance(question, ShortQuestion) and question.rubric:
            _rubric(question, loc, problems, warnings)
        if isinstance(question, SpansQuestion) and all(x in excerpts for x in question.excerpt_ids):
            found = _spans_candidates(question, [excerpts[x] for x in question.excerpt_ids], loc, problems, warnings)
            candidates[question.id] = found
            if warnings is not None:
                _comma_splits(question, [excerpts[x] for x in question.excerpt_ids], loc, warnings)
        if isinstance(question, MarkQuestion) and all(x in excerpts for x in question.excerpt_ids):
            _mark_targets(question, excerpts[question.excerpt_ids[0]], loc, problems)
    if problems:
        return None, problems.items
    return LoadedLesson(lesson, path, excerpts, candidates), []


def _duplicate_ids(lesson: Lesson, problems: ProblemCollector) -> None:
    for field, items in (("excerpts", lesson.excerpts), ("questions", lesson.questions)):
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in first:
                problems.add((field, i, "id"), f"duplicate {field[:-1]} id '{item.id}' (also used by {field[:-1]} "
                       f"{first[item.id] + 1}); give each {field[:-1]} its own id")
            first.setdefault(item.id, i)


def _documents(lesson: Lesson, catalog: Catalog, problems: ProblemCollector) -> dict[str, Document]:
    wanted: list[tuple[Loc, str]] = [(("document",), lesson.document)]
    wanted += [(("excerpts", i, "document"), e.document) for i, e in enumerate(lesson.excerpts) if e.document]
    found: dict[str, Document] = {}
    for loc, doc_id in wanted:
        if doc_id in found:
            continue
        if not safe_document_id(doc_id) or doc_id not in catalog:
            known = ", ".join(sorted(catalog.entries)) or "none"
            problems.add(loc, f"document '{doc_id}' is not in seeds/catalog.yaml; known documents: {known}")
            continue
        found[doc_id] = catalog.get(doc_id)
    return found


def _place_excerpt(excerpt: Excerpt, document: Document | None, loc: Loc, problems: ProblemCollector,
                   warnings: ProblemCollector | None = None) -> PlacedExcerpt | None:
    if document is None:
        return None
    doc = document.normalised
    quote = normalise(excerpt.quote).text
    starts = find_all(doc.text, quote)
    if not starts:
        near = closest_match(doc.text, quote, line_breaks(doc))
        differs = near.difference
        problems.add(loc + ("quote",), f"quote not found in {document.info.id}"
                     + (f": {differs.describe()}" if differs else "")
                     + f"; the closest passage is: “{doc.text[near.start:near.end]}”",
                     word=differs.word if differs else None)
        return None
    if warnings is not None:
        repeated_quote(document, starts, loc, warnings)
    start, end = doc.span(starts[0], starts[0] + len(quote))
    annotations = []
    for j, annotation in enumerate(excerpt.annotations):
        span = _phrase_span(quote, annotation, loc + ("annotations", j), problems, starts[0], doc, warnings)
        if span is not None:
            annotations.append(PlacedAnnotation(annotation, span[0] - start, span[1] - start))
    annotations.sort(key=lambda a: (a.start, -a.end))
    return PlacedExcerpt(excerpt, document, start, end, tuple(annotations))


def _phrase_span(quote: str, phrase: Phrase, loc: Loc, problems: ProblemCollector, offset: int,
                 doc: Normalised, warnings: ProblemCollector | None = None) -> tuple[int, int] | None:
    """Document offsets of `phrase` inside a normalised quote found at `offset`; a problem if absent, and a
    warning if its words come more than once and it does not say which time it means."""
    wanted = normalise(phrase.text).text
    hits = find_all(quote, wanted)
    if len(hits) < phrase.occurrence:
        where = "not inside its quote" if not hits else (
            f"found {len(hits)} time{'s' if len(hits) > 1 else ''} in its quote, "
            f"but occurrence is {phrase.occurrence}")
        hint = "copy the words exactly from the quote" if not hits else "lower 'occurrence'"
        problems.add(loc + ("text",), f"“{phrase.text}” is {where}; {hint}")
        return None
    if warnings is not None and len(hits) > 1 and "occurrence" not in phrase.model_fields_set:
        warnings.add(loc + ("text",), f"“{phrase.text}” appears {len(hits)} times in its quote and no 'occurrence:' "
                     f"is given, so this annotation takes the first; to mark another, add "
                     f"{_occurrences(len(hits))}; to keep the first, add 'occurrence: 1'")
    at = offset + hits[phrase.occurrence - 1]
    return doc.span(at, at + len(wanted))


def _occurrences(count: int) -> str:
    return "'occurrence: 2'" if count == 2 else f"'occurrence: 2' (up to {count})"


def _question_refs(lesson: Lesson, question: Question, excerpt_ids: set[str], loc: Loc,
                   problems: ProblemCollector) -> None:
    for ref in question.excerpt_ids:
        if ref not in excerpt_ids:
            problems.add(loc + ("excerpt",), f"no excerpt with id '{ref}'; excerpts in this lesson: "
                   f"{', '.join(sorted(excerpt_ids))}")
    if question.skill not in lesson.skills:
        problems.add(loc + ("skill",), f"skill '{question.skill}' is not in the lesson's skills "
               f"({', '.join(lesson.skills)}); add it there or pick one of those")


def _answer_key(question: Question, loc: Loc, problems: ProblemCollector) -> None:
    match question:
        case SingleQuestion() | MultiQuestion():
            _options_key(question, loc, problems)
        case MatchQuestion():
            for j, item in enumerate(question.items):
                if item.category not in question.categories:
                    problems.add(loc + ("items", j, "category"), f"category '{item.category}' is not in this "
                                 f"question's categories ({', '.join(question.categories)})")
        case SpansQuestion():
            if bool(question.labels) == bool(question.answers):
                problems.add(loc, "a 'spans' question needs either 'labels:' (pick the annotations with these labels) "
                             "or 'answers:' (the phrases to pick), not both and not neither")
        case MarkQuestion():
            _mark_key(question, loc, problems)
        case TrueFalseQuestion() | ShortQuestion():
            pass  # the schema alone fixes their key: a true/false answer, a model answer
        case _:
            assert_never(question)


def _rubric(question: ShortQuestion, loc: Loc, problems: ProblemCollector,
            warnings: ProblemCollector | None) -> None:
    """What the schema cannot say about a rubric: each criterion is named once, its levels run from 0 upwards by
    distinct points (a scorer picks one level, and the total is the sum of the levels picked), and an example
    answer is a student's, not the model answer copied (the scorer anchors on it)."""
    first: dict[str, int] = {}
    model = normalise(question.model_answer).text
    for c, criterion in enumerate(question.rubric or ()):
        at = loc + ("rubric", c)
        name = " ".join(criterion.criterion.casefold().split())
        if name in first:
            problems.add(at + ("criterion",), f"criterion '{criterion.criterion}' is listed twice in this rubric "
                         f"(also criterion {first[name] + 1}); give each criterion its own name, or merge the two")
        first.setdefault(name, c)
        _rubric_levels(criterion, at, problems)
        for j, level in enumerate(criterion.levels):
            if warnings is not None and normalise(level.example).text == model:
                warnings.add(at + ("levels", j, "example"), f"the {level.points}-point example of "
                             f"'{criterion.criterion}' is the model answer word for word; write it as a student at "
                             "this level would answer, so a scorer can compare answers with it")


def _rubric_levels(criterion: RubricCriterion, at: Loc, problems: ProblemCollector) -> None:
    points = [level.points for level in criterion.levels]
    if points[0] != 0:
        problems.add(at + ("levels", 0, "points"), f"the levels of '{criterion.criterion}' start at "
                     f"{_points(points[0])}; start with a level worth 0 (an answer that does not do this yet), "
                     "e.g. 0, 1, 2")
    for j in range(1, len(points)):
        if points[j] == points[j - 1]:
            problems.add(at + ("levels", j, "points"), f"two levels of '{criterion.criterion}' are worth "
                         f"{_points(points[j])}; give each level its own points, "
                         "e.g. 0, 1, 2")
        elif points[j] < points[j - 1]:
            problems.add(at + ("levels", j, "points"), f"the levels of '{criterion.criterion}' must rise: this one is "
                         f"worth {points[j]} after one worth {points[j - 1]}; list them from 0 upwards, e.g. 0, 1, 2")


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _options_key(question: SingleQuestion | MultiQuestion, loc: Loc, problems: ProblemCollector) -> None:
    texts = Counter(o.text for o in question.options)
    for j, option in enumerate(question.options):
        if texts[option.text] > 1:
            problems.add(loc + ("options", j, "text"), f"two options read “{option.text}”; make them different")
            texts[option.text] = 0
    right = sum(o.correct for o in question.options)
    if isinstance(question, SingleQuestion) and right != 1:
        problems.add(loc + ("options",), f"a 'single' question needs exactly one option with 'correct: true'; "
                     f"this one has {right}" + ("; use type: multi for several right answers" if right > 1 else ""),
                     at_key=True)
    if isinstance(question, MultiQuestion) and right == 0:
        problems.add(loc + ("options",), "a 'multi' question needs at least one option with 'correct: true'",
                     at_key=True)


def _mark_key(question: MarkQuestion, loc: Loc, problems: ProblemCollector) -> None:
    if len(question.excerpt_ids) > 1:
        problems.add(loc + ("excerpt",), "a 'mark' question has students mark words in one passage; give one "
                     f"excerpt id, not a list of {len(question.excerpt_ids)}")
    seen: set[str] = set()
    for j, label in enumerate(question.labels):
        if label in seen:
            problems.add(loc + ("labels", j), f"label '{label}' is listed twice; list each category once")
        seen.add(label)


def _mark_targets(question: MarkQuestion, placed: PlacedExcerpt, loc: Loc, problems: ProblemCollector) -> None:
    """Every label asked for must be on at least one annotation of the excerpt, and every such annotation must
    hold a word: otherwise there is nothing to find, or a target no mark can reach."""
    present = list(dict.fromkeys(a.annotation.label for a in placed.annotations))
    found = words(placed.text)
    for label in dict.fromkeys(question.labels):
        if label in present:
            continue
        where = f"no annotation of excerpt '{placed.excerpt.id}' has the label '{label}'"
        if not present:
            problems.add(loc + ("labels", question.labels.index(label)), f"{where}: it has no annotations; the "
                         "phrases to mark are the excerpt's annotations with these labels, so annotate them first")
            continue
        close = difflib.get_close_matches(label, present, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.add(loc + ("labels", question.labels.index(label)),
                     f"{where}{hint}; its annotations have: {', '.join(present)}")
    for a in placed.annotations:
        if a.annotation.label in question.labels and word_range(found, a.start, a.end) is None:
            problems.add(loc + ("labels",), f"the '{a.annotation.label}' annotation “{a.annotation.text}” of excerpt "
                         f"'{placed.excerpt.id}' has no word in it, so no mark can find it; annotate words, not "
                         "only punctuation", at_key=True)
    _shared_words(question, placed, loc, problems)


def _shared_words(question: MarkQuestion, placed: PlacedExcerpt, loc: Loc, problems: ProblemCollector) -> None:
    """A student gives each word one category (a new mark replaces the one it overlaps), so two phrases to find
    in different categories must not share a word: otherwise no marking earns full points."""
    found = words(placed.text)
    asked = [(a, span) for a in placed.annotations if a.annotation.label in question.labels
             and (span := word_range(found, a.start, a.end)) is not None]
    for i, (a, (a_first, a_last)) in enumerate(asked):
        for b, (b_first, b_last) in asked[i + 1:]:
            first, last = max(a_first, b_first), min(a_last, b_last)
            if a.annotation.label == b.annotation.label or first > last:
                continue
            shared = " ".join(w.text for w in found[first:last + 1])
            problems.add(loc + ("labels",), f"the '{a.annotation.label}' phrase “{a.annotation.text}” and the "
                         f"'{b.annotation.label}' phrase “{b.annotation.text}” of excerpt '{placed.excerpt.id}' share "
                         f"“{shared}”: a student gives each word one category, so no marking could earn full points; "
                         "make the two annotations not overlap, or ask for only one of the two labels", at_key=True)


def _spans_candidates(question: SpansQuestion, excerpts: list[PlacedExcerpt], loc: Loc,
                      problems: ProblemCollector, warnings: ProblemCollector | None = None) -> tuple[Candidate, ...]:
    found: dict[tuple[str, int, int], Candidate] = {}
    before = len(problems)
    for placed in excerpts:
        for a in placed.annotations if question.labels else ():
            found[(placed.excerpt.id, a.start, a.end)] = Candidate(
                placed.excerpt.id, placed.text[a.start:a.end], a.start, a.end, a.annotation.label in question.labels)
    for field, correct in (("answers", True), ("distractors", False)):
        for j, item in enumerate(getattr(question, field)):
            phrase = item if isinstance(item, Phrase) else Phrase(text=item)
            candidate = _locate_phrase(phrase, excerpts, correct)
            if candidate is None:
                problems.add(loc + (field, j), f"“{phrase.text}” is not in the question's excerpt"
                                 + (f" {phrase.occurrence} times" if phrase.occurrence > 1 else "")
                                 + "; copy the words exactly from the quote")
                continue
            if warnings is not None:
                _repeated_phrase(item, candidate, excerpts, loc + (field, j), warnings)
            key = (candidate.excerpt_id, candidate.start, candidate.end)
            if key in found and found[key].correct != correct:
                problems.add(loc + (field, j), f"“{phrase.text}” is listed both as an answer and as a "
                                 "distractor")
            found[key] = candidate
    if len(problems) == before:  # otherwise the phrase problems above already explain what is missing
        if not any(c.correct for c in found.values()):
            problems.add(loc, "this 'spans' question has no right phrase to pick: check 'labels:' against the "
                             "excerpt's annotations, or list 'answers:'")
        elif len(found) < 2:
            problems.add(loc, "a 'spans' question needs at least two phrases to choose from; "
                             "add 'distractors:'")
    order = [p.excerpt.id for p in excerpts]
    return tuple(sorted(found.values(), key=lambda c: (order.index(c.excerpt_id), c.start, c.end)))


def _repeated_phrase(item: str | Phrase, candidate: Candidate, excerpts: list[PlacedExcerpt], loc: Loc,
                     warnings: ProblemCollector) -> None:
    """A listed phrase whose words come twice in its excerpt picks the first unless it says otherwise."""
    if isinstance(item, Phrase) and "occurrence" in item.model_fields_set:
        return
    text = next(p.text for p in excerpts if p.excerpt.id == candidate.excerpt_id)
    count = len(find_all(normalise(text).text, normalise(item if isinstance(item, str) else item.text).text))
    if count < 2:
        return
    if isinstance(item, str):
        warnings.add(loc, f"“{item}” appears {count} times in the question's excerpt and no 'occurrence:' is given, "
                     f"so this phrase is the first; to pick another, write it as {{text: {item}, occurrence: 2}}; "
                     f"to keep the first, as {{text: {item}, occurrence: 1}}")
    else:
        warnings.add(loc + ("text",), f"“{item.text}” appears {count} times in the question's excerpt and no "
                     f"'occurrence:' is given, so this phrase is the first; to pick another, add "
                     f"{_occurrences(count)}; to keep the first, add 'occurrence: 1'")


def _comma_splits(question: SpansQuestion, excerpts: list[PlacedExcerpt], loc: Loc,
                  warnings: ProblemCollector) -> None:
    """`answers: [rushed, report finds]` is two phrases: inside [...] a comma ends one. Where the two stand
    side by side in the quote with a comma between them, the teacher most likely meant one phrase."""
    texts = [normalise(placed.text).text for placed in excerpts]
    for field in ("answers", "distractors"):
        items = getattr(question, field)
        for j in range(1, len(items)):
            a, b = items[j - 1], items[j]
            if isinstance(a, str) and isinstance(b, str):
                joined = normalise(f"{a}, {b}").text
                if any(joined in text for text in texts):
                    warnings.add(loc + (field, j - 1), f"“{a}” and “{b}” stand side by side in the quote: inside "
                                 f"[...] a comma ends a phrase, so these are two phrases; if you meant one, put it "
                                 f"in quotes: \"{a}, {b}\"", flow_list_only=True)


def _locate_phrase(phrase: Phrase, excerpts: list[PlacedExcerpt], correct: bool) -> Candidate | None:
    wanted = normalise(phrase.text).text
    for placed in excerpts:
        text = normalise(placed.text)
        hits = find_all(text.text, wanted)
        if len(hits) >= phrase.occurrence:
            at = hits[phrase.occurrence - 1]
            start, end = text.span(at, at + len(wanted))
            return Candidate(placed.excerpt.id, placed.text[start:end], start, end, correct)
    return None

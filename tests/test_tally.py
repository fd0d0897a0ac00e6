"""What the projector counts for spans, match and short questions, and what a student who submits nothing is told.

The questions are docs/examples/type-*.yaml, so the phrases and rows below are the ones a teacher reads in the
docs. Every expected count is worked out by hand from the responses written next to it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mark_lessons import write_mark_library

from sourcecheck.grading.responses import Response, empty_hint
from sourcecheck.grading.tally import Bar, Tally, tally
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import BoundQuestion
from sourcecheck.lessons.loader import Library, load_library
from sourcecheck.lessons.models import QUESTION_TYPES
from sourcecheck.lessons.paths import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "docs" / "examples"


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Every docs/examples/type-*.yaml lesson, on the walkthrough's document."""
    root: Path = tmp_path_factory.mktemp("examples")
    seeds, folder = write_mark_library(root, {p.name: p.read_text(encoding="utf-8")
                                              for p in EXAMPLES.glob("type-*.yaml")})
    library = load_library([folder], load_catalog(seeds))
    assert not library.problems, library.problems
    return library


def bound(library: Library, lesson_id: str, question_id: str) -> BoundQuestion:
    lesson = library.get(lesson_id)
    assert lesson is not None, lesson_id
    return lesson.bound(question_id)


def phrase_index(question: BoundQuestion) -> dict[str, int]:
    return {c.text: i for i, c in enumerate(question.candidates)}


def test_spans_by_labels_count_every_phrase_ticked(examples: Library) -> None:
    question = bound(examples, "example-spans", "find-the-hedges")
    at = phrase_index(question)
    supporters, may = at["Supporters say"], at["may improve"]
    critics, early = at["Critics say"], at["too early to know"]
    answers: list[Response] = [
        [may, early],          # both hedges
        [may],                 # one hedge
        [may, supporters],     # one hedge, one speaker
        [critics, early, 99],  # an index past the phrases counts for nothing
        may,                   # one int, as a stored single pick
        None,                  # answered nothing
        "junk",                # not a response: counts for no phrase
    ]
    assert tally(question, answers) == Tally(7, (
        Bar("Supporters say", 1, False),
        Bar("may improve", 4, True),
        Bar("Critics say", 1, False),
        Bar("too early to know", 2, True),
    ), "phrases")


def test_spans_by_answers_count_distractors_too(examples: Library) -> None:
    question = bound(examples, "example-spans", "find-the-speakers")
    at = phrase_index(question)
    supporters, critics, board = at["Supporters say"], at["Critics say"], at["The board will review"]
    answers: list[Response] = [[supporters, critics], [supporters, board], [board], [board, board], True]
    assert tally(question, answers) == Tally(5, (
        Bar("Supporters say", 2, True),
        Bar("Critics say", 1, True),
        Bar("The board will review", 3, False),  # [board, board] is one student: counted once
    ), "phrases")


def test_match_counts_who_put_each_row_in_its_category(examples: Library) -> None:
    question = bound(examples, "example-match", "sort-sources")
    person, outlet, group = "a named person", "a named outlet", "an unnamed group"
    answers: list[Response] = [
        [person, outlet, group],  # all three right
        [person, group, group],   # the outlet taken for a group
        [outlet, person],         # the first two swapped, the last row missing
        [group],                  # only a first row, and wrong
        [1, 2, 3],                # rows that are not text count for nothing
        None,
    ]
    assert tally(question, answers) == Tally(6, (
        Bar("Priya Raman → a named person", 2, True),
        Bar("the Millbrook Herald → a named outlet", 1, True),
        Bar("some parents → an unnamed group", 2, True),
    ), "rows")


def test_a_short_question_is_written_and_has_no_bars(examples: Library) -> None:
    question = bound(examples, "example-short", "what-to-check")
    answers: list[Response] = ["Ask the bus company.", "Check the district's website.", ""]
    assert tally(question, answers) == Tally(3, (), "written")
    assert tally(question, []) == Tally(0, (), "written")


HINTS = {
    ("example-single", "who-warns"): "Pick one answer, then press Submit.",
    ("example-multi", "what-we-learn"): "Tick at least one box, then press Submit.",
    ("example-true-false", "spokesperson-named"): "Pick True or False, then press Submit.",
    ("example-spans", "find-the-hedges"): "Tick at least one phrase, then press Submit.",
    ("example-mark", "mark-hedges-and-speakers"): "Mark at least one phrase in the passage, then press Submit.",
    ("example-match", "sort-sources"): "Choose a category for every row, then press Submit.",
    ("example-short", "what-to-check"): "Write a few words first, then press Submit.",
}


def test_the_hints_cover_every_question_type(examples: Library) -> None:
    kinds = {bound(examples, *where).question.type for where in HINTS}
    assert kinds == set(QUESTION_TYPES)


@pytest.mark.parametrize(("where", "hint"), HINTS.items(), ids=[q for _, q in HINTS])
def test_empty_hint_says_what_to_do_for_the_type(examples: Library, where: tuple[str, str], hint: str) -> None:
    assert empty_hint(bound(examples, *where)) == hint

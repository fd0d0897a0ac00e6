"""A sorting question is not already sorted by what the lesson showed before it (issue 20, should-fix).

After each answer the student reads the excerpt annotated: every highlighted phrase with its label and note. A
`match` question whose items were nearly all highlighted earlier asks the student to repeat what they were just
shown (reuters-same-standard `quote-motive-verdict` had 4 of 5 such items, strike-headline-body `who-stands-behind`
4 of 6). test_library_leaks catches the case where the labels sort every item; this one limits how many items may
have been highlighted at all, whatever their labels.
"""

from __future__ import annotations

from test_library_leaks import Passage, _items_placed, _overlaps, shown_after

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import MatchQuestion


def items_shown_before(lesson: LoadedLesson) -> dict[str, tuple[int, int]]:
    """For each match question whose items are all words of its passages: (items highlighted earlier, items)."""
    highlights: list[tuple[str, Passage]] = []
    out: dict[str, tuple[int, int]] = {}
    for question in lesson.lesson.questions:
        if isinstance(question, MatchQuestion) and (placed := _items_placed(lesson, question)):
            shown = sum(any(_overlaps(place, where) for _, where in highlights) for _, place in placed)
            out[question.id] = (shown, len(placed))
        highlights += shown_after(lesson, question).highlights
    return out


def test_no_match_question_repeats_a_sort_already_shown(library: Library) -> None:
    found = {f"{lesson.id}/{qid}": f"{shown} of {n}" for lesson in library.lessons
             for qid, (shown, n) in items_shown_before(lesson).items() if shown > 1}
    assert found == {}, f"items highlighted after earlier questions: {found}"


def test_the_two_matches_of_the_issue_are_asked_on_fresh_phrases(library: Library) -> None:
    for lesson_id, question_id in (("reuters-same-standard", "quote-motive-verdict"),
                                   ("strike-headline-body", "who-stands-behind")):
        lesson = library.get(lesson_id)
        assert lesson is not None
        shown, n = items_shown_before(lesson)[question_id]
        assert n >= 4 and shown <= 1, (lesson_id, shown, n)

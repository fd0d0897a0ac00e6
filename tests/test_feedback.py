"""Which feedback a student reads after answering: their picks, right or wrong, and the right ones they missed."""

from __future__ import annotations

import pytest

from sourcecheck.grading.feedback import FeedbackItem
from sourcecheck.grading.feedback import feedback_for as _feedback_for
from sourcecheck.grading.responses import Response
from sourcecheck.lessons.loaded import BoundQuestion, Candidate
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

BASE = {"id": "q", "excerpt": "e", "prompt": "Pick", "skill": "hedges", "explanation": "Because."}

SINGLE = SingleQuestion.model_validate({**BASE, "type": "single", "options": [
    {"text": "Alpha", "feedback": "Alpha is a guess."},
    {"text": "Beta", "correct": True, "feedback": "Right. Beta is named in the text."},
    {"text": "Gamma"},
    {"text": "Delta", "feedback": "Delta is never mentioned."},
]})

MULTI = MultiQuestion.model_validate({**BASE, "type": "multi", "options": [
    {"text": "A", "correct": True, "feedback": "Yes, A is given."},
    {"text": "B", "correct": True, "feedback": "Correct: B is given too."},
    {"text": "C", "feedback": "C is not given."},
    {"text": "D", "feedback": "D is not given either."},
]})

TRUE_FALSE = TrueFalseQuestion.model_validate({**BASE, "type": "true-false", "answer": False,
                                              "feedback_true": "Tempting, but no names are given.",
                                              "feedback_false": "Right. Officials are not named."})

MATCH = MatchQuestion.model_validate({**BASE, "type": "match", "categories": ["named", "unnamed"], "items": [
    {"text": "Reuters", "category": "named"},
    {"text": "officials", "category": "unnamed", "feedback": "No names are given."},
    {"text": "sources", "category": "unnamed"},
]})


def feedback_for(question: Question, response: Response, *, order: list[int] | None = None) -> list[FeedbackItem]:
    return _feedback_for(BoundQuestion(question), response, order=order)


def marks(items: list[FeedbackItem]) -> list[tuple[str, str]]:
    return [(item.text, item.mark) for item in items]


def test_single_wrong_pick_shows_the_pick_and_the_right_answer() -> None:
    items = feedback_for(SINGLE, 0)
    assert marks(items) == [("Alpha", "wrong"), ("Beta", "missed")]
    assert items[0].feedback == "Alpha is a guess."


def test_praise_is_dropped_from_feedback_shown_to_a_student_who_did_not_pick_that_option() -> None:
    missed = feedback_for(SINGLE, 3)[1]
    assert missed.mark == "missed"
    assert missed.feedback == "Beta is named in the text."  # not "Right. Beta ..." after a wrong answer


def test_single_right_pick_keeps_its_praise_and_hides_the_other_options() -> None:
    assert feedback_for(SINGLE, 1) == [FeedbackItem("Beta", "right", "Right. Beta is named in the text.")]


def test_single_pick_without_feedback_still_appears() -> None:
    assert marks(feedback_for(SINGLE, 2)) == [("Gamma", "wrong"), ("Beta", "missed")]


def test_display_order_is_kept_within_picks_and_within_missed() -> None:
    assert marks(feedback_for(MULTI, [3, 2], order=[3, 1, 2, 0])) == [
        ("D", "wrong"), ("C", "wrong"), ("B", "missed"), ("A", "missed")]


@pytest.mark.parametrize(("picked", "expected"), [
    ([0, 1], [("A", "right"), ("B", "right")]),
    ([0], [("A", "right"), ("B", "missed")]),
    ([0, 2], [("A", "right"), ("C", "wrong"), ("B", "missed")]),
    ([3], [("D", "wrong"), ("A", "missed"), ("B", "missed")]),
    ([], [("A", "missed"), ("B", "missed")]),
])
def test_multi(picked: list[int], expected: list[tuple[str, str]]) -> None:
    assert marks(feedback_for(MULTI, picked)) == expected


def test_multi_missed_feedback_loses_its_opening_praise_and_is_capitalised() -> None:
    items = feedback_for(MULTI, [2])
    assert [i.feedback for i in items if i.mark == "missed"] == ["A is given.", "B is given too."]


def test_true_false_wrong_answer_shows_both_sides() -> None:
    items = feedback_for(TRUE_FALSE, True)
    assert marks(items) == [("True", "wrong"), ("False", "missed")]
    assert [i.feedback for i in items] == ["Tempting, but no names are given.", "Officials are not named."]


def test_true_false_right_answer_shows_only_its_own_feedback() -> None:
    assert feedback_for(TRUE_FALSE, False) == [FeedbackItem("False", "right", "Right. Officials are not named.")]


def test_match_reports_every_row_with_the_chosen_and_right_category() -> None:
    items = feedback_for(MATCH, ["named", "named", None])
    assert [(i.text, i.mark, i.chosen_as, i.right_as) for i in items] == [
        ("Reuters", "right", "named", "named"),
        ("officials", "wrong", "named", "unnamed"),
        ("sources", "missed", None, "unnamed"),
    ]
    assert items[1].feedback == "No names are given."


def test_spans_marks_phrases_in_reading_order() -> None:
    candidates = (Candidate("e", "may", 0, 3, True), Candidate("e", "said", 10, 14, False),
                  Candidate("e", "reportedly", 20, 30, True))
    question = SpansQuestion.model_validate({**BASE, "type": "spans", "answers": ["may", "reportedly"]})
    items = _feedback_for(BoundQuestion(question, candidates=candidates), [0, 1])
    assert [(i.text, i.mark) for i in items] == [("may", "right"), ("said", "wrong"), ("reportedly", "missed")]


def test_a_spans_question_cannot_be_graded_without_its_phrases() -> None:
    question = SpansQuestion.model_validate({**BASE, "type": "spans", "answers": ["may"]})
    with pytest.raises(ValueError, match="without its phrases"):
        BoundQuestion(question)


def test_short_has_no_option_feedback() -> None:
    question = ShortQuestion.model_validate({**BASE, "type": "short", "model_answer": "A source."})
    assert feedback_for(question, "my words") == []


def test_in_lesson_every_question_of_the_bundled_lessons(library) -> None:  # type: ignore[no-untyped-def]
    """Whatever a student answers, a scored question always shows at least one line, and never a line for
    an option the student neither chose nor needed."""
    for lesson in library.lessons:
        for question in lesson.lesson.questions:
            if isinstance(question, ShortQuestion):
                continue
            items = _feedback_for(lesson.bound(question.id), None)
            assert items, (lesson.id, question.id)
            assert {i.mark for i in items} == {"missed"}, (lesson.id, question.id)


def test_spans_notes_in_lesson_only_when_asked(library) -> None:  # type: ignore[no-untyped-def]
    lesson, question = next((x, q) for x in library.lessons for q in x.lesson.questions
                            if q.type == "spans" and q.labels)  # phrases taken from the annotations
    bound = lesson.bound(question.id)
    everything = list(range(len(bound.candidates)))
    plain = _feedback_for(bound, everything)
    noted = _feedback_for(bound, everything, with_notes=True)
    assert [i.text for i in plain] == [i.text for i in noted] == [c.text for c in bound.candidates]
    assert all(i.feedback is None for i in plain)
    assert all(i.feedback for i in noted)  # label-based phrases are annotations, each with its note

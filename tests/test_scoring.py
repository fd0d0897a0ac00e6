"""Scoring rules per question type, including the edge cases a real class produces."""

from __future__ import annotations

import pytest

from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.scoring import (
    score_match,
    score_multi,
    score_question,
    score_single,
    score_spans,
    score_true_false,
)
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.sessions.attempts import Attempt
from sourcecheck.sessions.store import AnswerRow


def test_single() -> None:
    assert score_single(2, 2).verdict == "correct"
    assert score_single(2, 0).earned == 0
    assert score_single(2, None).verdict == "incorrect"
    assert score_single(1, 1, points=3).earned == 3


@pytest.mark.parametrize(("picked", "earned", "verdict"), [
    ([], 0.0, "incorrect"),                 # no selection
    ([0, 1], 1.0, "correct"),               # exactly the right ones
    ([0], 0.5, "partial"),                  # half the right ones
    ([0, 2], 0.0, "incorrect"),             # one right, one wrong: (1 - 1) / 2
    ([0, 1, 2], 0.5, "partial"),            # (2 - 1) / 2
    ([0, 1, 2, 3], 0.0, "incorrect"),       # everything selected: floored at 0
    ([2, 3], 0.0, "incorrect"),             # only wrong ones: floored, never negative
    ([0, 0, 1, 1], 1.0, "correct"),         # duplicate submission of the same picks counts once
])
def test_multi_partial_credit(picked: list[int], earned: float, verdict: str) -> None:
    score = score_multi({0, 1}, picked)
    assert (score.earned, score.verdict) == (earned, verdict)


def test_true_false() -> None:
    assert score_true_false(False, False).verdict == "correct"
    assert score_true_false(False, True).verdict == "incorrect"
    assert score_true_false(True, None).verdict == "incorrect"


@pytest.mark.parametrize(("picked", "earned"), [
    ([], 0.0),                       # nothing picked
    ([0, 1], 1.0),                   # exactly right
    ([0], 0.6667),                   # precision 1, recall 1/2 -> F1 2/3
    ([0, 1, 2, 3], 0.6667),          # all picked: precision 1/2, recall 1 -> F1 2/3
    ([2, 3], 0.0),                   # only distractors
    ([0, 0, 1], 1.0),                # duplicates count once
])
def test_spans_f1(picked: list[int], earned: float) -> None:
    assert score_spans({0, 1}, picked).earned == earned


def test_match_credit_per_row() -> None:
    key = ["outlet", "person", "outlet", "unnamed"]
    assert score_match(key, ["outlet", "person", "outlet", "unnamed"]).verdict == "correct"
    assert score_match(key, ["outlet", "outlet", "outlet", None]).earned == 0.5
    assert score_match(key, []).earned == 0.0                 # nothing answered
    assert score_match(key, ["outlet"], points=4).earned == 1.0  # short response: missing rows earn nothing


def test_points_scale_fractions() -> None:
    assert score_multi({0, 1}, [0], points=4).earned == 2.0


def test_short_is_never_scored(library: Library) -> None:
    lesson = library.get("raqqa-who-says")
    short = next(q for q in lesson.lesson.questions if isinstance(q, ShortQuestion))
    score = score_question(lesson.bound(short.id), "anything at all")
    assert (score.verdict, score.possible) == ("unscored", 0)


def test_bundled_lesson_scores_its_own_key(library: Library) -> None:
    """Answering each question with its key scores full marks; answering nothing scores zero."""
    lesson = library.get("raqqa-who-says")
    for question in lesson.lesson.questions:
        if isinstance(question, ShortQuestion):
            continue
        key = _key(lesson, question)
        assert score_question(lesson.bound(question.id), key).verdict == "correct", question.id
        assert score_question(lesson.bound(question.id), None).earned == 0, question.id


def test_garbage_responses_score_zero_not_crash(library: Library) -> None:
    lesson = library.get("raqqa-who-says")
    for question in lesson.lesson.questions:
        for junk in ("x", [True, "y"], {"a": 1}, -1, 99):
            score = score_question(lesson.bound(question.id), junk)  # type: ignore[arg-type]
            assert score.earned == 0 or score.verdict == "unscored"


def test_attempt_records_each_question_once() -> None:
    attempt = Attempt(1, ["a", "b"])
    first = _row("a", 0)
    assert attempt.record(first) is True
    assert attempt.record(_row("a", 1)) is False   # a rerun or double click
    assert attempt.answers["a"] is first
    assert attempt.record(_row("zzz", 1)) is False  # not part of this attempt
    assert list(attempt.answers) == ["a"]


def _row(question_id: str, response: int) -> AnswerRow:
    return AnswerRow(participant_id=1, lesson_id="l", lesson_hash="h", attempt=1, question_id=question_id,
                     response=response, earned=1.0, possible=1, verdict="correct")


def _key(lesson, question):
    kind = question.type
    if kind == "single":
        return next(i for i, o in enumerate(question.options) if o.correct)
    if kind == "multi":
        return [i for i, o in enumerate(question.options) if o.correct]
    if kind == "true-false":
        return question.answer
    if kind == "spans":
        return [i for i, c in enumerate(lesson.bound(question.id).candidates) if c.correct]
    if kind == "mark":
        return [[t.label, t.first, t.last] for t in mark_key(lesson.bound(question.id)).targets]
    return [item.category for item in question.items]


def test_responses_are_read_one_way_by_scoring_feedback_and_summary(library: Library) -> None:
    """A stored response means the same picks to the score, the feedback and the summary line."""
    from sourcecheck.grading.describe import describe_response
    from sourcecheck.grading.feedback import feedback_for
    from sourcecheck.grading.responses import match_rows, picked_indexes

    assert picked_indexes(2) == {2} and picked_indexes([1, 1, True, "x", 3]) == {1, 3}
    assert picked_indexes(True) == set() and picked_indexes("2") == set()
    assert match_rows(["a", 3, None, "b", "extra"], 4) == ["a", None, None, "b"]
    assert match_rows("a", 2) == [None, None]

    lesson = library.get("raqqa-who-says")
    multi = next(q for q in lesson.lesson.questions if q.type == "multi")
    right = next(i for i, o in enumerate(multi.options) if o.correct)
    for response in (right, [right]):  # a bare int and a one-item list are the same pick everywhere
        assert score_question(lesson.bound(multi.id), response).earned > 0
        chosen = [f.text for f in feedback_for(lesson.bound(multi.id), response) if f.mark != "missed"]
        assert chosen == [multi.options[right].text]
        assert describe_response(lesson.bound(multi.id), response) == multi.options[right].text

"""Review 19 L8: the Reteach card on Results for a rubric question says its answers are there and wait for a score,
instead of "nobody answered yet" (or "0 answered") until the teacher has scored them."""

from __future__ import annotations

from sourcecheck.classroom.results import ReteachRow
from sourcecheck.ui.dashboard_view import _card


def row(answered: int, share: float | None, waiting: int) -> ReteachRow:
    return ReteachRow(7, "why", "Why?", "Find the claim and who makes it", answered, share, "—", 0, waiting)


def test_a_written_question_not_yet_scored_shows_its_answers_waiting() -> None:
    assert "4 answered, not scored yet" in _card(row(0, None, 4))
    assert "nobody answered yet" in _card(row(0, None, 0))


def test_partly_scored_says_how_many_wait() -> None:
    card = _card(row(3, 2 / 3, 1))
    assert "**67% fully right** (3 answered, 1 more not scored yet)" in card
    assert "(30 answered)" in _card(row(30, 0.5, 0))  # every answer scored: as before

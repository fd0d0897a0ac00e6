"""What counts as an answer: read_response turns what the widgets held (a typed raw answer) into the stored
response, and refuses what no widget of the question could hold (a tampered browser)."""

from __future__ import annotations

import pytest

from sourcecheck.grading.raw import MarkState, MatchPicks, PickedOne, PickedTruth, RawAnswer, Ticked, Written
from sourcecheck.grading.responses import MAX_SHORT_ANSWER, Response, read_response
from sourcecheck.lessons.loaded import BoundQuestion
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)

BASE = {"id": "q", "excerpt": "e", "prompt": "Pick", "skill": "hedges", "explanation": "Because."}
OPTIONS = [{"text": "A"}, {"text": "B", "correct": True}, {"text": "C"}]

SINGLE = BoundQuestion(SingleQuestion.model_validate({**BASE, "type": "single", "options": OPTIONS}))
MULTI = BoundQuestion(MultiQuestion.model_validate({**BASE, "type": "multi", "options": OPTIONS}))
TRUE_FALSE = BoundQuestion(TrueFalseQuestion.model_validate({**BASE, "type": "true-false", "answer": False}))
MATCH = BoundQuestion(MatchQuestion.model_validate({**BASE, "type": "match", "categories": ["named", "unnamed"],
                                                    "items": [{"text": "Reuters", "category": "named"},
                                                              {"text": "officials", "category": "unnamed"}]}))
SHORT = BoundQuestion(ShortQuestion.model_validate({**BASE, "type": "short", "model_answer": "A named source."}))

HUGE = 2**63


@pytest.mark.parametrize(("bound", "raw", "kept"), [
    (SINGLE, PickedOne(2), 2),
    (SINGLE, PickedOne(0), 0),
    (SINGLE, PickedOne(None), None),
    (SINGLE, PickedOne(3), None),                          # past the last option
    (SINGLE, PickedOne(99), None),
    (SINGLE, PickedOne(-1), None),
    (SINGLE, PickedOne(HUGE), None),
    (SINGLE, PickedOne(True), None),                       # a bool is not an index
    (SINGLE, PickedOne("1"), None),  # type: ignore[arg-type]
    (SINGLE, PickedTruth(True), None),                     # another question type's shape
    (MULTI, Ticked(frozenset({2, 0})), [0, 2]),            # sorted, in YAML order
    (MULTI, Ticked(frozenset()), None),
    (MULTI, Ticked(frozenset({1, 99})), None),             # one index no box could send spoils the answer
    (MULTI, Ticked(frozenset({-1})), None),
    (MULTI, Ticked(frozenset({HUGE})), None),
    (MULTI, Ticked(frozenset({True})), None),
    (MULTI, PickedOne(1), None),
    (TRUE_FALSE, PickedTruth(False), False),
    (TRUE_FALSE, PickedTruth(True), True),
    (TRUE_FALSE, PickedTruth(None), None),
    (TRUE_FALSE, PickedTruth(0), None),  # type: ignore[arg-type]
    (TRUE_FALSE, PickedOne(0), None),
    (MATCH, MatchPicks(("named", "unnamed")), ["named", "unnamed"]),
    (MATCH, MatchPicks(("named", None)), None),            # every row needs a category
    (MATCH, MatchPicks(("named", "other")), None),         # not one of the question's categories
    (MATCH, MatchPicks(("named",)), None),                 # a row short
    (MATCH, MatchPicks(("named", "unnamed", "named")), None),
    (SHORT, Written("  I would ask who said it.  "), "I would ask who said it."),
    (SHORT, Written(" \n\t "), None),
    (SHORT, Written(None), None),
    (SHORT, Written("x" * (MAX_SHORT_ANSWER + 50)), "x" * MAX_SHORT_ANSWER),
    (SHORT, MarkState("text"), None),
])
def test_what_counts_as_an_answer(bound: BoundQuestion, raw: RawAnswer, kept: Response) -> None:
    got = read_response(bound, raw)
    assert got == kept and type(got) is type(kept)

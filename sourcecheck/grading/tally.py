"""How a class answered one question, counted per option, phrase or row: what the projector reveals.

Counts come from the stored responses through the same readers scoring uses (picked_indexes,
match_rows), so the projector can never disagree with the scores about what a student picked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import assert_never

from sourcecheck.grading.responses import Response, match_rows, picked_indexes
from sourcecheck.lessons.loaded import BoundQuestion
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["Bar", "Tally", "tally"]


@dataclass(frozen=True)
class Bar:
    label: str  # the option, phrase or match row, as the student read it
    count: int  # students who picked it (match: who put the row in the right category)
    correct: bool  # a right answer (match: always True, the bar counts right placements)


@dataclass(frozen=True)
class Tally:
    answered: int
    bars: tuple[Bar, ...]
    kind: str  # "options", "phrases", "rows" or "written": how the projector titles the chart


def tally(bound: BoundQuestion, responses: Iterable[Response]) -> Tally:
    answers = list(responses)
    question = bound.question
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        counts = Counter(i for r in answers for i in picked_indexes(r))
        return Tally(len(answers), tuple(Bar(o.text, counts[i], o.correct) for i, o in enumerate(question.options)),
                     "options")
    if isinstance(question, TrueFalseQuestion):
        picked = Counter(r for r in answers if isinstance(r, bool))
        return Tally(len(answers), (Bar("True", picked[True], question.answer),
                                    Bar("False", picked[False], not question.answer)), "options")
    if isinstance(question, SpansQuestion):
        counts = Counter(i for r in answers for i in picked_indexes(r))
        return Tally(len(answers), tuple(Bar(c.text, counts[i], c.correct) for i, c in enumerate(bound.candidates)),
                     "phrases")
    if isinstance(question, MatchQuestion):
        rows = [match_rows(r, len(question.items)) for r in answers]
        return Tally(len(answers), tuple(
            Bar(f"{item.text} → {item.category}", sum(row[j] == item.category for row in rows), True)
            for j, item in enumerate(question.items)), "rows")
    if isinstance(question, ShortQuestion):
        return Tally(len(answers), (), "written")
    assert_never(question)

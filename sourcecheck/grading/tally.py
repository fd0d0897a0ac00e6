"""How a class answered one question, counted per option, phrase or row: what the projector reveals.

Counts come from the stored responses through the same readers scoring uses (picked_indexes,
match_rows, mark_ranges), so the projector can never disagree with the scores about what a student picked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import assert_never

from sourcecheck.grading.marking import mark_key, marked_words
from sourcecheck.grading.responses import Response, match_rows, picked_indexes
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import BoundQuestion
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["Bar", "Tally", "mark_counts", "tally"]


@dataclass(frozen=True)
class Bar:
    label: str  # the option, phrase or match row, as the student read it
    count: int  # students who picked it (match: who put the row in the right category; mark: who found it all)
    correct: bool  # a right answer (match: always True, the bar counts right placements)


@dataclass(frozen=True)
class Tally:
    answered: int
    bars: tuple[Bar, ...]
    kind: str  # "options", "phrases", "targets", "rows" or "written": how the projector titles the chart


def tally(bound: BoundQuestion, responses: Iterable[Response]) -> Tally:
    answers = list(responses)
    question = bound.question
    match question:
        case SingleQuestion() | MultiQuestion():
            counts = Counter(i for r in answers for i in picked_indexes(r))
            return Tally(len(answers), tuple(Bar(o.text, counts[i], o.correct) for i, o in enumerate(question.options)),
                         "options")
        case TrueFalseQuestion():
            picked = Counter(r for r in answers if isinstance(r, bool))
            return Tally(len(answers), (Bar("True", picked[True], question.answer),
                                        Bar("False", picked[False], not question.answer)), "options")
        case SpansQuestion():
            counts = Counter(i for r in answers for i in picked_indexes(r))
            return Tally(len(answers), tuple(Bar(c.text, counts[i], c.correct) for i, c in enumerate(bound.candidates)),
                         "phrases")
        case MarkQuestion():
            key = mark_key(bound)
            marked = [{c.label: marked_words(key.marks(r), c.label) for c in key.categories} for r in answers]
            required = {c.label: c.required for c in key.categories}
            bars = []
            for t in key.targets:
                wanted = set(range(t.first, t.last + 1)) & required[t.label]
                bars.append(Bar(f"{LABELS[t.label].title}: “{' '.join(t.text.split())}”",
                                sum(wanted <= m[t.label] for m in marked), True))
            return Tally(len(answers), tuple(bars), "targets")
        case MatchQuestion():
            rows = [match_rows(r, len(question.items)) for r in answers]
            return Tally(len(answers), tuple(
                Bar(f"{item.text} → {item.category}", sum(row[j] == item.category for row in rows), True)
                for j, item in enumerate(question.items)), "rows")
        case ShortQuestion():
            return Tally(len(answers), (), "written")
        case _:
            assert_never(question)


def mark_counts(bound: BoundQuestion, responses: Iterable[Response]) -> dict[str, list[int]]:
    """Per label asked, per word of the passage: how many students marked that word with that label (a student's
    overlapping marks count once). What the projector's and the dashboard's heat maps draw."""
    key = mark_key(bound)
    counts = {c.label: [0] * len(key.words) for c in key.categories}
    for response in responses:
        marks = key.marks(response)
        for label, row in counts.items():
            for i in marked_words(marks, label):
                row[i] += 1
    return counts

"""Scoring: pure functions, one per question type, that need no UI and no storage.

`score_question` runs once per answer, when sessions/progress.py stores it: the score is stored with
the response, and feedback, the summary and the teacher's pages all show that stored score, so a student
and their teacher never see two different scores for one answer (say, after the lesson's key was edited).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, assert_never

from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.responses import Response, match_rows, picked_indexes
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

__all__ = [
    "Score", "Verdict", "score_mark", "score_match", "score_multi", "score_question", "score_single", "score_spans",
    "score_true_false",
]

Verdict = Literal["correct", "partial", "incorrect", "unscored"]


@dataclass(frozen=True)
class Score:
    earned: float
    possible: int
    verdict: Verdict

    @property
    def fraction(self) -> float:
        return self.earned / self.possible if self.possible else 0.0


def _score(fraction: float, points: int) -> Score:
    fraction = min(max(fraction, 0.0), 1.0)
    verdict: Verdict = "correct" if fraction >= 1.0 else "partial" if fraction > 0 else "incorrect"
    return Score(round(fraction * points, 4), points, verdict)


def score_single(correct_index: int, picked: int | None, points: int = 1) -> Score:
    return _score(1.0 if picked == correct_index else 0.0, points)


def score_multi(correct: set[int], picked: Iterable[int], points: int = 1) -> Score:
    """(right picks - wrong picks) / number of right options, floored at 0; repeats count once."""
    chosen = set(picked)
    right, wrong = len(chosen & correct), len(chosen - correct)
    return _score((right - wrong) / len(correct) if correct else 0.0, points)


def score_true_false(answer: bool, picked: bool | None, points: int = 1) -> Score:
    return _score(1.0 if picked is not None and picked == answer else 0.0, points)


def score_spans(correct: set[int], picked: Iterable[int], points: int = 1) -> Score:
    """F1 of precision and recall over the phrases: picking everything is not a free pass."""
    chosen = set(picked)
    hits = len(chosen & correct)
    if not hits:
        return _score(0.0, points)
    precision, recall = hits / len(chosen), hits / len(correct)
    return _score(2 * precision * recall / (precision + recall), points)


def score_mark(f1_per_category: Sequence[float], points: int = 1) -> Score:
    """The mean of the categories' F1 (grading/marking.py has the rule)."""
    return _score(sum(f1_per_category) / len(f1_per_category) if f1_per_category else 0.0, points)


def score_match(key: Sequence[str], picked: Sequence[str | None], points: int = 1) -> Score:
    """Credit per correctly classified row; a missing row earns nothing."""
    rows = match_rows(list(picked), len(key))
    right = sum(1 for want, got in zip(key, rows, strict=True) if got == want)
    return _score(right / len(key), points)


def score_question(bound: BoundQuestion, response: Response) -> Score:
    """Dispatch on the question type; responses are indexes into the YAML order, never display order."""
    question = bound.question
    match question:
        case SingleQuestion():
            correct = next(i for i, o in enumerate(question.options) if o.correct)
            return score_single(correct, _as_int(response), question.points)
        case MultiQuestion():
            return score_multi({i for i, o in enumerate(question.options) if o.correct}, picked_indexes(response),
                               question.points)
        case TrueFalseQuestion():
            return score_true_false(question.answer, response if isinstance(response, bool) else None, question.points)
        case SpansQuestion():
            return score_spans({i for i, c in enumerate(bound.candidates) if c.correct}, picked_indexes(response),
                               question.points)
        case MarkQuestion():
            return score_mark([c.f1 for c in mark_key(bound).score(response)], question.points)
        case MatchQuestion():
            return score_match([item.category for item in question.items], match_rows(response, len(question.items)),
                               question.points)
        case ShortQuestion():
            return Score(0.0, 0, "unscored")
        case _:
            assert_never(question)


def _as_int(response: Response) -> int | None:
    return response if isinstance(response, int) and not isinstance(response, bool) else None

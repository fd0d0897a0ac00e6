"""A teacher's score of a written answer, from the levels they picked on a short question's rubric.

Pure and small on purpose: the scoring page calls `written_score` once, when the teacher saves, and the store keeps
the result on the answer row (for the first scorer), so every figure reads the one stored score and none computes
it again. The verdict follows the same fractions as the machine-scored questions (grading/scoring.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sourcecheck.grading.scoring import Score, Verdict
from sourcecheck.lessons.models import RubricCriterion

__all__ = ["CriterionLevel", "TeacherScore", "WrittenResult", "rubric_max", "written_result", "written_score"]


class TeacherScore(Protocol):
    """A teacher's stored score as the student's summary reads it (sessions.store.WrittenScoreRow has this shape)."""

    @property
    def levels(self) -> tuple[int, ...]: ...

    @property
    def comment(self) -> str: ...


@dataclass(frozen=True)
class CriterionLevel:
    """The level a teacher gave on one criterion: its points out of the criterion's most, and what it says."""

    criterion: str
    points: int
    most: int
    descriptor: str


@dataclass(frozen=True)
class WrittenResult:
    """A rubric question's answer in the student's summary: waiting for the teacher, or their score's levels and
    comment (the points themselves are the answer row's stored score)."""

    waiting: bool
    levels: tuple[CriterionLevel, ...] = ()
    comment: str = ""


def rubric_max(rubric: Sequence[RubricCriterion]) -> int:
    """The points a rubric is worth: each criterion's highest level, summed."""
    return sum(max(level.points for level in criterion.levels) for criterion in rubric)


def written_score(rubric: Sequence[RubricCriterion], levels: Sequence[int]) -> Score:
    """The score for one level picked per criterion (in the rubric's order). Each level must be one of its
    criterion's points, else ValueError: a score the rubric cannot give is never stored."""
    if len(levels) != len(rubric):
        raise ValueError(f"{len(levels)} levels given for a rubric of {len(rubric)} criteria")
    for criterion, picked in zip(rubric, levels, strict=True):
        allowed = sorted({level.points for level in criterion.levels})
        if isinstance(picked, bool) or picked not in allowed:
            raise ValueError(f"{picked!r} is not a level of {criterion.criterion!r} (one of {allowed})")
    possible = rubric_max(rubric)
    earned = sum(levels)
    fraction = earned / possible if possible else 0.0
    verdict: Verdict = "correct" if fraction >= 1.0 else "partial" if fraction > 0 else "incorrect"
    return Score(float(earned), possible, verdict)


def written_result(rubric: Sequence[RubricCriterion], stored: Score, teacher: TeacherScore | None) -> WrittenResult:
    """What the summary shows for an answer to a rubric question. Waiting while the stored score is "unscored" (no
    first scorer yet). Levels the rubric no longer has (the lesson was edited since) are left out, never guessed."""
    if stored.verdict == "unscored":
        return WrittenResult(waiting=True)
    if teacher is None:
        return WrittenResult(waiting=False)
    levels = []
    for criterion, picked in zip(rubric, teacher.levels, strict=False):
        level = next((lv for lv in criterion.levels if lv.points == picked), None)
        if level is not None:
            levels.append(CriterionLevel(criterion.criterion, picked, max(lv.points for lv in criterion.levels),
                                         level.descriptor))
    return WrittenResult(waiting=False, levels=tuple(levels), comment=teacher.comment)

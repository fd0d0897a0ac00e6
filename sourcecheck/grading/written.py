"""A teacher's score of a written answer, from the levels they picked on a short question's rubric.

Pure and small on purpose: the scoring page calls `written_score` once, when the teacher saves, and the store keeps
the result on the answer row (for the first scorer), so every figure reads the one stored score and none computes
it again. The verdict follows the same fractions as the machine-scored questions (grading/scoring.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from sourcecheck.grading.scoring import Score, Verdict
from sourcecheck.lessons.models import RubricCriterion

__all__ = ["rubric_max", "written_score"]


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

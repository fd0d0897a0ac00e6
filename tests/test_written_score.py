"""A written answer's score from a rubric: the levels a teacher picks, summed; nothing the rubric cannot give."""

from __future__ import annotations

import pytest

from sourcecheck.grading.scoring import Score
from sourcecheck.grading.written import rubric_max, written_score
from sourcecheck.lessons.models import RubricCriterion, RubricLevel


def _criterion(name: str, *points: int) -> RubricCriterion:
    return RubricCriterion(criterion=name, levels=[RubricLevel(points=p, descriptor=f"level {p}", example=f"ex {p}")
                                                   for p in points])


RUBRIC = [_criterion("Who is behind it", 0, 1, 2), _criterion("What is the evidence", 0, 2, 1)]


def test_rubric_max_sums_each_criterions_highest_level() -> None:
    assert rubric_max(RUBRIC) == 4
    assert rubric_max([_criterion("One", 0, 3)]) == 3


def test_written_score_sums_the_levels_with_a_verdict_by_fraction() -> None:
    assert written_score(RUBRIC, [2, 2]) == Score(4.0, 4, "correct")
    assert written_score(RUBRIC, [1, 0]) == Score(1.0, 4, "partial")
    assert written_score(RUBRIC, [0, 0]) == Score(0.0, 4, "incorrect")


@pytest.mark.parametrize("levels", [[3, 0], [1], [1, 1, 1], [-1, 0], [True, 0]])
def test_a_level_the_rubric_cannot_give_is_refused(levels: list[int]) -> None:
    with pytest.raises(ValueError):
        written_score(RUBRIC, levels)

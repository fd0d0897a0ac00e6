"""Gains across checks (analytics/gains.py) against values worked by hand, with reproducible intervals."""

from __future__ import annotations

import math

import pytest

from sourcecheck.analytics.gains import Scores, check_scores, class_gains, student_gain
from sourcecheck.analytics.intervals import BadInput, Problem

# Three students, shares correct before the lesson, right after it and three weeks later:
#   ana 0.40 -> 0.80 -> 0.60: gain 0.40, retained 0.20, retention 0.20 / 0.40 = 0.50
#   ben 0.50 -> 0.50 -> 0.60: gain 0 (no retention: nothing to divide by), retained 0.10
#   cai 0.20 -> 0.70 -> (missed the delayed check): gain 0.50, retained None
# Class: gain (0.40 + 0 + 0.50) / 3 = 0.30; over ana and ben (who took the delayed check) the retained gain is
# (0.20 + 0.10) / 2 = 0.15 and the retention 0.15 / mean(0.40, 0) = 0.15 / 0.20 = 0.75.
CLASS = [Scores("ana", 0.4, 0.8, 0.6), Scores("ben", 0.5, 0.5, 0.6), Scores("cai", 0.2, 0.7)]


def test_per_student_by_hand() -> None:
    ana, ben, cai = (student_gain(s) for s in CLASS)
    assert (ana.gain, ana.retained_gain, ana.retention) == pytest.approx((0.4, 0.2, 0.5))
    assert ben.gain == 0 and ben.retained_gain == pytest.approx(0.1) and ben.retention is None
    assert cai.gain == pytest.approx(0.5) and cai.retained_gain is None and cai.retention is None


def test_a_loss_after_the_lesson_shows_as_a_negative_retention() -> None:
    assert student_gain(Scores("d", 0.5, 0.7, 0.4)).retention == pytest.approx(-0.5)


def test_class_by_hand_with_intervals_that_hold_the_estimates() -> None:
    result = class_gains(CLASS, seed=1)
    assert [s.student for s in result.students] == ["ana", "ben", "cai"]
    assert result.gain.value == pytest.approx(0.3) and result.gain.students == 3
    assert result.retained_gain is not None and result.retention is not None
    assert result.retained_gain.value == pytest.approx(0.15) and result.retained_gain.students == 2
    assert result.retention.value == pytest.approx(0.75) and result.retention.students == 2
    for estimate in (result.gain, result.retained_gain, result.retention):
        assert estimate.value in estimate.interval


def test_intervals_are_reproducible_with_a_seed() -> None:
    scores = [Scores(f"s{i}", 0.3 + 0.02 * i, 0.6 + 0.03 * (i % 5), 0.5 + 0.01 * (i % 7)) for i in range(20)]
    assert class_gains(scores, seed=4) == class_gains(scores, seed=4)
    assert class_gains(scores, seed=4).gain.interval != class_gains(scores, seed=5).gain.interval


def test_no_delayed_check_and_no_mean_gain_give_no_retention() -> None:
    assert class_gains([Scores("a", 0.2, 0.4)]).retained_gain is None
    flat = class_gains([Scores("a", 0.5, 0.5, 0.7), Scores("b", 0.6, 0.6, 0.4)])
    assert flat.retained_gain is not None and flat.retained_gain.value == pytest.approx(0.0)
    assert flat.retention is None


def test_every_problem_is_reported_at_once() -> None:
    bad = [Scores("", 0.1, 0.2), Scores("a", math.nan, 0.2, math.inf), Scores("a", 0.1, "x")]  # type: ignore[arg-type]
    assert check_scores(bad) == [
        Problem(0, "the student is empty"),
        Problem(1, "the pre score must be a number, not nan"),
        Problem(1, "the delayed score must be a number, not inf"),
        Problem(2, "'a' has two rows (first at record 1)"),
        Problem(2, "the post score must be a number, not 'x'"),
    ]
    with pytest.raises(BadInput) as caught:
        class_gains(bad)
    assert len(caught.value.problems) == 5
    assert check_scores([]) == [Problem(-1, "there are no scores")]

"""Discernment (analytics/discernment.py) against values worked by hand, the AUC with ties, the class figures'
bootstrap and the "more sceptical, not better at telling" flag both ways."""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

import pytest

from sourcecheck.analytics.discernment import (
    FLAG_SCEPTICAL,
    FLAG_TRUSTING,
    Judgement,
    Verdict,
    auc,
    check_judgements,
    class_discernment,
    compare_checks,
    parse_judgement,
    per_student,
    sdt,
    shift_flag,
    to_frame,
)
from sourcecheck.analytics.intervals import BadInput, Interval, Problem, mean_estimate


def _quantile() -> Callable[[float], float]:
    """An independent z: scipy's when it is installed, else the standard library's."""
    try:
        from scipy.stats import norm  # type: ignore[import-untyped]
    except ImportError:
        return NormalDist().inv_cdf
    return lambda p: float(norm.ppf(p))


Z = _quantile()


def j(student: str, item: str, truth: Verdict, answer: Verdict, confidence: float | None = None) -> Judgement:
    return Judgement(student, item, truth, answer, confidence)


# Ana: four strong passages (three called strong) and four weak (one called strong), with confidence.
ANA = [j("ana", "s1", "strong", "strong", 80), j("ana", "s2", "strong", "strong", 60),
       j("ana", "s3", "strong", "strong", 90), j("ana", "s4", "strong", "weak", 30),
       j("ana", "w1", "weak", "weak", 70), j("ana", "w2", "weak", "weak", 50),
       j("ana", "w3", "weak", "weak", 20), j("ana", "w4", "weak", "strong", 60)]
# Ben: calls every strong passage strong and three of the four weak ones too; never asked how sure.
BEN = [j("ben", f"s{i}", "strong", "strong") for i in range(1, 5)] + \
      [j("ben", "w1", "weak", "weak")] + [j("ben", f"w{i}", "weak", "strong") for i in range(2, 5)]


def test_ana_worked_by_hand() -> None:
    """hits 3 of 4, false alarms 1 of 4:
    H = 3/4 = 0.75, F = 1/4 = 0.25 (raw)
    H' = (3 + 0.5) / (4 + 1) = 0.7, F' = (1 + 0.5) / (4 + 1) = 0.3
    z(0.7) = 0.5244, z(0.3) = -0.5244 (normal table)
    d' = 0.5244 - (-0.5244) = 1.0488; c = -(0.5244 + -0.5244) / 2 = 0
    AUC: ratings strong 80, 60, 90, -30 against weak -70, -50, -20, 60 (answered strong at 60):
      80 beats all 4; 60 beats 3 and ties the 60 (3.5); 90 beats 4; -30 beats -70 and -50 (2)
      = (4 + 3.5 + 4 + 2) / 16 = 13.5 / 16 = 0.84375"""
    [ana] = per_student(ANA)
    assert (ana.n_strong, ana.n_weak, ana.hits, ana.false_alarms) == (4, 4, 3, 1)
    assert ana.hit_rate == 0.75 and ana.false_alarm_rate == 0.25
    assert ana.d_prime == pytest.approx(1.0488, abs=1e-4)
    assert ana.criterion == pytest.approx(0.0, abs=1e-12)
    assert ana.auc == 13.5 / 16
    assert ana.d_prime == pytest.approx(Z(0.7) - Z(0.3), abs=1e-12)


def test_ben_worked_by_hand() -> None:
    """hits 4 of 4, false alarms 3 of 4 (he trusts nearly everything):
    H = 1.0, F = 0.75 (raw)
    H' = 4.5 / 5 = 0.9, F' = 3.5 / 5 = 0.7
    z(0.9) = 1.2816, z(0.7) = 0.5244
    d' = 1.2816 - 0.5244 = 0.7572; c = -(1.2816 + 0.5244) / 2 = -0.9030 (negative: quick to call strong)
    AUC without confidence, ratings +1 / -1: each strong +1 ties the three weak +1 (0.5 each) and beats the
    weak -1: 2.5 per strong passage, 4 * 2.5 / 16 = 0.625"""
    [ben] = per_student(BEN)
    assert ben.hit_rate == 1.0 and ben.false_alarm_rate == 0.75
    assert ben.d_prime == pytest.approx(0.7572, abs=1e-4)
    assert ben.criterion == pytest.approx(-0.9030, abs=1e-4)
    assert ben.auc == 0.625
    assert ben.d_prime == pytest.approx(Z(0.9) - Z(0.7), abs=1e-12)
    assert ben.criterion == pytest.approx(-(Z(0.9) + Z(0.7)) / 2, abs=1e-12)


@pytest.mark.parametrize(("hits", "n_strong", "false_alarms", "n_weak"),
                         [(0, 1, 0, 1), (10, 10, 0, 10), (0, 10, 10, 10), (7, 12, 2, 9), (1, 3, 5, 5)])
def test_sdt_matches_an_independent_normal_quantile(hits: int, n_strong: int, false_alarms: int,
                                                    n_weak: int) -> None:
    h = (hits + 0.5) / (n_strong + 1)
    f = (false_alarms + 0.5) / (n_weak + 1)
    d_prime, c = sdt(hits, n_strong, false_alarms, n_weak)
    assert d_prime == pytest.approx(Z(h) - Z(f), abs=1e-9)
    assert c == pytest.approx(-(Z(h) + Z(f)) / 2, abs=1e-9)
    assert math.isfinite(d_prime)  # the correction keeps a perfect score finite


def test_a_perfect_student_has_a_finite_d_prime_that_grows_with_more_items() -> None:
    assert sdt(4, 4, 0, 4)[0] < sdt(20, 20, 0, 20)[0] < 5


def test_sdt_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError):
        sdt(5, 4, 0, 4)
    with pytest.raises(ValueError):
        sdt(0, 0, 0, 4)


def test_auc_counts_ties_as_half() -> None:
    assert auc([1, 1], [1, 1]) == 0.5
    assert auc([50, -50], [-50, 50]) == 0.5
    assert auc([90], [10, 90, 95]) == (1 + 0.5 + 0) / 3
    assert auc([1], [-1]) == 1.0 and auc([-1], [1]) == 0.0
    assert auc([], [1]) is None and auc([1], []) is None


def test_confidence_zero_is_a_tie_whichever_way_it_was_answered() -> None:
    [s] = per_student([j("a", "s", "strong", "strong", 0), j("a", "w", "weak", "weak", 0)])
    assert s.auc == 0.5


def test_a_student_missing_one_kind_has_rates_for_the_other_and_no_d_prime() -> None:
    [cai] = per_student([j("cai", "s1", "strong", "strong", 70), j("cai", "s2", "strong", "weak", 20)])
    assert (cai.n_strong, cai.n_weak, cai.hit_rate, cai.false_alarm_rate) == (2, 0, 0.5, None)
    assert (cai.d_prime, cai.criterion, cai.auc) == (None, None, None)


def test_students_come_in_the_order_first_seen() -> None:
    mixed = [BEN[0], ANA[0], BEN[1], *ANA[1:], *BEN[2:]]
    assert [s.student for s in per_student(mixed)] == ["ben", "ana"]


def test_every_problem_is_reported_at_once() -> None:
    bad = [j("", "s1", "strong", "strong", 50),
           Judgement("ana", "", "medium", "sure", 150),  # type: ignore[arg-type]
           j("ana", "s1", "strong", "weak", math.nan),
           j("ana", "s1", "strong", "weak")]
    problems = check_judgements(bad)
    assert problems == [
        Problem(0, "the student is empty"),
        Problem(1, "the item is empty"),
        Problem(1, "truth must be strong or weak, not 'medium'"),
        Problem(1, "answer must be strong or weak, not 'sure'"),
        Problem(1, "confidence must be empty or a number from 0 to 100, not 150"),
        Problem(2, "confidence must be empty or a number from 0 to 100, not nan"),
        Problem(3, "'ana' judged item 's1' twice (first at record 2)"),
    ]
    with pytest.raises(BadInput) as caught:
        per_student(bad)
    assert caught.value.problems == tuple(problems)
    assert check_judgements([]) == [Problem(-1, "there are no judgements")]


def test_parse_judgement_reads_text_and_reports_every_problem_of_a_row() -> None:
    assert parse_judgement(" ana ", "s1", "strong", "weak", "") == (j("ana", "s1", "strong", "weak"), [])
    assert parse_judgement("ana", "s1", "weak", "weak", "62.5")[0] == j("ana", "s1", "weak", "weak", 62.5)
    judgement, messages = parse_judgement("", "s1", "Strong", "weak", "lots")
    assert judgement is None
    assert messages == ["the student is empty", "truth must be strong or weak, not 'Strong'",
                        "confidence must be empty or a number from 0 to 100, not 'lots'"]
    for text in ("-1", "100.5", "nan", "inf"):
        assert parse_judgement("a", "s", "weak", "weak", text)[1] == [
            f"confidence must be empty or a number from 0 to 100, not {text!r}"]


def test_class_figures_are_means_over_students_with_pooled_rates() -> None:
    cai = [j("cai", "s1", "strong", "strong")]
    result = class_discernment(ANA + BEN + cai, seed=7)
    assert [s.student for s in result.students] == ["ana", "ben", "cai"]
    assert (result.n_strong, result.n_weak) == (9, 8)
    assert result.hit_rate == (3 + 4 + 1) / 9 and result.false_alarm_rate == (1 + 3) / 8
    assert result.d_prime is not None and result.criterion is not None and result.auc is not None
    assert result.d_prime.students == 2  # cai has no weak passage, so no d′ to average
    assert result.d_prime.value == pytest.approx((1.0488 + 0.7572) / 2, abs=1e-4)
    assert result.criterion.value == pytest.approx((0 - 0.9030) / 2, abs=1e-4)
    assert result.auc.value == pytest.approx((0.84375 + 0.625) / 2)


def test_class_figures_are_none_when_no_student_had_both_kinds() -> None:
    result = class_discernment([j("a", "s1", "strong", "strong"), j("b", "w1", "weak", "weak")])
    assert (result.d_prime, result.criterion, result.auc) == (None, None, None)
    assert (result.hit_rate, result.false_alarm_rate) == (1.0, 0.0)


def _class(pattern: list[tuple[int, int]], prefix: str = "s") -> list[Judgement]:
    """Students who each judge 4 strong and 4 weak passages with (hits, false alarms) as given."""
    out = []
    for n, (hits, false_alarms) in enumerate(pattern):
        name = f"{prefix}{n}"
        out += [j(name, f"s{i}", "strong", "strong" if i < hits else "weak") for i in range(4)]
        out += [j(name, f"w{i}", "weak", "strong" if i < false_alarms else "weak") for i in range(4)]
    return out


def test_the_bootstrap_interval_is_reproducible_with_a_seed_and_holds_the_estimate() -> None:
    judgements = _class([(3, 1), (4, 3), (2, 2), (4, 0), (1, 1), (3, 2), (2, 0), (4, 1)])
    first = class_discernment(judgements, seed=11)
    again = class_discernment(judgements, seed=11)
    other = class_discernment(judgements, seed=12)
    assert first.d_prime is not None and other.d_prime is not None
    assert first.d_prime == again.d_prime
    assert first.d_prime.interval != other.d_prime.interval
    assert first.d_prime.value in first.d_prime.interval
    assert first.d_prime.interval.low < first.d_prime.interval.high


def test_the_bootstrap_of_one_student_is_that_student() -> None:
    estimate = mean_estimate([0.8], seed=0)
    assert estimate.value == 0.8 and estimate.interval == Interval(0.8, 0.8) and estimate.students == 1


def test_the_interval_narrows_as_the_class_grows() -> None:
    small = mean_estimate([0.1, 0.9, 0.4, 0.6], seed=3)
    large = mean_estimate([0.1, 0.9, 0.4, 0.6] * 25, seed=3)
    assert large.interval.high - large.interval.low < small.interval.high - small.interval.low


@pytest.mark.parametrize(("c_change", "d_interval", "flag"), [
    (0.3, Interval(-0.1, 0.2), FLAG_SCEPTICAL),
    (-0.3, Interval(-0.1, 0.2), FLAG_TRUSTING),
    (0.3, Interval(0.05, 0.6), None),  # better at telling too: not flagged
    (-0.3, Interval(-0.6, -0.05), None),
    (0.2, Interval(-0.1, 0.2), None),  # "more than 0.2"
    (-0.2, Interval(-0.1, 0.2), None),
    (0.1, Interval(-0.1, 0.2), None),
    (0.5, Interval(0.0, 0.4), FLAG_SCEPTICAL),  # 0 on the edge is inside
])
def test_shift_flag(c_change: float, d_interval: Interval, flag: str | None) -> None:
    assert shift_flag(c_change, d_interval) == flag


# Before: every student hits 3 of 4 and false-alarms 1 of 4 (d′ 1.0488, c 0). After, half hit 2 with no false
# alarm (d′ 1.2816, c 0.6408) and half hit 1 with none (d′ 0.7572, c 0.9030): d′ up for some, down for others,
# c up by about 0.77 for everyone. They became warier, not better at telling.
BEFORE = _class([(3, 1)] * 10)
AFTER = _class([(2, 0), (1, 0)] * 5)


def test_a_class_that_only_became_sceptical_is_flagged() -> None:
    shift = compare_checks(class_discernment(BEFORE).students, class_discernment(AFTER).students, seed=5)
    assert shift.students == 10
    assert shift.criterion_change.value == pytest.approx((0.6408 + 0.9030) / 2, abs=1e-4)
    assert shift.d_prime_change.value == pytest.approx((1.2816 + 0.7572) / 2 - 1.0488, abs=1e-4)
    assert 0 in shift.d_prime_change.interval
    assert shift.flag == FLAG_SCEPTICAL


def test_the_mirror_a_class_that_only_became_trusting_is_flagged() -> None:
    shift = compare_checks(class_discernment(AFTER).students, class_discernment(BEFORE).students, seed=5)
    assert shift.criterion_change.value < -0.2
    assert shift.flag == FLAG_TRUSTING


def test_a_class_that_got_better_at_telling_is_not_flagged() -> None:
    worse, better = _class([(2, 2), (3, 3), (1, 1)] * 3), _class([(4, 0), (3, 0), (4, 1)] * 3)
    shift = compare_checks(class_discernment(worse).students, class_discernment(better).students, seed=5)
    assert shift.d_prime_change.interval.low > 0
    assert shift.flag is None


def test_compare_pairs_students_by_name_and_needs_one_in_both() -> None:
    before = class_discernment(_class([(3, 1), (2, 2)], prefix="a")).students
    after = class_discernment(_class([(4, 0), (3, 0)], prefix="a") + _class([(4, 0)], prefix="new")).students
    assert compare_checks(before, after).students == 2
    with pytest.raises(BadInput, match="no student has strong and weak items in both checks"):
        compare_checks(before, class_discernment(_class([(4, 0)], prefix="new")).students)


def test_to_frame_has_the_cli_columns() -> None:
    frame = to_frame(per_student(ANA + [j("cai", "s1", "strong", "strong")]))
    assert list(frame.columns) == ["student", "n_strong", "n_weak", "hit_rate", "false_alarm_rate", "d_prime",
                                   "criterion", "auc"]
    assert frame["d_prime"].isna().tolist() == [False, True]

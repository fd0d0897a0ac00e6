"""Telling strong sourcing from weak, across checks: signal detection per student and for the class (issue 18).

A judgement is one student's verdict on one passage whose sourcing is known: `truth` is how it is sourced,
`answer` what the student said ("strong" = I would rely on it), `confidence` how sure they were (0-100) if
asked. Share correct mixes two things a teacher must keep apart: how well a student tells strong from weak
(sensitivity, d′) and how ready they are to call anything strong (the criterion, c). A lesson that only makes
students distrust everything raises their accuracy on weak passages and lowers it on strong ones, and can raise
share correct with no gain in telling them apart (Modirrousta-Galian & Higham 2023). Hence:

- hit rate H = strong passages answered strong / strong passages; false-alarm rate F = weak passages answered
  strong / weak passages (both raw, as counted);
- d′ = z(H') - z(F') and c = -(z(H') + z(F')) / 2, with the log-linear correction H' = (hits + 0.5) /
  (n_strong + 1), F' = (false alarms + 0.5) / (n_weak + 1) (Hautus 1995), so a perfect score gives a finite d′;
  z is the standard normal quantile. c > 0: slow to call a passage strong (sceptical); c < 0: quick (trusting);
- AUC: the chance that a strong passage gets a higher rating than a weak one (Mann-Whitney, ties half), where
  the rating is +confidence when answered strong and -confidence when answered weak (+1 / -1 without a
  confidence). It uses the confidence, so it separates students d′ cannot, and it assumes no normal curves.

A student with no strong or no weak passage has no d′, c or AUC (None): with one kind missing, "telling them
apart" has nothing to be measured on, and the log-linear correction would report a number made of the
correction alone. The class's d′, c and AUC are the MEAN OF THE STUDENTS' values (every student weighs the
same, and the interval resamples students), not a d′ of pooled counts: pooling the answers of students with
different criteria understates the sensitivity each of them has. The class's hit and false-alarm rates are
pooled counts, as a teacher would tally them.

Between two checks (`compare_checks`), over the students in both: when c moved by more than 0.2 while the
interval for the change in d′ includes 0, the class became more sceptical (or more trusting), not better at
telling, and `Shift.flag` says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from sourcecheck.analytics.intervals import (
    LEVEL,
    RESAMPLES,
    BadInput,
    Estimate,
    Interval,
    Problem,
    mean_estimates,
)

__all__ = ["CRITERION_SHIFT", "FLAG_SCEPTICAL", "FLAG_TRUSTING", "LEVELS", "ClassDiscernment", "Judgement",
           "Shift", "StudentDiscernment", "Verdict", "auc", "check_judgements", "class_discernment",
           "compare_checks", "paired_changes", "parse_judgement", "per_student", "rating", "sdt", "shift_flag",
           "to_frame"]

Verdict = Literal["strong", "weak"]
LEVELS: tuple[Verdict, ...] = ("strong", "weak")
CRITERION_SHIFT = 0.2  # a move in c larger than this, with no change in d′ the interval can rule out, is flagged
FLAG_SCEPTICAL = "more sceptical, not better at telling"
FLAG_TRUSTING = "more trusting, not better at telling"

_Z = NormalDist().inv_cdf


@dataclass(frozen=True)
class Judgement:
    student: str
    item: str
    truth: Verdict
    answer: Verdict
    confidence: float | None = None  # 0-100; None when the student was not asked


@dataclass(frozen=True)
class StudentDiscernment:
    student: str
    n_strong: int
    n_weak: int
    hits: int  # strong passages answered strong
    false_alarms: int  # weak passages answered strong
    hit_rate: float | None  # raw; None without strong passages
    false_alarm_rate: float | None  # raw; None without weak passages
    d_prime: float | None  # log-linear corrected; None unless the student had both kinds
    criterion: float | None
    auc: float | None


@dataclass(frozen=True)
class ClassDiscernment:
    """The students in the order first seen, pooled counts and rates, and the means over students (with their
    bootstrap intervals) of d′, c and AUC; those are None when no student had both kinds of passage."""

    students: tuple[StudentDiscernment, ...]
    n_strong: int
    n_weak: int
    hit_rate: float | None
    false_alarm_rate: float | None
    d_prime: Estimate | None
    criterion: Estimate | None
    auc: Estimate | None


@dataclass(frozen=True)
class Shift:
    """From one check to a later one, over the students with a d′ in both: the mean change per student of d′
    and of c (after minus before, paired bootstrap over students), and the flag when c moved and d′ did not."""

    students: int
    d_prime_change: Estimate
    criterion_change: Estimate
    flag: str | None


# --- input -----------------------------------------------------------------------------------------------------


def _messages(student: object, item: object, truth: object, answer: object, confidence: object) -> list[str]:
    """What is wrong with one judgement's values, all of it."""
    out = []
    if not isinstance(student, str) or not student.strip():
        out.append("the student is empty")
    if not isinstance(item, str) or not item.strip():
        out.append("the item is empty")
    for name, value in (("truth", truth), ("answer", answer)):
        if value not in LEVELS:
            out.append(f"{name} must be strong or weak, not {value!r}")
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, int | float)
                                   or not _confidence_ok(confidence)):
        out.append(f"confidence must be empty or a number from 0 to 100, not {confidence!r}")
    return out


def _confidence_ok(value: float) -> bool:
    return math.isfinite(value) and 0 <= value <= 100


def parse_judgement(student: str, item: str, truth: str, answer: str,
                    confidence: str) -> tuple[Judgement | None, list[str]]:
    """A judgement from text fields (a CSV row), or None and every problem with the row. Surrounding spaces are
    ignored; an empty confidence means none was asked."""
    student, item, truth, answer, confidence = (s.strip() for s in (student, item, truth, answer, confidence))
    number: float | None = None
    if confidence:
        try:
            number = float(confidence)
        except ValueError:
            number = math.nan
    messages = _messages(student, item, truth, answer, None)
    if number is not None and not _confidence_ok(number):
        messages.append(f"confidence must be empty or a number from 0 to 100, not {confidence!r}")
    if messages:
        return None, messages
    assert truth in LEVELS and answer in LEVELS  # checked above; narrows the type
    return Judgement(student, item, truth, answer, number), []


def check_judgements(judgements: Sequence[Judgement], places: Sequence[str] | None = None) -> list[Problem]:
    """Every problem: bad values in any judgement, a student judging the same item twice, an empty input.
    `places` names where each judgement came from ("line 7"), for the message that points at an earlier one;
    by default "record N" (0-based)."""
    if not judgements:
        return [Problem(-1, "there are no judgements")]
    problems = []
    first: dict[tuple[str, str], int] = {}
    for index, j in enumerate(judgements):
        problems += [Problem(index, m) for m in _messages(j.student, j.item, j.truth, j.answer, j.confidence)]
        key = (j.student, j.item)
        if key in first:
            earlier = places[first[key]] if places else f"record {first[key]}"
            problems.append(Problem(index, f"{j.student!r} judged item {j.item!r} twice (first at {earlier})"))
        else:
            first[key] = index
    return problems


def _checked(judgements: Sequence[Judgement]) -> None:
    problems = check_judgements(judgements)
    if problems:
        raise BadInput(problems)


# --- the measures ----------------------------------------------------------------------------------------------


def sdt(hits: int, n_strong: int, false_alarms: int, n_weak: int) -> tuple[float, float]:
    """(d′, c) from counts, with the log-linear correction; both kinds of passage must be present."""
    if n_strong < 1 or n_weak < 1 or not 0 <= hits <= n_strong or not 0 <= false_alarms <= n_weak:
        raise ValueError(f"counts out of range: {hits}/{n_strong} hits, {false_alarms}/{n_weak} false alarms")
    z_hit = _Z((hits + 0.5) / (n_strong + 1))
    z_false = _Z((false_alarms + 0.5) / (n_weak + 1))
    return z_hit - z_false, -(z_hit + z_false) / 2


def rating(judgement: Judgement) -> float:
    """How strongly the student called the passage strong: +confidence if answered strong, -confidence if weak;
    +1 / -1 without a confidence."""
    size = 1.0 if judgement.confidence is None else float(judgement.confidence)
    return size if judgement.answer == "strong" else -size


def auc(strong_ratings: Sequence[float], weak_ratings: Sequence[float]) -> float | None:
    """P(a strong passage's rating > a weak one's), a tie counting half; None when either list is empty."""
    if not strong_ratings or not weak_ratings:
        return None
    strong = np.asarray(strong_ratings, dtype=np.float64)[:, None]
    weak = np.asarray(weak_ratings, dtype=np.float64)[None, :]
    wins = (strong > weak).sum() + 0.5 * (strong == weak).sum()
    return float(wins / (strong.size * weak.size))


def _student(name: str, judgements: Sequence[Judgement]) -> StudentDiscernment:
    strong = [j for j in judgements if j.truth == "strong"]
    weak = [j for j in judgements if j.truth == "weak"]
    hits = sum(j.answer == "strong" for j in strong)
    false_alarms = sum(j.answer == "strong" for j in weak)
    d_prime, criterion = sdt(hits, len(strong), false_alarms, len(weak)) if strong and weak else (None, None)
    return StudentDiscernment(
        student=name, n_strong=len(strong), n_weak=len(weak), hits=hits, false_alarms=false_alarms,
        hit_rate=hits / len(strong) if strong else None,
        false_alarm_rate=false_alarms / len(weak) if weak else None,
        d_prime=d_prime, criterion=criterion,
        auc=auc([rating(j) for j in strong], [rating(j) for j in weak]))


def per_student(judgements: Sequence[Judgement]) -> list[StudentDiscernment]:
    """One result per student, in the order each student first appears. Raises BadInput with every problem."""
    _checked(judgements)
    by_student: dict[str, list[Judgement]] = {}
    for j in judgements:
        by_student.setdefault(j.student, []).append(j)
    return [_student(name, own) for name, own in by_student.items()]


def class_discernment(judgements: Sequence[Judgement], *, seed: int = 0, resamples: int = RESAMPLES,
                      level: float = LEVEL) -> ClassDiscernment:
    """Per student, and for the class: pooled rates, and the mean over students of d′, c and AUC with a
    percentile-bootstrap interval (students resampled with replacement, `seed` fixed). Only students with both
    kinds of passage count in those means."""
    students = per_student(judgements)
    n_strong = sum(s.n_strong for s in students)
    n_weak = sum(s.n_weak for s in students)
    d_prime, criterion, area = mean_estimates(  # the same students have all three: one draw of resamples
        [[s.d_prime for s in students], [s.criterion for s in students], [s.auc for s in students]],
        seed=seed, resamples=resamples, level=level)
    return ClassDiscernment(
        students=tuple(students), n_strong=n_strong, n_weak=n_weak,
        hit_rate=sum(s.hits for s in students) / n_strong if n_strong else None,
        false_alarm_rate=sum(s.false_alarms for s in students) / n_weak if n_weak else None,
        d_prime=d_prime, criterion=criterion, auc=area)


def shift_flag(criterion_change: float, d_prime_change: Interval) -> str | None:
    """The flag for a move from one check to the next: c up by more than 0.2 (fewer passages called strong)
    with 0 inside the d′ change's interval is FLAG_SCEPTICAL; c down by as much, FLAG_TRUSTING; else None."""
    if 0 not in d_prime_change or abs(criterion_change) <= CRITERION_SHIFT:
        return None
    return FLAG_SCEPTICAL if criterion_change > 0 else FLAG_TRUSTING


def paired_changes(before: Sequence[StudentDiscernment],
                   after: Sequence[StudentDiscernment]) -> tuple[list[float], list[float]]:
    """What `compare_checks` averages: for each student of `after` (in its order) with a d′ in both checks
    (matched by name), d′ after - d′ before and c after - c before; empty lists when there is none. Public so
    a report comparing several pairs of checks can estimate all their changes from one draw of resamples
    (`intervals.mean_estimates`) and still count exactly these students."""
    earlier = {s.student: s for s in before}
    d_changes: list[float] = []
    c_changes: list[float] = []
    for now in after:
        then = earlier.get(now.student)
        if then is None or None in (then.d_prime, then.criterion, now.d_prime, now.criterion):
            continue
        assert then.d_prime is not None and then.criterion is not None  # narrowed above, for the type checker
        assert now.d_prime is not None and now.criterion is not None
        d_changes.append(now.d_prime - then.d_prime)
        c_changes.append(now.criterion - then.criterion)
    return d_changes, c_changes


def compare_checks(before: Sequence[StudentDiscernment], after: Sequence[StudentDiscernment], *, seed: int = 0,
                   resamples: int = RESAMPLES, level: float = LEVEL) -> Shift:
    """How the class moved between two checks, over the students with a d′ in both (matched by name): the mean
    per-student change in d′ and in c (`paired_changes`), each with a paired bootstrap interval, and the flag
    (`shift_flag`)."""
    d_changes, c_changes = paired_changes(before, after)
    if not d_changes:
        raise BadInput([Problem(-1, "no student has strong and weak items in both checks")])
    d_prime_change, criterion_change = mean_estimates([d_changes, c_changes], seed=seed, resamples=resamples,
                                                      level=level)  # paired: one draw of students for both
    assert d_prime_change is not None and criterion_change is not None  # both lists are non-empty
    return Shift(len(d_changes), d_prime_change, criterion_change,
                 shift_flag(criterion_change.value, d_prime_change.interval))


def to_frame(students: Sequence[StudentDiscernment]) -> pd.DataFrame:
    """One row per student with the CLI's columns (None as NaN), for the dashboard's tables and CSVs."""
    columns = ["student", "n_strong", "n_weak", "hit_rate", "false_alarm_rate", "d_prime", "criterion", "auc"]
    rows: list[Mapping[str, object]] = [{c: getattr(s, c) for c in columns} for s in students]
    return pd.DataFrame(rows, columns=columns).astype({c: "float64" for c in columns[3:]})

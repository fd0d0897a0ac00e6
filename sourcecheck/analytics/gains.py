"""Learning across weeks: the gain right after a lesson, what is left of it weeks later, and their ratio.

For each student, three scores on the same scale (a share correct, or a d′): `pre` before the lesson, `post`
right after it, `delayed` some weeks later (None when the student missed that check).

- gain = post - pre: what the lesson changed, measured the same day;
- retained gain = delayed - pre: what is still there at the delayed check;
- retention = retained gain / gain: the share of the gain that lasted (None when the gain is 0; it can exceed
  1 or be negative, both of which a teacher should see rather than have clipped).

The class's gain is the mean over students; the retained gain and the retention are over the students who
took the delayed check, and the class retention is mean retained gain / mean gain over those students (a ratio
of means: a mean of per-student ratios would be driven by the students whose gain was near zero). Each class
figure comes with a 95 % percentile-bootstrap interval over students, seeded so it is reproducible; resamples
where the mean gain is 0 are left out of the retention's interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sourcecheck.analytics.intervals import (
    LEVEL,
    RESAMPLES,
    BadInput,
    Estimate,
    Problem,
    mean_estimates,
)

__all__ = ["ClassGains", "Scores", "StudentGain", "check_scores", "class_gains", "student_gain"]


@dataclass(frozen=True)
class Scores:
    student: str
    pre: float
    post: float
    delayed: float | None = None


@dataclass(frozen=True)
class StudentGain:
    student: str
    gain: float
    retained_gain: float | None  # None without a delayed score
    retention: float | None  # retained gain / gain; None without a delayed score or when the gain is 0


@dataclass(frozen=True)
class ClassGains:
    students: tuple[StudentGain, ...]
    gain: Estimate
    retained_gain: Estimate | None  # None when no student took the delayed check
    retention: Estimate | None  # None then too, or when those students' mean gain is 0


def _is_zero(value: float) -> bool:
    return math.isclose(value, 0.0, abs_tol=1e-12)


def student_gain(scores: Scores) -> StudentGain:
    gain = scores.post - scores.pre
    retained = None if scores.delayed is None else scores.delayed - scores.pre
    retention = None if retained is None or _is_zero(gain) else retained / gain
    return StudentGain(scores.student, gain, retained, retention)


def check_scores(scores: Sequence[Scores]) -> list[Problem]:
    """Every problem: an empty input, an empty or repeated student, a score that is not a finite number."""
    if not scores:
        return [Problem(-1, "there are no scores")]
    problems = []
    seen: dict[str, int] = {}
    for index, s in enumerate(scores):
        if not isinstance(s.student, str) or not s.student.strip():
            problems.append(Problem(index, "the student is empty"))
        elif s.student in seen:
            problems.append(Problem(index, f"{s.student!r} has two rows (first at record {seen[s.student]})"))
        else:
            seen[s.student] = index
        for name, value in (("pre", s.pre), ("post", s.post), ("delayed", s.delayed)):
            if value is None and name == "delayed":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                problems.append(Problem(index, f"the {name} score must be a number, not {value!r}"))
    return problems


def class_gains(scores: Sequence[Scores], *, seed: int = 0, resamples: int = RESAMPLES,
                level: float = LEVEL) -> ClassGains:
    """Per student, and the class means with bootstrap intervals. Raises BadInput with every problem."""
    problems = check_scores(scores)
    if problems:
        raise BadInput(problems)
    students = tuple(student_gain(s) for s in scores)
    later = [s.gain if s.retained_gain is not None else None for s in students]  # the gain of those retained
    gain, retained, _, retention = mean_estimates(  # one draw when every student took the delayed check
        [[s.gain for s in students], [s.retained_gain for s in students], later], ratios=[(1, 2)],
        seed=seed, resamples=resamples, level=level)
    assert gain is not None  # every student has a gain
    return ClassGains(students, gain, retained, retention)

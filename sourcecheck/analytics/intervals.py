"""Bootstrap intervals over students, and the one problem type for bad input to the learning statistics.

Learning is measured per student and then summarised for the class, so the uncertainty that matters to a
teacher is "would another class like this one show the same?": resampling students with replacement (the
percentile bootstrap) answers that without assuming the figures are normally distributed. A fixed seed makes
every interval reproducible, so a figure on the dashboard does not move when the page is drawn again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["LEVEL", "RESAMPLES", "BadInput", "Estimate", "Interval", "Problem", "bootstrap", "mean_estimate",
           "mean_estimates"]

RESAMPLES = 2000
LEVEL = 0.95

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: `index` is the record's position (0-based) in what was passed in, or
    -1 when the problem is with the input as a whole (nothing given, no student with both kinds of item)."""

    index: int
    message: str


class BadInput(ValueError):
    """Raised with every problem found, never just the first: a teacher fixing a file wants the whole list."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message if p.index < 0 else f"record {p.index}: {p.message}"
                                   for p in self.problems))


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Estimate:
    """A class figure, the percentile-bootstrap interval around it, and how many students it is over."""

    value: float
    interval: Interval
    students: int


def _checked(resamples: int, level: float) -> None:
    if not 0 < level < 1 or resamples < 1:
        raise ValueError("level must be between 0 and 1 and resamples at least 1")


def _picks(students: int, seed: int, resamples: int) -> npt.NDArray[np.int64]:
    """Which students each resample takes: resamples x students row numbers. They depend on nothing but the
    seed and how many students there are, which is what lets `mean_estimates` share them."""
    picks: npt.NDArray[np.int64] = np.random.default_rng(seed).integers(0, students, size=(resamples, students))
    return picks


def _percentiles(values: Matrix, level: float) -> Matrix:
    """The two percentiles of each column of resamples x figures that bound the interval at `level`."""
    tail = (1 - level) / 2
    bounds: Matrix = np.quantile(values, [tail, 1 - tail], axis=0)
    return bounds


def bootstrap(columns: Matrix, statistic: Callable[[Matrix], npt.NDArray[np.float64]], *, seed: int,
              resamples: int = RESAMPLES, level: float = LEVEL) -> Interval:
    """Percentile interval of `statistic` over `resamples` resamples of the rows (students) of `columns`.

    `columns` is students x figures; `statistic` gets resamples x students x figures and returns one value per
    resample. A resample whose statistic is undefined (NaN: a ratio over a zero mean) is left out."""
    if columns.ndim != 2 or len(columns) == 0:
        raise ValueError("bootstrap needs at least one student")
    _checked(resamples, level)
    values = statistic(columns[_picks(len(columns), seed, resamples)])
    values = values[np.isfinite(values)]
    if len(values) == 0:
        raise ValueError("the statistic is undefined in every resample")
    low, high = _percentiles(values, level)
    return Interval(float(low), float(high))


def mean_estimate(values: Sequence[float], *, seed: int, resamples: int = RESAMPLES,
                  level: float = LEVEL) -> Estimate:
    """The mean over students, with its bootstrap interval (students resampled)."""
    if len(values) == 0:
        raise ValueError("bootstrap needs at least one student")
    estimate = mean_estimates([values], seed=seed, resamples=resamples, level=level)[0]
    if estimate is None:
        raise ValueError("the mean is undefined: no value is a finite number")
    return estimate


def _is_zero(means: Matrix) -> npt.NDArray[np.bool_]:
    return np.isclose(means, 0.0, rtol=0.0, atol=1e-12)


def mean_estimates(columns: Sequence[Sequence[float | None]], *, seed: int, resamples: int = RESAMPLES,
                   level: float = LEVEL, ratios: Sequence[tuple[int, int]] = ()) -> list[Estimate | None]:
    """`mean_estimate` of each column's present values, for many columns at once, then one figure per ratio.

    A column lists one value per student; None (or NaN) is a student without that figure (absent from a check,
    no d′ without both kinds of passage), left out of that column's mean and its resamples. A column with no
    value present gives None.

    Why one function for many: a report estimates dozens of class figures (a check's score, each skill, d′,
    c, AUC, changes between checks) over the same class, and drawing resamples is most of its cost. The
    resamples `bootstrap` draws depend only on the seed and the number of students resampled, so every column
    with the same number of present values shares one draw: each figure and interval is the one
    `mean_estimate` gives that column alone (`mean_estimate` is this function on one column), at the cost of
    one draw per class size. Each resample's means are a count matrix (how often each student was picked)
    times the values.

    `ratios`: (numerator, denominator) column positions whose columns have the same students present; each
    adds, after the columns' figures, mean(numerator) / mean(denominator) with the interval of that ratio over
    the same resamples (the share of a gain kept is mean retained gain / mean gain). A resample whose
    denominator mean is 0 is left out of the interval; the figure is None when the denominator's mean is 0 or
    is 0 in every resample."""
    _checked(resamples, level)
    arrays = [np.array([math.nan if v is None else v for v in column], dtype=np.float64) for column in columns]
    present = [np.isfinite(values) for values in arrays]
    for numerator, denominator in ratios:
        if not np.array_equal(present[numerator], present[denominator]):
            raise ValueError(f"ratio of columns {numerator} and {denominator}: not the same students present")
    groups: dict[int, list[int]] = {}  # number of students present -> the columns with that many
    for index, mask in enumerate(present):
        if mask.any():
            groups.setdefault(int(mask.sum()), []).append(index)
    out: list[Estimate | None] = [None] * (len(columns) + len(ratios))
    means_of: dict[int, Matrix] = {}  # column -> its mean in each resample, for the ratios
    for n, members in groups.items():
        matrix = np.column_stack([arrays[i][present[i]] for i in members])
        picks = _picks(n, seed, resamples)
        picks += n * np.arange(resamples)[:, None]
        counts = np.bincount(picks.ravel(), minlength=resamples * n).reshape(resamples, n)
        means = counts.astype(np.float64) @ matrix / n
        low, high = _percentiles(means, level)
        for slot, index in enumerate(members):
            out[index] = Estimate(float(matrix[:, slot].mean()), Interval(float(low[slot]), float(high[slot])), n)
            means_of[index] = means[:, slot]
    for slot, (numerator, denominator) in enumerate(ratios, start=len(columns)):
        top, bottom = out[numerator], out[denominator]
        if top is None or bottom is None or _is_zero(np.array(bottom.value)):
            continue
        usable = ~_is_zero(means_of[denominator])
        if usable.any():
            low, high = _percentiles(means_of[numerator][usable] / means_of[denominator][usable], level)
            out[slot] = Estimate(top.value / bottom.value, Interval(float(low), float(high)), top.students)
    return out

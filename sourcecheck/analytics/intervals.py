"""Bootstrap intervals over students, and the one problem type for bad input to the learning statistics.

Learning is measured per student and then summarised for the class, so the uncertainty that matters to a
teacher is "would another class like this one show the same?": resampling students with replacement (the
percentile bootstrap) answers that without assuming the figures are normally distributed. A fixed seed makes
every interval reproducible, so a figure on the dashboard does not move when the page is drawn again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["LEVEL", "RESAMPLES", "BadInput", "Estimate", "Interval", "Problem", "bootstrap", "mean_estimate"]

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


def bootstrap(columns: Matrix, statistic: Callable[[Matrix], npt.NDArray[np.float64]], *, seed: int,
              resamples: int = RESAMPLES, level: float = LEVEL) -> Interval:
    """Percentile interval of `statistic` over `resamples` resamples of the rows (students) of `columns`.

    `columns` is students x figures; `statistic` gets resamples x students x figures and returns one value per
    resample. A resample whose statistic is undefined (NaN: a ratio over a zero mean) is left out."""
    if columns.ndim != 2 or len(columns) == 0:
        raise ValueError("bootstrap needs at least one student")
    if not 0 < level < 1 or resamples < 1:
        raise ValueError("level must be between 0 and 1 and resamples at least 1")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(columns), size=(resamples, len(columns)))
    values = statistic(columns[picks])
    values = values[np.isfinite(values)]
    if len(values) == 0:
        raise ValueError("the statistic is undefined in every resample")
    tail = (1 - level) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return Interval(float(low), float(high))


def _column_mean(resampled: Matrix) -> npt.NDArray[np.float64]:
    means: npt.NDArray[np.float64] = resampled[:, :, 0].mean(axis=1)
    return means


def mean_estimate(values: Sequence[float], *, seed: int, resamples: int = RESAMPLES,
                  level: float = LEVEL) -> Estimate:
    """The mean over students, with its bootstrap interval (students resampled)."""
    column = np.asarray(values, dtype=np.float64).reshape(-1, 1)
    interval = bootstrap(column, _column_mean, seed=seed, resamples=resamples, level=level)
    return Estimate(float(column.mean()), interval, len(column))

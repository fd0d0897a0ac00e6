"""intervals.mean_estimates: many class figures from shared resamples, each the figure `bootstrap` gives alone.

The report estimates dozens of figures at once; these tests pin that sharing resamples changes no figure: each
column's estimate is what `bootstrap` with a mean statistic gives that column alone (to rounding: shared means
are a count matrix times the values), and a ratio is what `bootstrap` gives for a ratio of means."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from sourcecheck.analytics.intervals import Estimate, bootstrap, mean_estimate, mean_estimates

RESAMPLES = 400


def _mean(resampled: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    means: npt.NDArray[np.float64] = resampled[:, :, 0].mean(axis=1)
    return means


def _alone(values: list[float], seed: int) -> tuple[float, float, float]:
    """The figure as `bootstrap` draws it for this one column, with nothing shared."""
    column = np.asarray(values, dtype=np.float64).reshape(-1, 1)
    interval = bootstrap(column, _mean, seed=seed, resamples=RESAMPLES)
    return float(column.mean()), interval.low, interval.high


def _figures(estimate: Estimate | None) -> tuple[float, float, float]:
    assert estimate is not None
    return estimate.value, estimate.interval.low, estimate.interval.high


def test_each_column_is_the_figure_bootstrap_gives_it_alone() -> None:
    """Columns with different students present (None), some sharing a class size and some not."""
    rng = np.random.default_rng(1)
    full = rng.random(30).tolist()
    gaps: list[float | None] = [None if i % 3 == 0 else v for i, v in enumerate(rng.random(30).tolist())]
    other_gaps: list[float | None] = [None if i % 3 == 1 else v for i, v in enumerate(rng.random(30).tolist())]
    columns = [full, gaps, other_gaps, [None] * 30, full[:7]]
    found = mean_estimates(columns, seed=9, resamples=RESAMPLES)
    for column, estimate in zip(columns, found, strict=True):
        present = [v for v in column if v is not None]
        if not present:
            assert estimate is None
            continue
        assert _figures(estimate) == pytest.approx(_alone(present, 9), rel=1e-12)
        assert estimate is not None and estimate.students == len(present)
    assert _figures(found[1]) != _figures(found[2])  # same class size, other students: other figures


def test_mean_estimate_is_mean_estimates_on_one_column() -> None:
    values = [0.2, 0.9, 0.4, 0.4, 1.0]
    assert mean_estimate(values, seed=3) == mean_estimates([values], seed=3)[0]
    with pytest.raises(ValueError):
        mean_estimate([], seed=3)


def test_a_ratio_is_the_ratio_of_means_over_the_same_resamples() -> None:
    """The share of a gain kept: mean retained / mean gain, its interval as `bootstrap` gives a ratio statistic,
    resamples with a zero mean gain left out."""
    gain = [0.5, 0.0, 0.25, -0.25, 0.5, 0.0]
    retained = [0.25, 0.0, 0.25, 0.0, 0.5, 0.25]

    def ratio(resampled: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        means = resampled.mean(axis=1)
        out = np.full(len(means), np.nan)
        usable = ~np.isclose(means[:, 0], 0.0, rtol=0.0, atol=1e-12)
        out[usable] = means[usable, 1] / means[usable, 0]
        return out

    expected = bootstrap(np.column_stack([gain, retained]), ratio, seed=4, resamples=RESAMPLES)
    *_, kept = mean_estimates([gain, retained], ratios=[(1, 0)], seed=4, resamples=RESAMPLES)
    assert _figures(kept) == pytest.approx((np.mean(retained) / np.mean(gain), expected.low, expected.high),
                                           rel=1e-12)


def test_a_ratio_over_a_zero_mean_is_none_and_needs_the_same_students() -> None:
    _, _, kept = mean_estimates([[0.5, -0.5], [0.1, 0.2]], ratios=[(1, 0)], seed=0, resamples=RESAMPLES)
    assert kept is None
    with pytest.raises(ValueError, match="same students"):
        mean_estimates([[0.5, None], [0.1, 0.2]], ratios=[(1, 0)], seed=0)

"""How far two scorers of the same written answers agree: Cohen's κ, plain and quadratic-weighted (issue 19).

A second scorer (a co-teacher, or the same teacher a week later) scores a sample of the answers blind to the
first scores. Share of equal scores flatters a rubric with few levels (two scorers who guess agree often by
chance), so the figure is Cohen's κ: observed agreement corrected for the agreement their own score
distributions would give by chance. For levels (0, 1, 2...) a 2 against a 1 is a smaller disagreement than a 2
against a 0, hence also the quadratic-weighted κ, whose disagreement weight is the squared distance between the
two scores' positions in `labels`.

Computed here with numpy, as scikit-learn's `cohen_kappa_score` computes it (the tests compare the two), so
that an undefined κ comes back as None rather than nan with a warning: κ is undefined when chance alone would
give full agreement, i.e. both scorers gave every answer one and the same score (or there are no answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Agreement", "cohen_kappa"]


@dataclass(frozen=True)
class Agreement:
    n: int  # answers both scored
    kappa: float | None  # None when undefined
    weighted_kappa: float | None  # quadratic weights; None when undefined


def cohen_kappa(first: Sequence[int], second: Sequence[int], labels: Sequence[int] | None = None) -> Agreement:
    """κ and quadratic-weighted κ of two scorers' scores of the same answers (first[i] and second[i] score answer
    i). `labels` are the possible scores in order (default: the sorted union of the scores seen); the weights
    are the squared distance between positions in it, as in `cohen_kappa_score(weights="quadratic")`.

    Raises ValueError when the two differ in length, or a score is not in `labels` (scikit-learn would drop
    such a pair silently; here it is a mistake in the caller's labels)."""
    if len(first) != len(second):
        raise ValueError(f"the two scorers scored {len(first)} and {len(second)} answers; they must be the same")
    order = sorted(set(first) | set(second)) if labels is None else list(labels)
    if len(set(order)) != len(order):
        raise ValueError(f"labels repeat a score: {list(order)}")
    position = {label: i for i, label in enumerate(order)}
    unknown = sorted((set(first) | set(second)) - position.keys())
    if unknown:
        raise ValueError(f"scores {unknown} are not among the labels {list(order)}")
    n = len(first)
    if n == 0:
        return Agreement(0, None, None)
    size = len(order)
    confusion = np.zeros((size, size), dtype=np.float64)
    np.add.at(confusion, ([position[s] for s in first], [position[s] for s in second]), 1.0)
    # scikit-learn's expected matrix: outer(column sums, row sums) / n (transposed, which symmetric weights ignore)
    expected = np.outer(confusion.sum(axis=0), confusion.sum(axis=1)) / n
    index = np.arange(size, dtype=np.float64)
    plain = 1.0 - np.eye(size)
    quadratic = (index[None, :] - index[:, None]) ** 2
    return Agreement(n, _kappa(confusion, expected, plain), _kappa(confusion, expected, quadratic))


def _kappa(confusion: np.ndarray, expected: np.ndarray, weights: np.ndarray) -> float | None:
    """1 - observed / expected weighted disagreement; None when chance would give no disagreement at all."""
    chance = float(np.sum(weights * expected))
    if chance == 0.0:  # a sum of non-negative terms: exactly zero only when every score is the same one
        return None
    return float(1.0 - float(np.sum(weights * confusion)) / chance)

"""Cohen's κ between two scorers: by hand, against scikit-learn's `cohen_kappa_score`, and where it is undefined."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from sourcecheck.analytics.agreement import Agreement, cohen_kappa


def sklearn_kappa(first: list[int], second: list[int], labels: list[int] | None = None,
                  weights: str | None = None) -> float | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined κ, and "a single label was found": both expected here
        value = cohen_kappa_score(first, second, labels=labels, weights=weights)  # type: ignore[arg-type]
    return None if math.isnan(value) else float(value)


def assert_matches_sklearn(first: list[int], second: list[int], labels: list[int] | None = None) -> None:
    got = cohen_kappa(first, second, labels)
    assert got.n == len(first)
    for ours, theirs in ((got.kappa, sklearn_kappa(first, second, labels)),
                         (got.weighted_kappa, sklearn_kappa(first, second, labels, "quadratic"))):
        if theirs is None:
            assert ours is None
        else:
            assert ours == pytest.approx(theirs, abs=1e-12)


def test_the_textbook_example() -> None:
    """Two raters, 50 yes/no judgements (the standard worked example): both yes 20, both no 15, A yes B no 5,
    A no B yes 10. Observed agreement 35/50 = 0.7; A says yes 25/50, B 30/50, so chance agreement is
    0.5 * 0.6 + 0.5 * 0.4 = 0.5, and κ = (0.7 - 0.5) / (1 - 0.5) = 0.4. With two levels the quadratic weights are
    the plain ones, so the weighted κ is 0.4 too."""
    first = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    second = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    got = cohen_kappa(first, second)
    assert got.n == 50
    assert got.kappa == pytest.approx(0.4)
    assert got.weighted_kappa == pytest.approx(0.4)


def test_quadratic_weights_by_hand() -> None:
    """Scores 0-2 on 4 answers: (0,0) (1,2) (2,2) (2,0). Positions 0,1,2; weights (i-j)^2.
    Observed weighted disagreement: 0 + 1 + 0 + 4 = 5 over 4 answers = 1.25.
    First's scores: 0 once, 1 once, 2 twice; second's: 0 twice, 2 twice. Chance: sum over (i, j) of
    p_i q_j (i-j)^2 = 1/4*2/4*0 + 1/4*2/4*4 + 1/4*2/4*1 + 1/4*2/4*1 + 2/4*2/4*4 + 2/4*2/4*0 = (4+1+1+8)/8 = 1.75.
    Weighted κ = 1 - 1.25 / 1.75 = 2/7. Plain: observed agreement 2/4, chance 1/4*2/4 + 2/4*2/4 = 3/8,
    κ = (1/2 - 3/8) / (5/8) = 1/5."""
    got = cohen_kappa([0, 1, 2, 2], [0, 2, 2, 0])
    assert got.kappa == pytest.approx(1 / 5)
    assert got.weighted_kappa == pytest.approx(2 / 7)


@pytest.mark.parametrize(("first", "second", "labels"), [
    ([0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 1, 1, 0, 2], None),
    ([0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 1, 1, 0, 2], [0, 1, 2, 3, 4]),
    ([2, 2, 1], [1, 1, 2], None),  # worse than chance: negative
    ([0, 1], [1, 0], [0, 1, 2]),
    ([3, 3, 5, 7], [3, 5, 5, 7], None),  # gaps between scores: positions, not values, as scikit-learn weights them
    ([3, 3, 5, 7], [3, 5, 5, 7], [3, 4, 5, 6, 7]),
    ([1, 1, 1], [1, 1, 1], None),  # undefined
    ([1, 1, 1], [1, 1, 1], [0, 1, 2]),  # still undefined: labels nobody used add no chance disagreement
    ([0, 0, 0], [2, 2, 2], [0, 1, 2]),  # defined, zero: no agreement, as chance predicts
], ids=["seen", "labels 0-4", "negative", "swapped", "gaps", "gaps filled", "one score", "one score labels",
        "never agree"])
def test_hand_picked_cases_match_scikit_learn(first: list[int], second: list[int], labels: list[int] | None) -> None:
    assert_matches_sklearn(first, second, labels)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=40),
       st.booleans())
def test_generated_scores_match_scikit_learn(pairs: list[tuple[int, int]], full_labels: bool) -> None:
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    assert_matches_sklearn(first, second, list(range(5)) if full_labels else None)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=30))
def test_full_agreement_is_one_unless_every_score_is_the_same(scores: list[int]) -> None:
    got = cohen_kappa(scores, scores, range(11))
    if len(set(scores)) == 1:
        assert got == Agreement(len(scores), None, None)
    else:
        assert got.kappa == pytest.approx(1.0)
        assert got.weighted_kappa == pytest.approx(1.0)


def test_undefined_is_none_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cohen_kappa([2, 2], [2, 2]) == Agreement(2, None, None)
        assert cohen_kappa([], []) == Agreement(0, None, None)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="scored 2 and 1 answers"):
        cohen_kappa([1, 2], [1])
    with pytest.raises(ValueError, match=r"scores \[3\] are not among the labels \[0, 1, 2\]"):
        cohen_kappa([1, 3], [1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="labels repeat"):
        cohen_kappa([1], [1], [1, 1])


def test_the_order_of_the_scorers_does_not_matter() -> None:
    first, second = [0, 1, 2, 2, 1, 0, 2, 1], [0, 2, 2, 1, 1, 1, 2, 0]
    a, b = cohen_kappa(first, second), cohen_kappa(second, first)
    assert a.kappa == pytest.approx(b.kappa)
    assert a.weighted_kappa == pytest.approx(b.weighted_kappa)

"""Isotonic calibration: equal to scikit-learn's, checked by cross-validation, uncertain by bootstrap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.isotonic import IsotonicRegression

from monitorflow.estimation.calibration import (
    bootstrap_curves,
    calibration_gain,
    expected_calibration_error,
    fit_curve,
    quantile_grid,
    stratified_folds,
)
from tests.estimation.est_helpers import logistic


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.floats(0, 1), min_size=2, max_size=80),
    seed=st.integers(0, 10_000),
    weighted=st.booleans(),
)
def test_curve_equals_sklearn_isotonic_regression(scores, seed, weighted):
    rng = np.random.default_rng(seed)
    x = np.round(np.array(scores), 2)  # ties on purpose
    hits = (rng.random(x.size) < 0.5).astype(float)
    weights = rng.integers(0, 4, x.size).astype(float) if weighted else None
    if weights is not None and weights.sum() == 0:
        weights[0] = 1.0
    expected = IsotonicRegression(out_of_bounds="clip", increasing=True).fit(x, hits, sample_weight=weights)
    probe = np.linspace(-0.1, 1.1, 57)
    if weights is not None:  # scikit-learn keeps zero-weight points as knots; compare where data has weight
        probe = np.concatenate([probe, x[weights > 0]])
    np.testing.assert_allclose(fit_curve(x, hits, weights).apply(probe), expected.predict(probe), atol=1e-12)


def test_ece_by_hand():
    scores = np.array([0.1, 0.2, 0.3, 0.4, 0.9, 0.8])
    hits = np.array([0, 0, 1, 0, 1, 1], dtype=float)
    # two equal-count bins of the sorted scores: [0.1, 0.2, 0.3] and [0.4, 0.8, 0.9]
    by_hand = 0.5 * abs(0.2 - 1 / 3) + 0.5 * abs(0.7 - 2 / 3)
    assert expected_calibration_error(scores, hits, bins=2) == pytest.approx(by_hand)


def test_folds_are_stratified_and_cover_every_row():
    hits = np.r_[np.ones(50, bool), np.zeros(450, bool)]
    fold = stratified_folds(hits, 5, seed=3)
    for k in range(5):
        assert (fold[hits] == k).sum() == 10
        assert (fold[~hits] == k).sum() == 90


def test_cross_validation_measures_the_gain_of_calibration():
    rng = np.random.default_rng(0)
    z = rng.normal(size=20_000) * 2
    hits = (rng.random(z.size) < logistic(z)).astype(float)
    raw, calibrated = calibration_gain(logistic(z), hits)
    assert raw < 0.01 and calibrated < 0.01  # already calibrated: both at the level of label noise
    raw, calibrated = calibration_gain(logistic(2.5 * z), hits)
    assert raw > 0.05 and calibrated < raw / 3  # overconfident scores: much better after calibration


def test_bootstrap_replicates_scatter_around_the_curve_and_shrink_with_more_rows():
    rng = np.random.default_rng(1)

    def spread(n: int) -> float:
        z = rng.normal(size=n)
        hits = (rng.random(n) < logistic(z)).astype(float)
        scores = logistic(z)
        grid = quantile_grid(scores)
        replicates = bootstrap_curves(scores, hits, grid, 20, seed=0)
        assert replicates.shape == (20, grid.size)
        assert np.all(np.diff(replicates, axis=1) >= -1e-12)  # each replicate is non-decreasing
        middle = (grid > 0.3) & (grid < 0.7)
        return float(replicates[:, middle].std(axis=0).mean())

    assert spread(40_000) < spread(2_500) / 2  # isotonic error shrinks about as n^(-1/3)

"""Isotonic calibration of one class's scores, the check that it helps, and its uncertainty.

A calibrator maps a raw score to the share of positives among reference rows with that score
(isotonic regression: the best non-decreasing fit). It is stored as knots and applied with linear
interpolation between them, clipped at the ends: the same function as scikit-learn's
``IsotonicRegression(out_of_bounds="clip")``. Whether to apply it is decided by cross-validation:
only when out-of-fold calibrated scores have a lower expected calibration error (ECE) than the raw
scores. Bootstrap replicates of the calibrator measure how much the finite reference leaves it
uncertain; they are stored on a grid of score quantiles.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

#: Equal-count bins of the expected calibration error.
ECE_BINS = 10
#: Folds of the cross-validation that decides whether calibration helps.
CV_FOLDS = 5
#: Bootstrap replicates of a calibrator (its uncertainty), and grid points each is stored on.
REPLICATES = 20
GRID_POINTS = 200


class Curve(BaseModel):
    """A non-decreasing piecewise-linear map of scores, clipped outside ``[x[0], x[-1]]``."""

    model_config = ConfigDict(frozen=True)

    x: list[float]
    y: list[float]

    def apply(self, scores: np.ndarray) -> np.ndarray:
        return np.interp(scores, self.x, self.y)


def isotonic_knots(
    scores: np.ndarray, hits: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Knots of the weighted isotonic regression of ``hits`` (0/1) on ``scores``.

    Rows with equal scores are pooled first; runs of equal fitted values keep their two end knots
    only (linear interpolation between them gives the same function).
    """
    from scipy.optimize import isotonic_regression  # lazy: scipy is slow to import

    unique, inverse = np.unique(scores, return_inverse=True)
    w = np.ones(scores.size) if weights is None else np.asarray(weights, dtype=np.float64)
    totals = np.bincount(inverse, weights=w, minlength=unique.size)
    positives = np.bincount(inverse, weights=w * hits, minlength=unique.size)
    present = totals > 0
    x, totals, positives = unique[present], totals[present], positives[present]
    fitted = isotonic_regression(positives / totals, weights=totals, increasing=True).x
    if fitted.size > 2:
        inner = (fitted[1:-1] != fitted[:-2]) | (fitted[1:-1] != fitted[2:])
        keep = np.concatenate(([True], inner, [True]))
        x, fitted = x[keep], fitted[keep]
    return x, fitted


def fit_curve(scores: np.ndarray, hits: np.ndarray, weights: np.ndarray | None = None) -> Curve:
    x, y = isotonic_knots(scores, hits, weights)
    return Curve(x=x.tolist(), y=y.tolist())


def expected_calibration_error(scores: np.ndarray, hits: np.ndarray, bins: int = ECE_BINS) -> float:
    """Mean over equal-count score bins of |mean score - share of positives|, weighted by bin size."""
    order = np.argsort(scores, kind="stable")
    total = 0.0
    for part in np.array_split(order, min(bins, scores.size)):
        total += part.size * abs(scores[part].mean() - hits[part].mean())
    return total / scores.size


def stratified_folds(hits: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """A fold number per row; each fold gets about the same share of positives."""
    rng = np.random.default_rng(seed)
    fold = np.empty(hits.size, dtype=np.int64)
    for value in (False, True):
        rows = np.flatnonzero(hits == value)
        fold[rng.permutation(rows)] = np.arange(rows.size) % folds
    return fold


def calibration_gain(scores: np.ndarray, hits: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """(ECE of the raw scores, ECE of out-of-fold isotonic-calibrated scores) over all rows."""
    fold = stratified_folds(hits, CV_FOLDS, seed)
    calibrated = np.empty_like(scores)
    for k in range(CV_FOLDS):
        test = fold == k
        calibrated[test] = fit_curve(scores[~test], hits[~test]).apply(scores[test])
    return expected_calibration_error(scores, hits), expected_calibration_error(calibrated, hits)


def quantile_grid(scores: np.ndarray, points: int = GRID_POINTS) -> np.ndarray:
    """Distinct score quantiles, with 0 and 1 at the ends."""
    inner = np.quantile(scores, np.linspace(0.0, 1.0, points - 2))
    return np.unique(np.concatenate(([0.0], inner, [1.0])))


def bootstrap_curves(
    scores: np.ndarray, hits: np.ndarray, grid: np.ndarray, replicates: int, seed: int
) -> np.ndarray:
    """(replicates, grid size): calibrators fitted on bootstrap resamples, evaluated on ``grid``."""
    rng = np.random.default_rng(seed)
    out = np.empty((replicates, grid.size))
    for r in range(replicates):
        weights = np.bincount(rng.integers(0, scores.size, scores.size), minlength=scores.size)
        x, y = isotonic_knots(scores, hits, weights.astype(np.float64))
        out[r] = np.interp(grid, x, y)
    return out


__all__ = [
    "Curve",
    "bootstrap_curves",
    "calibration_gain",
    "expected_calibration_error",
    "fit_curve",
    "isotonic_knots",
    "quantile_grid",
    "stratified_folds",
]

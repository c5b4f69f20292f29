"""Direct loss estimation (DLE) of regression error: a "nanny" model of each row's error.

On the labelled reference, gradient-boosted trees (scikit-learn's ``HistGradientBoostingRegressor``)
learn the absolute error |y - prediction| and the squared error from the features and the
prediction. A window's estimated MAE is the mean predicted absolute error; its RMSE the root of the
mean predicted squared error. Sums are mergeable (:class:`RegressionSums`).

Standard errors have three parts:

- sampling: the errors scatter around their expectation; the reference shows their variance as a
  share of the squared expectation (``noise_ratio``), so the window's predicted errors size it;
- model: out-of-fold predictions on the reference show how far a fold's mean predicted error is
  from its realized one, beyond sampling (``systematic``, relative);
- subsampling: at most ``max_rows`` rows of a window are scored (every k-th row).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Final, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from monitorflow.errors import MissingDependencyError, ReferenceTooSmall
from monitorflow.estimation.band import Estimated
from monitorflow.estimation.calibration import stratified_folds
from monitorflow.estimation.trees import TreeEnsemble, from_sklearn

#: State format version (a stored state of another version is refitted).
STATE_VERSION: Final = 1
#: Fewest labelled reference rows to fit and check the nanny models.
MIN_REFERENCE_ROWS = 200
#: Out-of-fold folds on the reference (noise ratio and model error).
FOLDS = 5
#: Window rows scored by default (every k-th row above it; the subsampling error joins the band).
MAX_ROWS = 100_000
#: The nanny models' settings (fixed, deterministic; shallow trees keep scoring fast).
BOOSTING = {
    "max_iter": 100,
    "learning_rate": 0.1,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "early_stopping": False,
    "random_state": 0,
}
ERRORS = ("absolute", "squared")
Error = Literal["absolute", "squared"]


class ErrorModel(BaseModel):
    """A nanny model of one kind of error and what the reference says about its uncertainty."""

    model_config = ConfigDict(frozen=True)

    trees: TreeEnsemble
    #: Var(error | row) ~ noise_ratio x predicted error^2.
    noise_ratio: float
    #: Relative standard deviation of a window's mean predicted error beyond sampling.
    systematic: float

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.maximum(self.trees.predict(X), 0.0)


class RegressorState(BaseModel):
    """Everything fitted on the reference; JSON-serialisable, reused by every window."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["regression"] = "regression"
    version: Literal[1] = STATE_VERSION
    #: Model inputs in order: the features, then the prediction.
    inputs: list[Any]
    #: Categories of the categorical inputs (a value's code is its position; others are missing).
    categories: dict[str, list[str]]
    models: dict[str, ErrorModel]
    reference_rows: int
    #: Realized MAE and RMSE of the reference.
    reference_scores: dict[str, float]
    fingerprint: str = ""


def _boosting() -> Any:
    try:
        from sklearn.ensemble import HistGradientBoostingRegressor  # optional: estimation extra
        from threadpoolctl import threadpool_limits  # optional: estimation extra
    except ImportError:  # pragma: no cover - scikit-learn comes with the estimation extra
        raise MissingDependencyError("scikit-learn", "estimation") from None

    def fit(X: np.ndarray, target: np.ndarray) -> TreeEnsemble:
        # One OpenMP thread: deterministic, and no spinning threads on a shared machine.
        with threadpool_limits(limits=1, user_api="openmp"):
            return from_sklearn(HistGradientBoostingRegressor(**BOOSTING).fit(X, target))

    return fit


def _error_model(fit: Any, X: np.ndarray, target: np.ndarray, seed: int) -> ErrorModel:
    folds = stratified_folds(np.zeros(target.size, dtype=bool), FOLDS, seed)
    predicted = np.empty_like(target)
    for k in range(FOLDS):
        test = folds == k
        predicted[test] = np.maximum(fit(X[~test], target[~test]).predict(X[test]), 0.0)
    squares = float((predicted**2).sum())
    noise_ratio = float(((target - predicted) ** 2).sum() / squares) if squares > 0 else 0.0
    excess = []
    for k in range(FOLDS):
        test = folds == k
        mean_predicted = predicted[test].sum()
        if mean_predicted <= 0:
            continue
        relative = target[test].sum() / mean_predicted - 1.0
        sampling = noise_ratio * (predicted[test] ** 2).sum() / mean_predicted**2
        excess.append(relative**2 - sampling)
    systematic = float(np.sqrt(max(np.mean(excess), 0.0))) if excess else 0.0
    return ErrorModel(trees=fit(X, target), noise_ratio=noise_ratio, systematic=systematic)


def fit_regressor_state(
    X: np.ndarray,
    y: np.ndarray,
    prediction: np.ndarray,
    inputs: list[Any],
    categories: dict[str, list[str]],
    errors: tuple[str, ...] = ERRORS,
    seed: int = 0,
) -> RegressorState:
    """Fit the nanny models on labelled reference rows (``X``: encoded inputs, prediction last)."""
    if y.size < MIN_REFERENCE_ROWS:
        raise ReferenceTooSmall(
            f"reference_data has {y.size} labelled rows; estimating regression error needs at least "
            f"{MIN_REFERENCE_ROWS} (to fit and cross-check the error models): pass a larger labelled "
            "reference"
        )
    fit = _boosting()
    residual = y - prediction
    targets = {"absolute": np.abs(residual), "squared": residual**2}
    models = {name: _error_model(fit, X, targets[name], seed) for name in errors}
    scores = {"mae": float(np.abs(residual).mean()), "rmse": float(np.sqrt((residual**2).mean()))}
    return RegressorState(
        inputs=inputs,
        categories=categories,
        models=models,
        reference_rows=int(y.size),
        reference_scores=scores,
    )


# ------------------------------------------------------------------------------------ sums


@dataclass
class RegressionSums:
    """What a set of rows contributes; ``a + b`` is the sums of both sets."""

    rows: int
    scored: int
    total: dict[str, float]  # sum of predicted errors of the scored rows, per kind
    squares: dict[str, float]  # sum of their squares

    def __add__(self, other: RegressionSums) -> RegressionSums:
        merged: dict[str, Any] = {}  # field by field: the dataclass's own fields, so its types
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            merged[f.name] = {k: a[k] + b[k] for k in a} if isinstance(a, dict) else a + b
        return RegressionSums(**merged)


def scoring_step(rows: int, max_rows: int = MAX_ROWS) -> int:
    return max(1, -(-rows // max_rows))


def accumulate(state: RegressorState, X: np.ndarray, step: int = 1) -> RegressionSums:
    """The sums of rows with encoded inputs ``X``; every ``step``-th row is scored."""
    sample = X[::step]
    total, squares = {}, {}
    for name, model in state.models.items():
        predicted = model.predict(sample)
        total[name], squares[name] = float(predicted.sum()), float((predicted**2).sum())
    return RegressionSums(rows=int(X.shape[0]), scored=int(sample.shape[0]), total=total, squares=squares)


def _mean_error(model: ErrorModel, sums: RegressionSums, name: str) -> tuple[float, float, float]:
    """(mean predicted error, its sampling + subsampling standard error, model standard error)."""
    n, m = sums.rows, sums.scored
    mean = sums.total[name] / m
    mean_square = sums.squares[name] / m
    sampling = model.noise_ratio * mean_square / n
    spread = max(mean_square - mean**2, 0.0)
    subsampling = (1.0 - m / n) * spread / m
    return mean, float(np.sqrt(sampling + subsampling)), model.systematic * mean


def estimate(state: RegressorState, sums: RegressionSums, band_z: float) -> dict[str, Estimated]:
    """Estimated MAE (absolute-error model) and RMSE (squared-error model) of the rows behind ``sums``."""
    out = {}
    if "absolute" in state.models:
        mean, sampling, model = _mean_error(state.models["absolute"], sums, "absolute")
        out["mae"] = Estimated(mean, sampling, model, band_z, ceiling=math.inf)
    if "squared" in state.models:
        mse, sampling, model = _mean_error(state.models["squared"], sums, "squared")
        rmse = float(np.sqrt(mse))
        scale = 1.0 / (2.0 * rmse) if rmse > 0 else 0.0
        out["rmse"] = Estimated(rmse, sampling * scale, model * scale, band_z, ceiling=math.inf)
    return out


__all__ = [
    "ERRORS",
    "MAX_ROWS",
    "MIN_REFERENCE_ROWS",
    "ErrorModel",
    "RegressionSums",
    "RegressorState",
    "accumulate",
    "estimate",
    "fit_regressor_state",
    "scoring_step",
]

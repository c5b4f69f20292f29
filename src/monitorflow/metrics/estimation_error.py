"""Reconciliation: once labels arrive, the estimate of the labelled rows against their realized scores.

The estimate is recomputed on exactly the rows that have a label (with the same fitted state), so
a window whose labels are partial compares like with like. A realized score outside the estimate's
band says the reference's relation between probabilities (or inputs) and outcomes no longer holds:
when that persists over windows, it is concept drift (:class:`monitorflow.checks.TestConceptDrift`).
"""

from __future__ import annotations

import math

import numpy as np

from monitorflow._types import ColumnName, Float
from monitorflow.context import RunContext
from monitorflow.errors import ColumnNotFoundError
from monitorflow.estimation import classification as cbpe
from monitorflow.estimation import regression as dle
from monitorflow.estimation.band import Estimated
from monitorflow.estimation.inputs import labelled_classes, regression_rows
from monitorflow.estimation.quality import realized_scores
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.estimation import SCORE_FIELDS, _ClassifierEstimate, _RegressorEstimate


class EstimationErrorValue(MetricResult):
    """One score: estimated (with its band) against realized, on the same labelled rows."""

    estimated: Float
    realized: Float
    #: estimated - realized
    error: Float
    standard_error: Float
    lower: Float
    upper: Float
    #: error / standard_error
    z_score: Float
    outside_band: bool

    @classmethod
    def of(cls, estimated: Estimated, realized: float) -> EstimationErrorValue:
        error = estimated.value - realized
        se = estimated.standard_error
        return cls(
            estimated=estimated.value,
            realized=realized,
            error=error,
            standard_error=se,
            lower=estimated.lower,
            upper=estimated.upper,
            z_score=error / se if se > 0 else math.nan,
            outside_band=not math.isnan(realized) and not estimated.covers(realized),
        )


def _labelled_target(ctx: RunContext) -> ColumnName:
    target = ctx.column_mapping.target
    if target is None or target not in ctx.current.columns:
        raise ColumnNotFoundError(target, "column_mapping.target", "current_data", ctx.current.columns)
    return target


class _ReconciliationResult(MetricResult):
    #: Labelled rows compared.
    number_of_rows: int
    band_z: float
    estimator: str


class ClassificationEstimationErrorResult(_ReconciliationResult):
    accuracy: EstimationErrorValue
    precision: EstimationErrorValue
    recall: EstimationErrorValue
    f1: EstimationErrorValue
    roc_auc: EstimationErrorValue


class ClassificationEstimationError(_ClassifierEstimate):
    """Estimated vs realized accuracy, precision, recall, F1 and ROC AUC of the labelled rows."""

    result_type = ClassificationEstimationErrorResult

    def calculate(self, ctx: RunContext) -> ClassificationEstimationErrorResult:
        spec, state = self.estimator(ctx)
        y, raw = labelled_classes(ctx.current, _labelled_target(ctx), spec, "current_data")
        sums = cbpe.accumulate(state, raw, cbpe.replicate_step(raw.shape[0]))
        estimates = cbpe.estimate(state, sums, self.band_z)
        realized = realized_scores(y, state.predict(raw), raw, state.pos)
        return ClassificationEstimationErrorResult(
            **{name: EstimationErrorValue.of(estimates[name], realized[name]) for name in cbpe.SCORES},
            number_of_rows=int(y.size),
            band_z=self.band_z,
            estimator=state.fingerprint,
        )


class RegressionEstimationErrorResult(_ReconciliationResult):
    mean_abs_error: EstimationErrorValue | None = None
    rmse: EstimationErrorValue | None = None


class RegressionEstimationError(_RegressorEstimate):
    """Estimated vs realized MAE and RMSE of the labelled rows."""

    result_type = RegressionEstimationErrorResult

    def calculate(self, ctx: RunContext) -> RegressionEstimationErrorResult:
        state = self.estimator(ctx)
        target = _labelled_target(ctx)
        frame = ctx.current.loc[ctx.current[target].notna()]
        X, kept = regression_rows(frame, state.inputs, state.categories, "current_data")
        y = frame[target].to_numpy(dtype=np.float64, na_value=np.nan)[kept]
        sums = dle.accumulate(state, X, dle.scoring_step(X.shape[0], self.max_rows))
        estimates = dle.estimate(state, sums, self.band_z)
        residual = y - X[:, -1]
        realized = {"mae": float(np.abs(residual).mean()), "rmse": float(np.sqrt((residual**2).mean()))}
        return RegressionEstimationErrorResult(
            **{SCORE_FIELDS[m]: EstimationErrorValue.of(estimates[m], realized[m]) for m in self.metrics},
            number_of_rows=int(y.size),
            band_z=self.band_z,
            estimator=state.fingerprint,
        )


__all__ = [
    "ClassificationEstimationError",
    "ClassificationEstimationErrorResult",
    "EstimationErrorValue",
    "RegressionEstimationError",
    "RegressionEstimationErrorResult",
]

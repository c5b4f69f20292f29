"""Model quality estimated without labels: classification (CBPE) and regression error (DLE).

Both calibrate on a labelled ``reference_data`` that the model was not trained on; the current
data needs no target. The fitted state (calibrators or error models) is computed once per
reference and settings and reused by every window in the process (:mod:`monitorflow.estimation`).

>>> import numpy as np, pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> rng = np.random.default_rng(0)
>>> p = rng.uniform(size=4000)
>>> reference = pd.DataFrame({"target": (rng.uniform(size=4000) < p).astype(int), "prediction": p})
>>> current = pd.DataFrame({"prediction": rng.uniform(size=1000) ** 0.5})
>>> report = Report(metrics=[EstimatedClassificationQuality()])
>>> mapping = ColumnMapping(task="classification")
>>> report.run(reference_data=reference, current_data=current, column_mapping=mapping)
>>> accuracy = report.as_dict()["metrics"][0]["result"]["current"]["accuracy"]
>>> accuracy["lower"] < accuracy["value"] < accuracy["upper"]
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import Field

from monitorflow._types import ColumnName, Float
from monitorflow.context import RunContext, Side
from monitorflow.errors import ConfigurationError, EmptyDataError
from monitorflow.estimation import classification as cbpe
from monitorflow.estimation import regression as dle
from monitorflow.estimation.band import Estimated
from monitorflow.estimation.inputs import (
    categories_of,
    classifier_columns,
    encode,
    model_inputs,
    probabilities,
    reference_classes,
    reference_labels,
    regression_rows,
)
from monitorflow.estimation.states import fingerprint, fitted
from monitorflow.metrics.base import Metric, MetricResult

#: Default band: the estimate ± this many standard errors.
BAND_Z = 3.0


@dataclass(frozen=True)
class Prepared:
    """An estimator ready to fit: its state's fingerprint, the fit, and the columns it reads."""

    key: str
    fit: Callable[[], Any]
    columns: Any = None


class EstimateValue(MetricResult):
    """An estimated score, its standard error (sampling and reference parts) and its band."""

    value: Float
    standard_error: Float
    sampling_error: Float
    reference_error: Float
    lower: Float
    upper: Float

    @classmethod
    def of(cls, estimated: Estimated) -> EstimateValue:
        return cls(
            value=estimated.value,
            standard_error=estimated.standard_error,
            sampling_error=estimated.sampling_error,
            reference_error=estimated.reference_error,
            lower=estimated.lower,
            upper=estimated.upper,
        )


class ExpectedConfusionMatrix(MetricResult):
    """Expected counts: ``matrix[i][j]`` rows of class ``labels[i]`` predicted as ``labels[j]``."""

    labels: list[str]
    matrix: list[list[float]]


class EstimatedClassification(MetricResult):
    accuracy: EstimateValue
    precision: EstimateValue
    recall: EstimateValue
    f1: EstimateValue
    roc_auc: EstimateValue
    expected_confusion_matrix: ExpectedConfusionMatrix
    number_of_rows: int
    number_of_dropped_rows: int


class ClassCalibrationInfo(MetricResult):
    """Whether a class's probabilities are recalibrated, and the cross-validated calibration errors."""

    calibrated: bool
    ece_raw: Float
    ece_calibrated: Float


class _EstimateResult(MetricResult):
    """What every estimate reports besides its values: the reference's realized scores (the default
    conditions of the tests), the band width and the fitted state's fingerprint."""

    #: Realized scores of the labelled reference.
    reference_scores: dict[str, Float]
    band_z: float
    reference_rows: int
    estimator: str


class EstimatedClassificationQualityResult(_EstimateResult):
    current: EstimatedClassification
    calibration: dict[str, ClassCalibrationInfo]


class _ClassifierEstimate(Metric[Any]):
    """Settings and fitted state shared by the classification estimate and its reconciliation."""

    group = "classification"

    probas_threshold: float | None = Field(None, ge=0, le=1)
    calibration: cbpe.Calibration = "auto"
    band_z: float = Field(BAND_Z, gt=0)

    def estimation_metrics(self) -> list[Metric[Any]]:
        return [self]

    def prepare(self, ctx: RunContext) -> Prepared:
        """The state's fingerprint (settings and labelled reference) and how to fit it."""

        def compute() -> Prepared:
            spec = classifier_columns(ctx)
            if spec.pos is None and self.probas_threshold is not None:
                raise ConfigurationError(
                    f"probas_threshold applies to binary classification; this model has {len(spec.labels)} "
                    "classes (the prediction is the most probable class): drop probas_threshold",
                    argument="probas_threshold",
                )
            y, raw = reference_classes(ctx, spec)
            threshold = (
                None
                if spec.pos is None
                else (0.5 if self.probas_threshold is None else self.probas_threshold)
            )
            settings = {
                "kind": "classification",
                "version": cbpe.STATE_VERSION,
                "labels": [str(v) for v in spec.labels],
                "columns": [str(c) for c in spec.names],
                "pos": spec.pos,
                "threshold": threshold,
                "calibration": self.calibration,
            }
            return Prepared(
                fingerprint(settings, [y, raw]),
                lambda: cbpe.fit_classifier_state(y, raw, spec.labels, spec.pos, threshold, self.calibration),
                spec,
            )

        return ctx.memo(("estimation-classifier", self.probas_threshold, self.calibration), compute)

    def estimator(self, ctx: RunContext) -> tuple[Any, cbpe.ClassifierState]:
        """(columns, state): fitted on the labelled reference once per reference and settings."""
        prepared = self.prepare(ctx)
        return prepared.columns, fitted(prepared.key, prepared.fit)

    def window_sums(self, ctx: RunContext, side: Side = "current") -> tuple[cbpe.ClassificationSums, int]:
        """The window's sums and the number of rows dropped for a missing probability."""
        spec, state = self.estimator(ctx)

        def compute() -> tuple[cbpe.ClassificationSums, int]:
            raw, kept = probabilities(ctx.data(side), spec, f"{side}_data")
            if raw.shape[0] == 0:
                raise EmptyDataError(f"{side}_data", "rows with every probability column filled")
            return cbpe.accumulate(state, raw, cbpe.replicate_step(raw.shape[0])), int((~kept).sum())

        return ctx.memo(("estimation-sums", side, state.fingerprint), compute)


class EstimatedClassificationQuality(_ClassifierEstimate):
    """Accuracy, precision, recall, F1 and ROC AUC estimated from calibrated probabilities (no labels),
    with sampling-error bands and the expected confusion matrix."""

    result_type = EstimatedClassificationQualityResult

    def calculate(self, ctx: RunContext) -> EstimatedClassificationQualityResult:
        spec, state = self.estimator(ctx)
        sums, dropped = self.window_sums(ctx)
        estimates = cbpe.estimate(state, sums, self.band_z)
        current = EstimatedClassification(
            **{name: EstimateValue.of(estimates[name]) for name in cbpe.SCORES},
            expected_confusion_matrix=ExpectedConfusionMatrix(
                labels=[str(v) for v in state.labels], matrix=sums.expected.tolist()
            ),
            number_of_rows=sums.rows,
            number_of_dropped_rows=dropped,
        )
        calibration = {
            str(state.labels[c]): ClassCalibrationInfo(
                calibrated=state.classes[c].curve is not None,
                ece_raw=state.classes[c].ece_raw,
                ece_calibrated=state.classes[c].ece_calibrated,
            )
            for c in state.curve_classes
        }
        return EstimatedClassificationQualityResult(
            current=current,
            reference_scores=state.reference_scores,
            calibration=calibration,
            band_z=self.band_z,
            reference_rows=state.reference_rows,
            estimator=state.fingerprint,
        )


# -------------------------------------------------------------------------------- regression


class EstimatedRegression(MetricResult):
    mean_abs_error: EstimateValue | None = None
    rmse: EstimateValue | None = None
    number_of_rows: int
    number_of_dropped_rows: int
    #: Rows the error models scored (every k-th row above ``max_rows``).
    scored_rows: int


class ErrorModelInfo(MetricResult):
    noise_ratio: Float
    systematic: Float


class EstimatedRegressionQualityResult(_EstimateResult):
    current: EstimatedRegression
    error_models: dict[str, ErrorModelInfo]


SCORE_FIELDS = {"mae": "mean_abs_error", "rmse": "rmse"}
ERROR_OF = {"mae": "absolute", "rmse": "squared"}


REGRESSION_SCORES: tuple[Literal["mae", "rmse"], ...] = ("mae", "rmse")


class _RegressorEstimate(Metric[Any]):
    group = "regression"

    columns: list[ColumnName] | None = None
    metrics: list[Literal["mae", "rmse"]] = Field(
        default_factory=lambda: list(REGRESSION_SCORES), min_length=1
    )
    band_z: float = Field(BAND_Z, gt=0)
    max_rows: int = Field(dle.MAX_ROWS, gt=0)

    def estimation_metrics(self) -> list[Metric[Any]]:
        return [self]

    def prepare(self, ctx: RunContext) -> Prepared:
        """The state's fingerprint (settings and labelled reference) and how to fit it."""

        def compute() -> Prepared:
            inputs = model_inputs(ctx, self.columns)
            target, _ = reference_labels(ctx, "regression error")
            reference = ctx.data("reference")
            categories = categories_of(reference, ctx, inputs[:-1])
            X = encode(reference, inputs, categories, "reference_data")
            y = reference[target].to_numpy(dtype=np.float64, na_value=np.nan)
            labelled = ~np.isnan(y) & ~np.isnan(X[:, -1])
            X, y = X[labelled], y[labelled]
            errors = tuple(dict.fromkeys(ERROR_OF[m] for m in self.metrics))
            settings = {
                "kind": "regression",
                "version": dle.STATE_VERSION,
                "inputs": [str(c) for c in inputs],
                "errors": errors,
                "boosting": dle.BOOSTING,
            }
            return Prepared(
                fingerprint(settings, [X, y]),
                lambda: dle.fit_regressor_state(X, y, X[:, -1], inputs, categories, errors),
            )

        return ctx.memo(("estimation-regressor", tuple(self.columns or ()), tuple(self.metrics)), compute)

    def estimator(self, ctx: RunContext) -> dle.RegressorState:
        """The error models, fitted on the labelled reference once per reference and settings."""
        prepared = self.prepare(ctx)
        return fitted(prepared.key, prepared.fit)

    def window_sums(self, ctx: RunContext, side: Side = "current") -> tuple[dle.RegressionSums, int]:
        state = self.estimator(ctx)

        def compute() -> tuple[dle.RegressionSums, int]:
            X, kept = regression_rows(ctx.data(side), state.inputs, state.categories, f"{side}_data")
            step = dle.scoring_step(X.shape[0], self.max_rows)
            return dle.accumulate(state, X, step), int((~kept).sum())

        return ctx.memo(("estimation-regression-sums", side, state.fingerprint, self.max_rows), compute)


class EstimatedRegressionQuality(_RegressorEstimate):
    """MAE and RMSE estimated by models of the absolute and squared error (no labels), with bands."""

    result_type = EstimatedRegressionQualityResult

    def calculate(self, ctx: RunContext) -> EstimatedRegressionQualityResult:
        state = self.estimator(ctx)
        sums, dropped = self.window_sums(ctx)
        estimates = dle.estimate(state, sums, self.band_z)
        current = EstimatedRegression(
            **{SCORE_FIELDS[m]: EstimateValue.of(estimates[m]) for m in self.metrics},
            number_of_rows=sums.rows,
            number_of_dropped_rows=dropped,
            scored_rows=sums.scored,
        )
        return EstimatedRegressionQualityResult(
            current=current,
            reference_scores={SCORE_FIELDS[k]: v for k, v in state.reference_scores.items()},
            error_models={
                k: ErrorModelInfo(noise_ratio=m.noise_ratio, systematic=m.systematic)
                for k, m in state.models.items()
            },
            band_z=self.band_z,
            reference_rows=state.reference_rows,
            estimator=state.fingerprint,
        )


def estimation_metrics(items: Iterable[Any]) -> list[Metric[Any]]:
    """The estimation metrics behind metrics, tests and presets (each once): whose states they need."""
    found: dict[str, Metric[Any]] = {}
    for item in items:
        for metric in getattr(item, "estimation_metrics", lambda: [])():
            found.setdefault(metric.fingerprint, metric)
    return list(found.values())


__all__ = [
    "BAND_Z",
    "EstimateValue",
    "EstimatedClassificationQuality",
    "EstimatedClassificationQualityResult",
    "EstimatedRegressionQuality",
    "EstimatedRegressionQualityResult",
    "Prepared",
    "estimation_metrics",
]

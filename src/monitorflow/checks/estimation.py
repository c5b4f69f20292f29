"""Tests of estimated model quality (no labels) and of its reconciliation with the realized one.

Default conditions come from the labelled reference the estimate is calibrated on: an estimated
score may not fall more than 20% below the reference's realized score (classification, as
``TestAccuracyScore``), an estimated error may not grow more than 10% above it (regression, as
``TestValueMAE``). ``TestConceptDrift`` compares estimate and realized once labels arrive.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from monitorflow._types import ColumnName
from monitorflow.checks import classification, regression
from monitorflow.checks.base import ConditionTest, Outcome, Test, at_least_reference, at_most_reference
from monitorflow.context import RunContext, Side
from monitorflow.estimation.classification import Calibration
from monitorflow.estimation.regression import MAX_ROWS
from monitorflow.metrics.base import Metric
from monitorflow.metrics.estimation import (
    BAND_Z,
    SCORE_FIELDS,
    EstimatedClassificationQuality,
    EstimatedRegressionQuality,
    EstimateValue,
)
from monitorflow.metrics.estimation_error import ClassificationEstimationError, RegressionEstimationError
from monitorflow.records import TestStatus


class _ClassifierSettings(Test):
    group = "classification"

    probas_threshold: float | None = Field(None, ge=0, le=1)
    calibration: Calibration = "auto"
    band_z: float = Field(BAND_Z, gt=0)

    def estimator_args(self) -> dict[str, Any]:
        return {
            "probas_threshold": self.probas_threshold,
            "calibration": self.calibration,
            "band_z": self.band_z,
        }


class _RegressorSettings(Test):
    group = "regression"

    columns: list[ColumnName] | None = None
    band_z: float = Field(BAND_Z, gt=0)
    max_rows: int = Field(MAX_ROWS, gt=0)

    def estimator_args(self) -> dict[str, Any]:
        return {"columns": self.columns, "band_z": self.band_z, "max_rows": self.max_rows}


class _EstimatedTest(ConditionTest):
    """An estimated score (current) against the realized one of the reference."""

    #: The score's name in the estimate (``accuracy``, ``mae`` ...).
    score: ClassVar[str]

    def estimate(self, ctx: RunContext) -> tuple[EstimateValue, float]:
        raise NotImplementedError

    def measure(self, ctx: RunContext, side: Side) -> float:
        current, reference = self.estimate(ctx)
        return current.value if side == "current" else reference

    def what(self) -> str:
        return f"estimated {self.name.removeprefix('Estimated ').lower()}"

    def check(self, ctx: RunContext) -> Outcome:
        outcome = super().check(ctx)
        current, _ = self.estimate(ctx)
        band = {"lower": current.lower, "upper": current.upper, "standard_error": current.standard_error}
        return outcome.model_copy(update={"parameters": {**outcome.parameters, **band}})


class _EstimatedClassificationTest(_EstimatedTest, _ClassifierSettings):
    reference_rule = at_least_reference(classification.REFERENCE_TOLERANCE)

    def estimation_metrics(self) -> list[Metric[Any]]:
        return [EstimatedClassificationQuality(**self.estimator_args())]

    def estimate(self, ctx: RunContext) -> tuple[EstimateValue, float]:
        result = ctx.result(EstimatedClassificationQuality(**self.estimator_args()))
        return getattr(result.current, self.score), result.reference_scores[self.score]


class _EstimatedRegressionTest(_EstimatedTest, _RegressorSettings):
    reference_rule = at_most_reference(regression.REFERENCE_TOLERANCE)

    def estimation_metrics(self) -> list[Metric[Any]]:
        return [EstimatedRegressionQuality(metrics=[self.score], **self.estimator_args())]

    def estimate(self, ctx: RunContext) -> tuple[EstimateValue, float]:
        result = ctx.result(self.estimation_metrics()[0])
        field = SCORE_FIELDS[self.score]
        return getattr(result.current, field), result.reference_scores[field]


class TestEstimatedAccuracy(_EstimatedClassificationTest):
    name = "Estimated Accuracy"
    score = "accuracy"


class TestEstimatedPrecision(_EstimatedClassificationTest):
    name = "Estimated Precision"
    score = "precision"


class TestEstimatedRecall(_EstimatedClassificationTest):
    name = "Estimated Recall"
    score = "recall"


class TestEstimatedF1(_EstimatedClassificationTest):
    name = "Estimated F1 Score"
    score = "f1"


class TestEstimatedRocAuc(_EstimatedClassificationTest):
    name = "Estimated ROC AUC"
    score = "roc_auc"


class TestEstimatedMAE(_EstimatedRegressionTest):
    name = "Estimated MAE"
    score = "mae"


class TestEstimatedRMSE(_EstimatedRegressionTest):
    name = "Estimated RMSE"
    score = "rmse"


# ----------------------------------------------------------------------------- concept drift

ClassificationScore = Literal["accuracy", "precision", "recall", "f1", "roc_auc"]
RegressionScore = Literal["mae", "rmse"]


def trailing_run(flags: list[bool]) -> int:
    """How many of the last ``flags`` are True in a row."""
    run = 0
    for flag in reversed(flags):
        if not flag:
            break
        run += 1
    return run


class TestConceptDrift(_ClassifierSettings, _RegressorSettings):
    """The realized score of the labelled rows against the estimate's band, over windows.

    SUCCESS inside the band; WARNING outside it in this window only; FAIL when it is outside in
    ``consecutive`` windows in a row (this one and the last ones in ``history``, oldest first, which
    the ground-truth flow fills from earlier windows): the reference's relation between predictions
    and outcomes no longer holds.
    """

    name = "Concept Drift"
    group = "model quality"

    score: ClassificationScore | RegressionScore = "accuracy"
    consecutive: int = Field(2, ge=1)
    history: list[bool] = []

    def check(self, ctx: RunContext) -> Outcome:
        if self.score in SCORE_FIELDS:
            metric: Any = RegressionEstimationError(
                metrics=[self.score], **_RegressorSettings.estimator_args(self)
            )
            value = getattr(ctx.result(metric), SCORE_FIELDS[self.score])
        else:
            value = getattr(
                ctx.result(ClassificationEstimationError(**_ClassifierSettings.estimator_args(self))),
                self.score,
            )
        run = trailing_run([*self.history, value.outside_band])
        parameters = {
            "score": self.score,
            "estimated": value.estimated,
            "realized": value.realized,
            "lower": value.lower,
            "upper": value.upper,
            "z_score": value.z_score,
            "outside_band": value.outside_band,
            "windows_outside": run,
        }
        where = (
            f"realized {self.score} {value.realized:.4g} vs estimated {value.estimated:.4g} "
            f"[{value.lower:.4g}, {value.upper:.4g}]"
        )
        if not value.outside_band:
            return Outcome(
                status=TestStatus.SUCCESS, description=f"{where}: inside the band", parameters=parameters
            )
        if run >= self.consecutive:
            return Outcome(
                status=TestStatus.FAIL,
                description=(
                    f"{where}: outside the band in {run} consecutive windows; concept drift: the relation "
                    "between the model's outputs and the outcomes changed since the reference (retrain, and "
                    "refit the estimator on recent labelled data)"
                ),
                parameters=parameters,
            )
        return Outcome(
            status=TestStatus.WARNING,
            description=f"{where}: outside the band in this window ({run} of {self.consecutive} in a row "
            "for concept drift)",
            parameters=parameters,
        )


__all__ = [
    "TestConceptDrift",
    "TestEstimatedAccuracy",
    "TestEstimatedF1",
    "TestEstimatedMAE",
    "TestEstimatedPrecision",
    "TestEstimatedRMSE",
    "TestEstimatedRecall",
    "TestEstimatedRocAuc",
    "trailing_run",
]

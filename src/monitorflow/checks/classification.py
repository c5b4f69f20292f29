"""Tests of classification quality. Default conditions are in docs/tests.md.

With reference data a score may not get worse by more than 20% of its reference value (an
improvement never fails); without it the model must beat the dummy classifier
(``ClassificationDummyMetric``), and ROC AUC must exceed 0.5.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator

from monitorflow.checks.base import ConditionTest, at_least_reference, at_most_reference, fixed
from monitorflow.conditions import TestValueCondition
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.errors import MetricError
from monitorflow.metrics.classification import (
    ClassificationDummyMetric,
    ClassificationQualityByClass,
    ClassificationQualityMetric,
    ClassMetric,
    DatasetClassificationQuality,
)
from monitorflow.metrics.classification_data import label_key

#: Relative tolerance of the reference-derived conditions of classification scores.
REFERENCE_TOLERANCE = 0.2


class _ModelQualityTest(ConditionTest):
    """A condition test whose no-reference condition may depend on the test's own parameters."""

    group = "classification"

    def default_condition(self, ctx: RunContext) -> tuple[TestValueCondition, float | None]:
        rule = type(self).reference_rule
        if ctx.has_reference and rule is not None:
            reference = self.measure(ctx, "reference")
            return rule(reference, ctx), reference
        return self.condition_without_reference(ctx), None

    def condition_without_reference(self, ctx: RunContext) -> TestValueCondition:
        fallback = type(self).default_rule
        if fallback is None:
            raise ReferenceRequired(
                f"{self.what()}: reference_data or an explicit condition is needed to test it"
            )
        return fallback(ctx)


class _ScoreTest(_ModelQualityTest):
    """A score of ClassificationQualityMetric; without reference compared with the dummy model's."""

    #: The DatasetClassificationQuality field tested.
    field: ClassVar[str]
    #: "gt" (a score) or "lt" (an error rate) against the dummy's value; None: ``default_rule``.
    dummy_operator: ClassVar[str | None] = "gt"
    reference_rule = at_least_reference(REFERENCE_TOLERANCE)
    #: Why the score can be missing.
    requires: ClassVar[str] = ""

    def metric_args(self) -> dict[str, Any]:
        return {}

    def quality(self, ctx: RunContext, side: Side) -> DatasetClassificationQuality:
        result = ctx.result(ClassificationQualityMetric(**self.metric_args()))
        quality = result.current if side == "current" else result.reference
        if quality is None:
            raise ReferenceRequired(
                "reference_data is needed for this computation; pass reference_data to run()"
            )
        return quality

    def value_of(self, quality: DatasetClassificationQuality, where: str) -> float:
        value = getattr(quality, self.field)
        if value is None:
            raise MetricError(
                f"{self.what()} is not available for {where}: {self.requires}", metric=self.type_name
            )
        return value

    def measure(self, ctx: RunContext, side: Side) -> float:
        return self.value_of(self.quality(ctx, side), f"{side}_data")

    def condition_without_reference(self, ctx: RunContext) -> TestValueCondition:
        if self.dummy_operator is None:
            return super().condition_without_reference(ctx)
        dummy = ctx.result(ClassificationDummyMetric(**self.metric_args())).dummy
        return TestValueCondition(**{self.dummy_operator: self.value_of(dummy, "the dummy model")})


class _ThresholdScoreTest(_ScoreTest):
    """A score of predicted labels: ``probas_threshold`` or top-``k`` make them from binary probabilities."""

    probas_threshold: float | None = Field(None, ge=0, le=1)
    k: int | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _threshold_or_k(self) -> _ThresholdScoreTest:
        if self.probas_threshold is not None and self.k is not None:
            raise ValueError("give probas_threshold or k, not both")
        return self

    def metric_args(self) -> dict[str, Any]:
        return {"probas_threshold": self.probas_threshold, "k": self.k}


_BINARY = "it applies to binary classification only (two labels, pos_label set in the ColumnMapping)"
_PROBAS = "it needs predicted probabilities; pass probability columns in ColumnMapping(prediction=...)"


class TestAccuracyScore(_ThresholdScoreTest):
    name = "Accuracy Score"
    field = "accuracy"


class TestPrecisionScore(_ThresholdScoreTest):
    name = "Precision Score"
    field = "precision"


class TestRecallScore(_ThresholdScoreTest):
    name = "Recall Score"
    field = "recall"


class TestF1Score(_ThresholdScoreTest):
    name = "F1 Score"
    field = "f1"


class TestTPR(_ThresholdScoreTest):
    name = "True Positive Rate"
    field = "tpr"
    requires = _BINARY


class TestTNR(_ThresholdScoreTest):
    name = "True Negative Rate"
    field = "tnr"
    requires = _BINARY


class TestFPR(_ThresholdScoreTest):
    name = "False Positive Rate"
    field = "fpr"
    requires = _BINARY
    dummy_operator = "lt"
    reference_rule = at_most_reference(REFERENCE_TOLERANCE)


class TestFNR(_ThresholdScoreTest):
    name = "False Negative Rate"
    field = "fnr"
    requires = _BINARY
    dummy_operator = "lt"
    reference_rule = at_most_reference(REFERENCE_TOLERANCE)


class TestRocAuc(_ScoreTest):
    name = "ROC AUC Score"
    field = "roc_auc"
    requires = _PROBAS + " (and both classes in the target)"
    dummy_operator = None
    default_rule = fixed(gt=0.5)


class TestLogLoss(_ScoreTest):
    name = "Logarithmic Loss"
    field = "log_loss"
    requires = _PROBAS
    dummy_operator = "lt"
    reference_rule = at_most_reference(REFERENCE_TOLERANCE)


# ------------------------------------------------------------------------------------ by class


class _ByClassTest(_ModelQualityTest):
    """A per-label score of ClassificationQualityByClass; without reference compared with the dummy's."""

    field: ClassVar[str]
    reference_rule = at_least_reference(REFERENCE_TOLERANCE)

    label: Any
    probas_threshold: float | None = Field(None, ge=0, le=1)
    k: int | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _threshold_or_k(self) -> _ByClassTest:
        if self.probas_threshold is not None and self.k is not None:
            raise ValueError("give probas_threshold or k, not both")
        return self

    def what(self) -> str:
        return f"{self.name.lower()} of label {self.label!r}"

    def _class_metric(self, metrics: dict[str, ClassMetric], where: str) -> ClassMetric:
        metric = metrics.get(label_key(self.label))
        if metric is None:
            raise MetricError(
                f"label {self.label!r} is not one of the labels {list(metrics)} of {where}; "
                f"pass one of them as {self.type_name}(label=...)",
                metric=self.type_name,
            )
        return metric

    def measure(self, ctx: RunContext, side: Side) -> float:
        result = ctx.result(ClassificationQualityByClass(probas_threshold=self.probas_threshold, k=self.k))
        quality = result.current if side == "current" else result.reference
        if quality is None:
            raise ReferenceRequired(
                "reference_data is needed for this computation; pass reference_data to run()"
            )
        return getattr(self._class_metric(quality.metrics, f"{side}_data"), self.field)

    def default_condition(self, ctx: RunContext) -> tuple[TestValueCondition, float | None]:
        if ctx.has_reference:
            result = ctx.result(
                ClassificationQualityByClass(probas_threshold=self.probas_threshold, k=self.k)
            )
            unseen = {label_key(label) for label in result.labels_unseen_in_reference}
            if label_key(self.label) in unseen:
                raise MetricError(
                    f"label {self.label!r} does not occur in reference_data (neither target nor "
                    f"prediction), so its {self.name.lower()} has no reference value; pass an explicit "
                    f"condition, e.g. {self.type_name}(label={self.label!r}, gte=0.5)",
                    metric=self.type_name,
                )
        return super().default_condition(ctx)

    def condition_without_reference(self, ctx: RunContext) -> TestValueCondition:
        dummy = ctx.result(ClassificationDummyMetric(probas_threshold=self.probas_threshold, k=self.k))
        value = getattr(self._class_metric(dummy.metrics_matrix, "the dummy model"), self.field)
        return TestValueCondition(gt=value)


class TestPrecisionByClass(_ByClassTest):
    name = "Precision Score by Class"
    field = "precision"


class TestRecallByClass(_ByClassTest):
    name = "Recall Score by Class"
    field = "recall"


class TestF1ByClass(_ByClassTest):
    name = "F1 Score by Class"
    field = "f1"


__all__ = [
    "TestAccuracyScore",
    "TestF1ByClass",
    "TestF1Score",
    "TestFNR",
    "TestFPR",
    "TestLogLoss",
    "TestPrecisionByClass",
    "TestPrecisionScore",
    "TestRecallByClass",
    "TestRecallScore",
    "TestRocAuc",
    "TestTNR",
    "TestTPR",
]

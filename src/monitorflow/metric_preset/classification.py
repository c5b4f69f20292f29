"""ClassificationPreset: Evidently's composition of classification quality metrics."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from monitorflow._types import ColumnName
from monitorflow.column_mapping import ColumnType, DataDefinition
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.metrics.classification import (
    ClassificationClassBalance,
    ClassificationConfusionMatrix,
    ClassificationPRCurve,
    ClassificationPRTable,
    ClassificationQualityByClass,
    ClassificationQualityMetric,
    ClassificationRocCurve,
)
from monitorflow.metrics.classification_by_feature import ClassificationQualityByFeatureTable
from monitorflow.metrics.classification_plots import (
    ClassificationClassSeparationPlot,
    ClassificationProbDistribution,
)


def has_probabilities(definition: DataDefinition) -> bool:
    """Whether the prediction is given as probabilities (one column per class, or one float column
    of a target with at most two labels), as far as the definition tells before reading the rows."""
    if definition.prediction_probas:
        return True
    prediction = definition.prediction
    if prediction is None or definition.type_of(prediction) != ColumnType.NUMERICAL:
        return False
    return definition.labels is None or len(definition.labels) <= 2


class ClassificationPreset(MetricPreset):
    """Quality, class balance, confusion matrix, quality by class; with probabilities class separation,
    probability distribution, ROC and PR curves and the PR table; quality by feature (Evidently's
    metrics, in Evidently's order)."""

    columns: list[ColumnName] | None = None
    probas_threshold: float | None = Field(None, ge=0, le=1)
    k: int | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _threshold_or_k(self) -> ClassificationPreset:
        if self.probas_threshold is not None and self.k is not None:
            raise ValueError("give probas_threshold or k, not both")
        return self

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        threshold = {"probas_threshold": self.probas_threshold, "k": self.k}
        metrics: list[Metric[Any]] = [
            ClassificationQualityMetric(**threshold),
            ClassificationClassBalance(),
            ClassificationConfusionMatrix(**threshold),
            ClassificationQualityByClass(**threshold),
        ]
        if has_probabilities(definition):
            metrics += [
                ClassificationClassSeparationPlot(),
                ClassificationProbDistribution(),
                ClassificationRocCurve(),
                ClassificationPRCurve(),
                ClassificationPRTable(),
            ]
        metrics.append(ClassificationQualityByFeatureTable(columns=self.columns))
        return metrics

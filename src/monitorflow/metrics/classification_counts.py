"""Label counts: rows per target label (ClassificationClassBalance) and actual vs predicted labels
(ClassificationConfusionMatrix)."""

from __future__ import annotations

from typing import Any

from monitorflow.context import RunContext
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_base import _ClassificationMetric, _ThresholdMetric
from monitorflow.metrics.classification_data import (
    check_threshold_args,
    label_space,
    sides,
    target_names_dict,
)
from monitorflow.metrics.classification_side import confusion_matrix, side_data


class ClassBalance(MetricResult):
    """Rows per target label (missing targets not counted)."""

    labels: list[Any]
    current: list[int]
    reference: list[int] | None = None


class ClassificationClassBalanceResult(MetricResult):
    plot_data: ClassBalance
    target_names: dict[str, str] | None = None


class ClassificationClassBalance(_ClassificationMetric[ClassificationClassBalanceResult]):
    """How many rows of each label the target holds, in current and reference."""

    result_type = ClassificationClassBalanceResult

    def calculate(self, ctx: RunContext) -> ClassificationClassBalanceResult:
        space = label_space(ctx)
        counts = {s: side_data(ctx, s).target_counts.tolist() for s in sides(ctx)}
        return ClassificationClassBalanceResult(
            plot_data=ClassBalance(
                labels=list(space.labels), current=counts["current"], reference=counts.get("reference")
            ),
            target_names=target_names_dict(ctx.definition.target_names),
        )


class ConfusionMatrix(MetricResult):
    """``values[i][j]``: rows with actual ``labels[i]`` predicted as ``labels[j]``."""

    labels: list[Any]
    values: list[list[int]]


class ClassificationConfusionMatrixResult(MetricResult):
    current_matrix: ConfusionMatrix
    reference_matrix: ConfusionMatrix | None = None
    target_names: dict[str, str] | None = None


class ClassificationConfusionMatrix(_ThresholdMetric[ClassificationConfusionMatrixResult]):
    """Counts of actual vs predicted labels."""

    result_type = ClassificationConfusionMatrixResult

    def calculate(self, ctx: RunContext) -> ClassificationConfusionMatrixResult:
        space = label_space(ctx)
        check_threshold_args(space, self.probas_threshold, self.k, self.type_name)
        matrices = {
            s: ConfusionMatrix(
                labels=list(space.labels),
                values=confusion_matrix(ctx, s, self.probas_threshold, self.k).tolist(),
            )
            for s in sides(ctx)
        }
        return ClassificationConfusionMatrixResult(
            current_matrix=matrices["current"],
            reference_matrix=matrices.get("reference"),
            target_names=target_names_dict(ctx.definition.target_names),
        )

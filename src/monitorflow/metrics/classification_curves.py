"""Ranking curves of the predicted probabilities: ROC and precision-recall curves, and the
precision-recall table of the top 5%, 10%, ... of rows."""

from __future__ import annotations

from monitorflow._types import Float
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_base import _ClassificationMetric, _require_probas
from monitorflow.metrics.classification_data import (
    curve_labels,
    finite_or_nan,
    label_key,
    label_space,
    sides,
    thin,
)
from monitorflow.metrics.classification_side import Ranking, score_curve, side_data
from monitorflow.metrics.ranking_tables import pr_rows


class ROCCurveData(MetricResult):
    """Points of the ROC curve (a subset of scikit-learn's ``roc_curve``; first threshold null = +inf)."""

    fpr: list[Float]
    tpr: list[Float]
    thrs: list[Float]


class ClassificationRocCurveResults(MetricResult):
    #: Per label (binary: the positive label only), keyed by ``str(label)``.
    current_roc_curve: dict[str, ROCCurveData] | None = None
    reference_roc_curve: dict[str, ROCCurveData] | None = None


class ClassificationRocCurve(_ClassificationMetric[ClassificationRocCurveResults]):
    """ROC curves thinned to ``CURVE_POINTS`` points (one per label for multiclass)."""

    result_type = ClassificationRocCurveResults

    def calculate(self, ctx: RunContext) -> ClassificationRocCurveResults:
        space = label_space(ctx)
        _require_probas(space, self.type_name)
        curves: dict[Side, dict[str, ROCCurveData]] = {}
        for side in sides(ctx):
            side_data(ctx, side)
            curves[side] = {}
            for i in curve_labels(space):
                fpr, tpr, thresholds = score_curve(ctx, side, i).roc
                idx = thin(fpr.size)
                curves[side][label_key(space.labels[i])] = ROCCurveData(
                    fpr=[finite_or_nan(v) for v in fpr[idx]],
                    tpr=[finite_or_nan(v) for v in tpr[idx]],
                    thrs=[finite_or_nan(v) for v in thresholds[idx]],
                )
        return ClassificationRocCurveResults(
            current_roc_curve=curves["current"], reference_roc_curve=curves.get("reference")
        )


class PRCurveData(MetricResult):
    """Points of the precision-recall curve (a subset of scikit-learn's ``precision_recall_curve``
    with ``drop_intermediate=True``), by increasing threshold."""

    pr: list[Float]
    rcl: list[Float]
    thrs: list[Float]


class ClassificationPRCurveResults(MetricResult):
    current_pr_curve: dict[str, PRCurveData] | None = None
    reference_pr_curve: dict[str, PRCurveData] | None = None


class ClassificationPRCurve(_ClassificationMetric[ClassificationPRCurveResults]):
    """Precision-recall curves thinned to ``CURVE_POINTS`` points (one per label for multiclass)."""

    result_type = ClassificationPRCurveResults

    def calculate(self, ctx: RunContext) -> ClassificationPRCurveResults:
        space = label_space(ctx)
        _require_probas(space, self.type_name)
        curves: dict[Side, dict[str, PRCurveData]] = {}
        for side in sides(ctx):
            curves[side] = {}
            for i in curve_labels(space):
                precision, recall, thresholds = score_curve(ctx, side, i).pr_points()
                idx = thin(precision.size)
                curves[side][label_key(space.labels[i])] = PRCurveData(
                    pr=[finite_or_nan(v) for v in precision[idx]],
                    rcl=[finite_or_nan(v) for v in recall[idx]],
                    thrs=[finite_or_nan(v) for v in thresholds[idx]],
                )
        return ClassificationPRCurveResults(
            current_pr_curve=curves["current"], reference_pr_curve=curves.get("reference")
        )


class ClassificationPRTableResults(MetricResult):
    """Per label: rows ``[top %, count, prob, tp, fp, precision %, recall %]`` for the top 5%, 10%, ...
    of rows by probability (:mod:`monitorflow.metrics.ranking_tables`)."""

    current: dict[str, list[list[float | int]]] | None = None
    reference: dict[str, list[list[float | int]]] | None = None


def pr_table(ctx: RunContext, side: Side, label_index: int) -> list[list[float | int]]:
    return pr_rows(Ranking(side_data(ctx, side), label_index))


class ClassificationPRTable(_ClassificationMetric[ClassificationPRTableResults]):
    """Precision and recall of the top 5%, 10%, ... 100% of rows ranked by probability."""

    result_type = ClassificationPRTableResults

    def calculate(self, ctx: RunContext) -> ClassificationPRTableResults:
        space = label_space(ctx)
        _require_probas(space, self.type_name)
        tables = {
            s: {label_key(space.labels[i]): pr_table(ctx, s, i) for i in curve_labels(space)}
            for s in sides(ctx)
        }
        return ClassificationPRTableResults(current=tables["current"], reference=tables.get("reference"))

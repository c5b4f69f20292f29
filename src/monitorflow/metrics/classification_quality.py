"""Classification scores: accuracy, precision, recall, F1, ROC AUC, log loss and rates of a dataset
(ClassificationQualityMetric), and the same per label (ClassificationQualityByClass)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.context import RunContext, Side
from monitorflow.dataset_columns import ColumnsOfRun, columns_of_run
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_base import _ThresholdMetric
from monitorflow.metrics.classification_data import (
    LabelSpace,
    check_threshold_args,
    dataset_name,
    finite_or_nan,
    finite_or_none,
    label_key,
    label_space,
    per_class_scores,
    scores,
    sides,
    thin,
)
from monitorflow.metrics.classification_side import (
    ClassificationSide,
    confusion_matrix,
    score_curve,
    side_data,
)


class RatesPlotData(MetricResult):
    """TPR, FPR, FNR, TNR by threshold (binary, from the thinned ROC curve; the first threshold is
    null: nothing predicted positive)."""

    thrs: list[Float]
    tpr: list[Float]
    fpr: list[Float]
    fnr: list[Float]
    tnr: list[Float]


class Boxes(MetricResult):
    """Quartiles of each probability column (``means`` holds medians, as Evidently's field)."""

    labels: list[Any]
    mins: list[Float]
    lowers: list[Float]
    means: list[Float]
    uppers: list[Float]
    maxs: list[Float]


class DatasetClassificationQuality(MetricResult):
    """Scores of one dataset; ``roc_auc``/``log_loss`` need probabilities, the rates a binary task."""

    accuracy: Float
    precision: Float
    recall: Float
    f1: Float
    roc_auc: float | None = None
    log_loss: float | None = None
    tpr: float | None = None
    tnr: float | None = None
    fpr: float | None = None
    fnr: float | None = None
    rate_plots_data: RatesPlotData | None = None
    plot_data: Boxes | None = None
    #: Rows evaluated, and rows dropped for a missing target or prediction.
    number_of_rows: int = 0
    number_of_dropped_rows: int = 0
    #: Problems found in the data (e.g. a class absent, so ROC AUC undefined).
    notes: list[str] = []


class ClassificationQualityMetricResult(MetricResult):
    current: DatasetClassificationQuality
    reference: DatasetClassificationQuality | None = None
    target_name: ColumnName
    labels: list[Any] = []
    #: Labels that occur in current (target or prediction) but nowhere in reference.
    labels_unseen_in_reference: list[Any] = []


def _labels_unseen_in_reference(ctx: RunContext) -> list[Any]:
    if not ctx.has_reference:
        return []
    current, reference = side_data(ctx, "current"), side_data(ctx, "reference")
    unseen = current.present() & ~reference.present()
    return [current.space.labels[i] for i in np.flatnonzero(unseen)]


def _thinned_rates(ctx: RunContext, side: Side, pos: int) -> RatesPlotData:
    fpr, tpr, thresholds = score_curve(ctx, side, pos).roc
    idx = thin(fpr.size)
    fpr, tpr, thresholds = fpr[idx], tpr[idx], thresholds[idx]
    return RatesPlotData(
        thrs=[finite_or_nan(t) for t in thresholds],
        tpr=[finite_or_nan(v) for v in tpr],
        fpr=[finite_or_nan(v) for v in fpr],
        fnr=[finite_or_nan(1 - v) for v in tpr],
        tnr=[finite_or_nan(1 - v) for v in fpr],
    )


def _roc_auc(ctx: RunContext, data: ClassificationSide, notes: list[str]) -> float | None:
    space = data.space
    dataset = dataset_name(data.side)
    if space.is_binary:  # Evidently's macro mean of both labels' curves (the negative's score: 1 - p)
        pos, neg = (score_curve(ctx, data.side, i).auc for i in (space.positive, 1 - space.positive))
        auc = None if pos is None or neg is None else (pos + neg) / 2
        if auc is None:
            notes.append(
                f"ROC AUC is undefined in {dataset}: target {space.target!r} holds only one of the labels "
                f"{space.labels!r}"
            )
        return auc
    aucs = {i: score_curve(ctx, data.side, i).auc for i in range(data.k)}
    missing = [space.labels[i] for i, a in aucs.items() if a is None]
    defined = [a for a in aucs.values() if a is not None]
    if missing:
        notes.append(
            f"ROC AUC of labels {missing!r} is undefined in {dataset} (the label is absent from the target, "
            "or is the only one present); the macro average is over the other labels"
        )
    return float(np.mean(defined)) if defined else None


def classification_quality(
    ctx: RunContext, side: Side, probas_threshold: float | None = None, k: int | None = None
) -> DatasetClassificationQuality:
    """The scores of one dataset, once per run."""

    def compute() -> DatasetClassificationQuality:
        data = side_data(ctx, side)
        space = data.space
        s = scores(confusion_matrix(ctx, side, probas_threshold, k), space.pos if space.is_binary else None)
        notes: list[str] = []
        roc_auc = loss = None
        rates = boxes = None
        if space.has_probas:
            roc_auc = _roc_auc(ctx, data, notes)
            loss = data.log_loss()
            if space.is_binary and roc_auc is not None:
                rates = _thinned_rates(ctx, side, space.positive)
            quartiles = [score_curve(ctx, side, i).quartiles for i in range(data.k)]
            boxes = Boxes(
                labels=list(space.labels),
                **{
                    name: [finite_or_nan(q[j]) for q in quartiles]
                    for j, name in enumerate(("mins", "lowers", "means", "uppers", "maxs"))
                },
            )
        return DatasetClassificationQuality(
            accuracy=finite_or_nan(s.accuracy),
            precision=finite_or_nan(s.precision),
            recall=finite_or_nan(s.recall),
            f1=finite_or_nan(s.f1),
            roc_auc=finite_or_none(roc_auc),
            log_loss=finite_or_none(loss),
            tpr=finite_or_none(s.tpr),
            tnr=finite_or_none(s.tnr),
            fpr=finite_or_none(s.fpr),
            fnr=finite_or_none(s.fnr),
            rate_plots_data=rates,
            plot_data=boxes,
            number_of_rows=data.n,
            number_of_dropped_rows=data.number_of_dropped_rows,
            notes=notes,
        )

    return ctx.memo(("mq-quality", side, probas_threshold, k), compute)


class ClassificationQualityMetric(_ThresholdMetric[ClassificationQualityMetricResult]):
    """Accuracy, precision, recall, F1, ROC AUC and log loss (with probabilities), TPR/TNR/FPR/FNR
    (binary)."""

    result_type = ClassificationQualityMetricResult

    def calculate(self, ctx: RunContext) -> ClassificationQualityMetricResult:
        space = label_space(ctx)
        check_threshold_args(space, self.probas_threshold, self.k, self.type_name)
        results = {s: classification_quality(ctx, s, self.probas_threshold, self.k) for s in sides(ctx)}
        return ClassificationQualityMetricResult(
            current=results["current"],
            reference=results.get("reference"),
            target_name=space.target,
            labels=list(space.labels),
            labels_unseen_in_reference=_labels_unseen_in_reference(ctx),
        )


class ClassMetric(MetricResult):
    precision: Float
    recall: Float
    f1: Float
    roc_auc: float | None = None
    #: Rows of this label in the target.
    support: int = 0


class ClassificationQuality(MetricResult):
    #: Per label (keyed by ``str(label)``): precision, recall, F1, ROC AUC (with probabilities), support.
    metrics: dict[str, ClassMetric]
    #: One-vs-rest ROC AUC per label (with probabilities), in the order of the probability columns (one
    #: column: the positive label first), as Evidently lists them; ``metrics`` holds them by label.
    roc_aucs: list[float | None] | None = None

    @property
    def metrics_dict(self) -> dict[str, dict[str, Any]]:
        """``metrics`` as plain dicts, per label."""
        return {label: metric.model_dump() for label, metric in self.metrics.items()}


class ClassificationQualityByClassResult(MetricResult):
    columns: ColumnsOfRun | None = None
    current: ClassificationQuality
    reference: ClassificationQuality | None = None
    target_name: ColumnName
    labels: list[Any] = []
    labels_unseen_in_reference: list[Any] = []

    def get_pandas(self) -> pd.DataFrame:
        """One row per class and dataset: precision, recall, f1, roc_auc, support, ``class_value`` and
        ``dataset`` (``current`` / ``reference``)."""
        rows = [
            {**metric.model_dump(), "class_value": label, "dataset": side}
            for side, quality in (("current", self.current), ("reference", self.reference))
            if quality is not None
            for label, metric in quality.metrics.items()
        ]
        return pd.DataFrame(rows)


def class_metrics(
    space: LabelSpace, matrix: np.ndarray, roc_aucs: list[float | None] | None
) -> dict[str, ClassMetric]:
    per_class = per_class_scores(matrix)
    return {
        label_key(label): ClassMetric(
            precision=finite_or_nan(per_class["precision"][i]),
            recall=finite_or_nan(per_class["recall"][i]),
            f1=finite_or_nan(per_class["f1"][i]),
            roc_auc=None if roc_aucs is None else roc_aucs[i],
            support=int(per_class["support"][i]),
        )
        for i, label in enumerate(space.labels)
    }


def _probability_column_order(space: LabelSpace) -> list[int]:
    """Label indexes in the order of the probability columns, as Evidently lists ``roc_aucs``: the given
    columns' order, or (one column: the positive label's probability) the positive label, then the other."""
    if space.mode == "probas":
        assert space.proba_columns is not None and isinstance(space.prediction, list)
        return [space.proba_columns.index(column) for column in space.prediction]
    return [space.positive, 1 - space.positive]


class ClassificationQualityByClass(_ThresholdMetric[ClassificationQualityByClassResult]):
    """Precision, recall, F1 and (with probabilities) one-vs-rest ROC AUC of every label."""

    result_type = ClassificationQualityByClassResult

    def calculate(self, ctx: RunContext) -> ClassificationQualityByClassResult:
        space = label_space(ctx)
        check_threshold_args(space, self.probas_threshold, self.k, self.type_name)
        results = {}
        for side in sides(ctx):
            by_label = listed = None
            if space.has_probas:
                by_label = [finite_or_none(score_curve(ctx, side, i).auc) for i in range(len(space.labels))]
                listed = [by_label[i] for i in _probability_column_order(space)]
            matrix = confusion_matrix(ctx, side, self.probas_threshold, self.k)
            results[side] = ClassificationQuality(
                metrics=class_metrics(space, matrix, by_label), roc_aucs=listed
            )
        return ClassificationQualityByClassResult(
            columns=columns_of_run(ctx.definition),
            current=results["current"],
            reference=results.get("reference"),
            target_name=space.target,
            labels=list(space.labels),
            labels_unseen_in_reference=_labels_unseen_in_reference(ctx),
        )

"""Classification quality metrics (Evidently's legacy classification metrics, vectorised, no sklearn).

Every score equals scikit-learn's on the same rows: binary precision, recall and F1 are those of
``pos_label``; multiclass ones are macro-averaged over the labels present in the dataset's target or
predictions (scikit-learn's default labels); a division by zero gives 0 (scikit-learn's default).
How targets, predictions and probabilities are read, and which rows are dropped, is described in
:mod:`monitorflow.metrics.classification_data`. Results are aggregates only: curves are thinned to
``CURVE_POINTS`` points, per-feature quality is per bin or category.

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> frame = pd.DataFrame({"target": [0, 1, 1, 0, 1], "prediction": [0.2, 0.9, 0.4, 0.1, 0.8]})
>>> report = Report(metrics=[ClassificationQualityMetric()])
>>> report.run(current_data=frame, column_mapping=ColumnMapping(task="classification"))
>>> quality = report.as_dict()["metrics"][0]["result"]["current"]
>>> quality["accuracy"], quality["roc_auc"]
(0.8, 1.0)
"""

from __future__ import annotations

import math
from typing import Any, Generic, TypeVar

import numpy as np
from pydantic import Field, model_validator

from monitorflow._types import ColumnName, Float
from monitorflow.context import RunContext, Side
from monitorflow.dataset_columns import ColumnsOfRun, columns_of_run
from monitorflow.errors import MetricError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.classification_data import (
    CURVE_POINTS,
    LabelSpace,
    check_threshold_args,
    curve_labels,
    dataset_name,
    finite_or_nan,
    finite_or_none,
    label_key,
    label_space,
    per_class_scores,
    scores,
    sides,
    target_names_dict,
    thin,
)
from monitorflow.metrics.classification_side import (
    ClassificationSide,
    Ranking,
    StratifiedDraws,
    confusion_matrix,
    score_curve,
    side_data,
)
from monitorflow.metrics.ranking_tables import pr_rows

R = TypeVar("R", bound=MetricResult)

#: Seed of the stratified dummy classifier (its own ``np.random.default_rng``; no global state).
DUMMY_SEED = 0
#: Seed of the dummy classifier that samples the reference label frequencies.
DUMMY_REFERENCE_SEED = 1
#: Rows per step of the precision-recall table (a share of the dataset, as in Evidently).
PR_TABLE_STEP = 0.05


class _ClassificationMetric(Metric[R], Generic[R]):
    group = "classification"


class _ThresholdMetric(_ClassificationMetric[R], Generic[R]):
    """A metric of predicted labels: ``probas_threshold`` or top-``k`` turn binary probabilities into labels."""

    probas_threshold: float | None = Field(None, ge=0, le=1)
    k: int | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _threshold_or_k(self) -> _ThresholdMetric[R]:
        if self.probas_threshold is not None and self.k is not None:
            raise ValueError("give probas_threshold or k, not both")
        return self


# ---------------------------------------------------------------------------- quality metric


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
    if space.is_binary:
        auc = score_curve(ctx, data.side, space.positive).auc
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
    """Accuracy, precision, recall, F1, ROC AUC and log loss (with probabilities), TPR/TNR/FPR/FNR (binary)."""

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


# ---------------------------------------------------------------------------- class balance


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


# ------------------------------------------------------------------------- confusion matrix


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


# ------------------------------------------------------------------------- quality by class


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
    #: One-vs-rest ROC AUC per label, in ``labels`` order (with probabilities).
    roc_aucs: list[float | None] | None = None


class ClassificationQualityByClassResult(MetricResult):
    columns: ColumnsOfRun | None = None
    current: ClassificationQuality
    reference: ClassificationQuality | None = None
    target_name: ColumnName
    labels: list[Any] = []
    labels_unseen_in_reference: list[Any] = []


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


class ClassificationQualityByClass(_ThresholdMetric[ClassificationQualityByClassResult]):
    """Precision, recall, F1 and (with probabilities) one-vs-rest ROC AUC of every label."""

    result_type = ClassificationQualityByClassResult

    def calculate(self, ctx: RunContext) -> ClassificationQualityByClassResult:
        space = label_space(ctx)
        check_threshold_args(space, self.probas_threshold, self.k, self.type_name)
        results = {}
        for side in sides(ctx):
            roc_aucs = None
            if space.has_probas:
                roc_aucs = [finite_or_none(score_curve(ctx, side, i).auc) for i in range(len(space.labels))]
            matrix = confusion_matrix(ctx, side, self.probas_threshold, self.k)
            results[side] = ClassificationQuality(
                metrics=class_metrics(space, matrix, roc_aucs), roc_aucs=roc_aucs
            )
        return ClassificationQualityByClassResult(
            columns=columns_of_run(ctx.definition),
            current=results["current"],
            reference=results.get("reference"),
            target_name=space.target,
            labels=list(space.labels),
            labels_unseen_in_reference=_labels_unseen_in_reference(ctx),
        )


# ---------------------------------------------------------------------------- ranking curves


def _require_probas(space: LabelSpace, who: str) -> None:
    if not space.has_probas:
        raise MetricError(
            f"{who} needs predicted probabilities, but {space.prediction_name!r} holds predicted labels; "
            "pass ColumnMapping(prediction=[one probability column per label]) or a probability column for binary",
            metric=who,
        )


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


# ------------------------------------------------------------------------------- dummy model


class ClassificationDummyMetricResults(MetricResult):
    """Quality of baselines on current: labels drawn at random with the current label frequencies
    (``dummy``) or the reference ones (``by_reference_dummy``); with probabilities, ROC AUC 0.5 and the
    log loss of uniform probabilities. ``metrics_matrix``: the dummy's per-label scores."""

    dummy: DatasetClassificationQuality
    by_reference_dummy: DatasetClassificationQuality | None = None
    model_quality: DatasetClassificationQuality | None = None
    metrics_matrix: dict[str, ClassMetric]


def stratified_dummy(
    frequencies: np.ndarray, size: int, seed: int, first_seen: np.ndarray | None = None
) -> np.ndarray:
    """``size`` label codes drawn as the dummy model draws them (:class:`StratifiedDraws`)."""
    seen = np.arange(frequencies.size) if first_seen is None else first_seen
    return StratifiedDraws(frequencies, seed, seen).draw(size)


def _threshold_coefficients(threshold: float) -> tuple[float, float]:
    """Evidently's correction of a random classifier's precision and recall for a threshold."""
    coeff_precision = 1.0 if threshold == 1.0 else min(1.0, 0.5 / (1 - threshold))
    coeff_recall = min(1.0, (1 - threshold) / 0.5)
    return coeff_precision, coeff_recall


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else math.nan


class ClassificationDummyMetric(_ThresholdMetric[ClassificationDummyMetricResults]):
    """Baselines the no-reference test conditions compare the model with."""

    result_type = ClassificationDummyMetricResults

    def _dummy_quality(
        self, data: ClassificationSide, matrix: np.ndarray, threshold: float | None
    ) -> DatasetClassificationQuality:
        space = data.space
        s = scores(matrix, space.pos if space.is_binary else None)
        precision, recall, f1 = s.precision, s.recall, s.f1
        tpr, tnr, fpr, fnr = s.tpr, s.tnr, s.fpr, s.fnr
        if threshold is not None:  # binary: every rate is a number
            assert tpr is not None and tnr is not None and fpr is not None and fnr is not None
            cp, cr = _threshold_coefficients(threshold)
            precision, recall = precision * cp, recall * cr
            f1 = _f1(precision, recall)
            tpr, fpr = tpr * cr, fpr * cr
            tnr, fnr = tnr * cp, fnr * cp
        return DatasetClassificationQuality(
            accuracy=finite_or_nan(s.accuracy),
            precision=finite_or_nan(precision),
            recall=finite_or_nan(recall),
            f1=finite_or_nan(f1),
            roc_auc=0.5 if space.has_probas else None,
            log_loss=float(math.log(data.k)) if space.has_probas else None,
            tpr=finite_or_none(tpr),
            tnr=finite_or_none(tnr),
            fpr=finite_or_none(fpr),
            fnr=finite_or_none(fnr),
            number_of_rows=data.n,
        )

    def calculate(self, ctx: RunContext) -> ClassificationDummyMetricResults:
        space = label_space(ctx)
        check_threshold_args(space, self.probas_threshold, self.k, self.type_name)
        data = side_data(ctx, "current")
        binary_probas = space.is_binary and space.has_probas
        threshold = data.threshold(self.probas_threshold, self.k) if binary_probas else None

        frequencies = data.summary.label_counts.astype(np.float64)
        dummy = data.dummy_confusion(frequencies, DUMMY_SEED, data.first_positions())
        quality = self._dummy_quality(data, dummy, threshold)
        metrics_matrix = class_metrics(space, dummy, None)
        if threshold is not None:
            cp, cr = _threshold_coefficients(threshold)
            pos = space.positive
            neg = 1 - pos
            neg_metric = metrics_matrix[label_key(space.labels[neg])]
            neg_precision, neg_recall = neg_metric.precision * cr, neg_metric.recall * cp
            metrics_matrix[label_key(space.labels[pos])] = ClassMetric(
                precision=quality.precision,
                recall=quality.recall,
                f1=quality.f1,
                support=metrics_matrix[label_key(space.labels[pos])].support,
            )
            metrics_matrix[label_key(space.labels[neg])] = ClassMetric(
                precision=neg_precision,
                recall=neg_recall,
                f1=finite_or_nan(_f1(neg_precision, neg_recall)),
                support=neg_metric.support,
            )

        by_reference = None
        if ctx.has_reference:
            reference = side_data(ctx, "reference")
            frequencies = reference.target_counts.astype(np.float64)
            dummy = data.dummy_confusion(frequencies, DUMMY_REFERENCE_SEED, reference.first_positions())
            by_reference = self._dummy_quality(data, dummy, threshold)

        return ClassificationDummyMetricResults(
            dummy=quality,
            by_reference_dummy=by_reference,
            model_quality=classification_quality(ctx, "current", self.probas_threshold, self.k),
            metrics_matrix=metrics_matrix,
        )


__all__ = [
    "CURVE_POINTS",
    "ClassificationClassBalance",
    "ClassificationConfusionMatrix",
    "ClassificationDummyMetric",
    "ClassificationPRCurve",
    "ClassificationPRTable",
    "ClassificationQualityByClass",
    "ClassificationQualityMetric",
    "ClassificationRocCurve",
]

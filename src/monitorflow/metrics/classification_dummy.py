"""Baselines of a classifier: the quality of random labels drawn with the current or the reference
label frequencies (ClassificationDummyMetric), which the no-reference test conditions compare with."""

from __future__ import annotations

import math

import numpy as np

from monitorflow.context import RunContext
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_base import _ThresholdMetric
from monitorflow.metrics.classification_data import (
    check_threshold_args,
    finite_or_nan,
    finite_or_none,
    label_key,
    label_space,
    scores,
)
from monitorflow.metrics.classification_quality import (
    ClassMetric,
    DatasetClassificationQuality,
    class_metrics,
    classification_quality,
)
from monitorflow.metrics.classification_side import ClassificationSide, StratifiedDraws, side_data

#: Seed of the stratified dummy classifier (its own ``np.random.default_rng``; no global state).
DUMMY_SEED = 0
#: Seed of the dummy classifier that samples the reference label frequencies.
DUMMY_REFERENCE_SEED = 1


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

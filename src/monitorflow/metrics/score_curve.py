"""The ranking curve of one label's probability: per distinct score, the rows of the label and the
other rows at or above it (scikit-learn's ``_binary_clf_curve``), and what follows from it: ROC AUC,
the ROC and precision-recall curves, thresholded confusion matrices, top-k rows and quartiles.

A curve is built from runs (ascending distinct scores with each sample's count), which merge across
chunks of rows: from one sort of an in-memory column (:func:`curve_of`) or from two sorted samples
streamed from disk (:mod:`monitorflow.metrics.classification_side`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from monitorflow.metrics.classification_data import _div


@dataclass(eq=False)
class ScoreCurve:
    """Counts of positives and negatives above each distinct score of one class (one-vs-rest)."""

    thresholds: np.ndarray  # distinct scores, descending
    tps: np.ndarray  # rows of the class with score >= threshold
    fps: np.ndarray  # other rows with score >= threshold
    quartiles: list[float]  # min, 25%, 50%, 75%, max of the scores

    @classmethod
    def from_runs(cls, values: np.ndarray, positives: np.ndarray, negatives: np.ndarray) -> ScoreCurve:
        """The curve of distinct scores ``values`` (ascending) held by ``positives`` rows of the class
        and ``negatives`` other rows each: the sufficient statistics, mergeable across rows."""
        tps = np.cumsum(positives[::-1], dtype=np.int64)
        fps = np.cumsum(negatives[::-1], dtype=np.int64)
        ascending = _RankedRuns(values, np.cumsum(positives + negatives, dtype=np.int64))
        quartiles = [sorted_quantile(ascending, q) for q in (0.0, 0.25, 0.5, 0.75, 1.0)]
        return cls(values[::-1].copy(), tps, fps, quartiles)

    @property
    def rows_at_or_above(self) -> np.ndarray:
        """Rows scored at or above each threshold (descending thresholds)."""
        return self.tps + self.fps

    def confusion_at(self, threshold: float, pos: int) -> np.ndarray:
        """The (2, 2) confusion matrix of ``score >= threshold`` predicting label ``pos``."""
        above = int(np.searchsorted(-self.thresholds, -threshold, side="right"))
        tp = int(self.tps[above - 1]) if above else 0
        fp = int(self.fps[above - 1]) if above else 0
        matrix = np.zeros((2, 2), dtype=np.int64)
        matrix[pos, pos], matrix[pos, 1 - pos] = tp, self.n_pos - tp
        matrix[1 - pos, pos], matrix[1 - pos, 1 - pos] = fp, self.n_neg - fp
        return matrix

    def score_at(self, positions: np.ndarray) -> np.ndarray:
        """Scores of the rows at 0-based ``positions`` in descending order of score."""
        group = np.searchsorted(self.rows_at_or_above, np.asarray(positions) + 1, side="left")
        return self.thresholds[group]

    @property
    def n_pos(self) -> int:
        return int(self.tps[-1])

    @property
    def n_neg(self) -> int:
        return int(self.fps[-1])

    @property
    def n(self) -> int:
        return self.n_pos + self.n_neg

    @cached_property
    def auc(self) -> float | None:
        return self.roc_auc()

    def roc_auc(self) -> float | None:
        """Area under the ROC curve (scikit-learn's ``roc_auc_score``); None if one class is absent."""
        if self.n_pos == 0 or self.n_neg == 0:
            return None
        tpr = np.concatenate(([0.0], self.tps / self.n_pos))
        fpr = np.concatenate(([0.0], self.fps / self.n_neg))
        return float(np.trapezoid(tpr, fpr))

    @cached_property
    def roc(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.roc_points()

    def roc_points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """scikit-learn's ``roc_curve`` (drop_intermediate=True): fpr, tpr, thresholds (first: +inf)."""
        fps, tps, thresholds = self.fps, self.tps, self.thresholds
        if fps.size > 2:
            keep = np.flatnonzero(
                np.concatenate(([True], (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), [True]))
            )
            fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
        fps = np.concatenate(([0], fps))
        tps = np.concatenate(([0], tps))
        thresholds = np.concatenate(([np.inf], thresholds))
        fpr = fps / fps[-1] if fps[-1] > 0 else np.full(fps.shape, np.nan)
        tpr = tps / tps[-1] if tps[-1] > 0 else np.full(tps.shape, np.nan)
        return fpr, tpr, thresholds

    def pr_points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """scikit-learn's ``precision_recall_curve`` (drop_intermediate=True) without its (1, 0) end
        point: precision, recall, thresholds, by increasing threshold."""
        fps, tps, thresholds = self.fps, self.tps, self.thresholds
        if fps.size > 2:
            keep = np.flatnonzero(
                np.concatenate(([True], (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0), [True]))
            )
            fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
        precision = _div(tps, tps + fps)
        recall = tps / tps[-1] if tps[-1] > 0 else np.ones(tps.shape)
        return precision[::-1], recall[::-1], thresholds[::-1]

    def _groups(self, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per count: the score group it ends in, the rows above that group, and which counts split it."""
        cumulative = self.rows_at_or_above
        group = np.searchsorted(cumulative, counts, side="left")
        before = np.where(group > 0, cumulative[np.maximum(group - 1, 0)], 0)
        return group, before, np.flatnonzero(counts < cumulative[group])

    def tie_requests(self, counts: np.ndarray) -> list[tuple[float, int]]:
        """The ``(t, j)`` that :meth:`top_rows` asks ``tie_positives`` for these ``counts``."""
        counts = np.asarray(counts, dtype=np.int64)
        group, before, split = self._groups(counts)
        return [(float(self.thresholds[group[i]]), int(counts[i] - before[i])) for i in split]

    def top_rows(self, counts: np.ndarray, tie_positives: Any) -> np.ndarray:
        """True positives among the ``counts`` highest-scored rows, rows tied on a score in the order
        of the data (a stable sort). Where a count splits a tie, ``tie_positives(requests)`` counts the
        positives among the first ``j`` rows scored ``t``, for each ``(t, j)`` requested."""
        counts = np.asarray(counts, dtype=np.int64)
        group, _, split = self._groups(counts)
        tp_before = np.where(group > 0, self.tps[np.maximum(group - 1, 0)], 0)
        tp = self.tps[group].copy()
        if split.size:
            requests = self.tie_requests(counts)
            tp[split] = tp_before[split] + np.asarray(tie_positives(requests), dtype=np.int64)
        return tp


@dataclass(eq=False)
class _RankedRuns:
    """Sorted values given as distinct values and cumulative counts (read by rank)."""

    values: np.ndarray
    cumulative: np.ndarray

    @property
    def size(self) -> int:
        return int(self.cumulative[-1]) if self.cumulative.size else 0

    def __getitem__(self, rank: int) -> float:
        return float(self.values[int(np.searchsorted(self.cumulative, rank, side="right"))])


def curve_of(scores_: np.ndarray, positive: np.ndarray) -> ScoreCurve:
    # One integer sort orders the scores and carries the class: scores in [0, 1] are non-negative,
    # so their float64 bits order like uint64, and the freed top bit makes room for the class in the
    # lowest bit.
    keys = (scores_ + 0.0).view(np.uint64)  # a new array; + 0.0 turns -0.0 into 0.0
    np.left_shift(keys, np.uint64(1), out=keys)
    np.bitwise_or(keys, positive.view(np.uint8), out=keys, casting="unsafe")
    keys.sort()
    positives_up_to = np.cumsum(keys & np.uint64(1))  # positives among the rows up to each position
    np.right_shift(keys, np.uint64(1), out=keys)
    ascending = keys.view(np.float64)
    starts = np.flatnonzero(np.concatenate(([True], ascending[1:] != ascending[:-1])))
    ends = np.append(starts[1:], ascending.size) - 1
    positives = np.diff(np.concatenate(([0], positives_up_to[ends]))).astype(np.int64)
    return ScoreCurve.from_runs(ascending[starts].copy(), positives, (ends - starts + 1) - positives)


def sorted_quantile(ascending: Any, q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default) on sorted values (an array or
    :class:`~monitorflow.sorted_values.SortedValues`: ranks are read, not the whole sample)."""
    n = ascending.size
    position = q * (n - 1)
    low = int(math.floor(position))
    high = min(low + 1, n - 1)
    a, b = float(ascending[low]), float(ascending[high])
    return float(a + (b - a) * (position - low))

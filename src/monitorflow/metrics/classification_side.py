"""One dataset's target and predictions, as sufficient statistics that merge across chunks of rows.

Every classification score reads these statistics, never the rows, so that a DataFrame (one chunk)
and a lazy source (one chunk per partition, :mod:`monitorflow.scale.classification`) share every
formula:

- counts per label (all rows with a target, and kept rows), rows dropped for a missing value;
- the joint counts of actual and predicted labels (predicted labels, or the most probable column);
- the sum of the log-likelihood of the true label (log loss);
- per label, its probability on the rows of the label and on the other rows as two sorted samples:
  their pooled distinct scores with the count of each sample give the ranking curve (ROC and PR
  curves, ROC AUC, thresholded confusion matrices, top-k), and each sample's ranks give quartiles
  and histograms.

What depends on the order of the rows is computed by a pass over the chunks in order: the stratified
dummy model's draws, and the rows tied on a score that a PR or lift table step splits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.context import RunContext, Side
from monitorflow.errors import InputDataError, MetricError
from monitorflow.metrics.classification_data import (
    DEFAULT_THRESHOLD,
    LabelSpace,
    check_threshold_args,
    confusion,
    curve_labels,
    dataset_name,
    factorize,
    label_space,
)
from monitorflow.metrics.classification_rows import (
    Rows,
    StratifiedDraws,
    Summary,
    predicted_codes,
    prepare_rows,
)
from monitorflow.metrics.score_curve import ScoreCurve, curve_of
from monitorflow.sorted_values import Sorted, merge_run_chunks, runs_of
from monitorflow.stattests.ecdf import pooled_runs

__all__ = [
    "ClassificationSide",
    "Ranking",
    "Rows",
    "SideData",
    "StratifiedDraws",
    "Summary",
    "confusion_matrix",
    "predicted_codes",
    "predictions",
    "prepare_rows",
    "rows_of",
    "score_curve",
    "side_data",
]

# ------------------------------------------------------------------------------- one dataset


class _Sample:
    """A sorted sample as ``pooled_runs`` reads it."""

    def __init__(self, values: Sorted):
        self.values = values

    def run_chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        return merge_run_chunks(runs_of(self.values))


class ClassificationSide:
    """The statistics of one dataset and every formula on them. Subclasses give the rows in chunks
    (in order) and each label's sorted scores."""

    #: bytes a ranking curve may hold (24 per distinct score); None: no limit
    max_curve_bytes: int | None = None

    def __init__(self, side: Side, space: LabelSpace, summary: Summary):
        self.side = side
        self.space = space
        self.summary = summary
        self._memo: dict[Any, Any] = {}

    # -------------------------------------------------------------------- given by a subclass

    def frames(self, columns: list[Any]) -> Iterator[tuple[Rows, pd.DataFrame]]:
        """Chunks of rows in order: the prepared rows and (at least) ``columns`` of every row."""
        raise NotImplementedError

    def chunks(self) -> Iterator[Rows]:
        for rows, _ in self.frames([]):
            yield rows

    def _sorted_scores(self, label_index: int, positive: bool) -> Sorted:
        raise NotImplementedError

    # ------------------------------------------------------------------------------ counts

    @property
    def number_of_rows(self) -> int:
        return self.summary.number_of_rows

    @property
    def number_of_dropped_rows(self) -> int:
        return self.summary.number_of_rows - self.summary.n

    @property
    def target_counts(self) -> np.ndarray:
        return self.summary.target_counts

    @property
    def n(self) -> int:
        return self.summary.n

    @property
    def k(self) -> int:
        return len(self.space.labels)

    def present(self) -> np.ndarray:
        """Labels that occur in this dataset's target or predicted labels (bool per label)."""
        seen = self.summary.label_counts > 0
        if self.space.mode == "labels" and self.summary.predicted is not None:
            seen |= self.summary.predicted.sum(axis=0) > 0
        return seen

    def first_positions(self) -> np.ndarray:
        """Kept row of each label's first appearance (``n`` for a label that does not appear)."""
        return np.where(self.summary.first_seen >= 0, self.summary.first_seen, self.n)

    def log_loss(self) -> float:
        """Mean negative log-likelihood of the true label (probabilities clipped to [eps, 1 - eps])."""
        return -self.summary.log_likelihood / self.n

    # ------------------------------------------------------------------------ predictions

    def threshold(self, probas_threshold: float | None, k: int | None) -> float:
        """The positive-label probability threshold: given, from top-``k``, or 0.5."""
        if k is not None:
            kth = min(k, self.n)
            return float(self.curve(self.space.positive).score_at(np.array([kth - 1]))[0])
        return DEFAULT_THRESHOLD if probas_threshold is None else float(probas_threshold)

    def confusion(self, probas_threshold: float | None = None, k: int | None = None) -> np.ndarray:
        """(K, K) counts of actual (rows) and predicted labels (columns)."""
        key = ("confusion", probas_threshold, k)
        if key not in self._memo:
            if self.space.is_binary and self.space.has_probas:
                pos = self.space.positive
                self._memo[key] = self.curve(pos).confusion_at(self.threshold(probas_threshold, k), pos)
            else:
                assert self.summary.predicted is not None
                self._memo[key] = self.summary.predicted
        matrix: np.ndarray = self._memo[key]
        return matrix

    # ------------------------------------------------------------------------------ scores

    def sorted_scores(self, label_index: int, positive: bool) -> Sorted:
        """The probability of a label on the rows of the label (``positive``) or the others, ascending."""
        key = ("sorted", label_index, positive)
        if key not in self._memo:
            self._memo[key] = self._sorted_scores(label_index, positive)
        values: Sorted = self._memo[key]
        return values

    def curve(self, label_index: int) -> ScoreCurve:
        """The ranking curve of one label's probability (one-vs-rest)."""
        key = ("curve", label_index)
        if key not in self._memo:
            self._memo[key] = self._curve(label_index)
        curve: ScoreCurve = self._memo[key]
        return curve

    def _curve(self, label_index: int) -> ScoreCurve:
        """The curve from the two sorted samples' pooled distinct scores."""
        positives = _Sample(self.sorted_scores(label_index, True))
        negatives = _Sample(self.sorted_scores(label_index, False))
        values, pos, neg = [], [], []
        held = 0
        for chunk, pos_counts, neg_counts in pooled_runs(positives, negatives):
            held += chunk.size
            if self.max_curve_bytes is not None and held * 24 > max(self.max_curve_bytes, 1 << 20):
                raise MetricError(
                    f"the ranking curve of label {self.space.labels[label_index]!r} has more than {held:,} "
                    f"distinct scores, above the memory budget of {self.max_curve_bytes:,} bytes (24 per "
                    "score); "
                    "raise it with monitorflow.scale.configure(memory_budget=...) or round the probabilities"
                )
            values.append(chunk)
            pos.append(pos_counts)
            neg.append(neg_counts)
        return ScoreCurve.from_runs(*(np.concatenate(parts) for parts in (values, pos, neg)))

    # ------------------------------------------------------------------- in order of rows

    def found(self, label_index: int, counts: np.ndarray) -> np.ndarray:
        """Positives of the label among the ``counts`` highest-ranked rows (ties in data order). The
        rows tied at a step are counted for every label that gets a curve at once: a table of each
        label asks for the same ``counts``, so one pass over the rows serves them all."""
        wanted = {i: self.curve(i).tie_requests(counts) for i in curve_labels(self.space)}
        wanted[label_index] = self.curve(label_index).tie_requests(counts)
        missing = {i: r for i, r in wanted.items() if r and ("ties", i, tuple(r)) not in self._memo}
        if missing:
            for i, answer in self.tie_positives(missing).items():
                self._memo[("ties", i, tuple(missing[i]))] = answer
        return self.curve(label_index).top_rows(
            counts, lambda requests: self._memo[("ties", label_index, tuple(requests))]
        )

    def tie_positives(self, requests: dict[int, list[tuple[float, int]]]) -> dict[int, list[int]]:
        """Per label and ``(score, j)`` requested: positives among the first ``j`` rows (in data order)
        whose probability of the label is ``score``; one pass over the rows, stopped when all are met."""
        flat = [(i, score, wanted) for i, asked in requests.items() for score, wanted in asked]
        seen = [0] * len(flat)
        found = [0] * len(flat)
        for rows in self.chunks():
            assert rows.probas is not None
            for r, (i, score, wanted) in enumerate(flat):
                if seen[r] < wanted:
                    hits = np.flatnonzero(rows.probas[:, i] == score)[: wanted - seen[r]]
                    seen[r] += hits.size
                    found[r] += int(np.count_nonzero(rows.y[hits] == i))
            if all(s >= w for s, (_, _, w) in zip(seen, flat, strict=True)):
                break
        out: dict[int, list[int]] = {i: [] for i in requests}
        for (i, _, _), value in zip(flat, found, strict=True):
            out[i].append(value)
        return out

    def predicted_codes(self, rows: Rows) -> np.ndarray:
        return predicted_codes(self.space, rows)

    def feature_cubes(self, bucketing: dict[Any, tuple[Any, int]]) -> dict[Any, np.ndarray]:
        """Per feature, rows per (bucket, actual label, predicted label): ``bucketing`` gives each
        feature's bucket function (a chunk's column to bucket numbers) and number of buckets."""
        k = self.k
        cubes = {column: np.zeros((size, k, k), dtype=np.int64) for column, (_, size) in bucketing.items()}
        if not bucketing:
            return cubes
        for rows, frame in self.frames(list(bucketing)):
            cell = rows.y * k + self.predicted_codes(rows)
            for column, (buckets_of, size) in bucketing.items():
                buckets = buckets_of(frame[column])
                if rows.kept is not None:
                    buckets = buckets[rows.kept]
                cubes[column] += np.bincount(buckets * k * k + cell, minlength=size * k * k).reshape(
                    size, k, k
                )
        return cubes

    def dummy_confusion(self, frequencies: np.ndarray, seed: int, first_seen: np.ndarray) -> np.ndarray:
        """Confusion matrix of the actual labels and the stratified dummy model's draws, row by row."""
        draws = StratifiedDraws(frequencies, seed, first_seen)
        matrix = np.zeros((self.k, self.k), dtype=np.int64)
        for rows in self.chunks():
            matrix += confusion(rows.y, draws.draw(rows.n), self.k)
        return matrix


class Ranking:
    """Rows ranked by one label's probability, highest first, ties in data order (the PR and lift
    tables of :mod:`monitorflow.metrics.ranking_tables` read it)."""

    def __init__(self, data: ClassificationSide, label_index: int):
        self.data = data
        self.label_index = label_index
        self.curve = data.curve(label_index)
        self.size = self.curve.n
        self.positives = self.curve.n_pos

    def found(self, counts: np.ndarray) -> np.ndarray:
        """Positives among the ``counts`` highest-ranked rows."""
        return self.data.found(self.label_index, counts)

    def score(self, positions: np.ndarray) -> np.ndarray:
        """The probability of the rows at 0-based ``positions`` of the ranking."""
        return self.curve.score_at(positions)


# ------------------------------------------------------------------------------- a DataFrame


class SideData(ClassificationSide):
    """One DataFrame's target and predictions (one chunk of rows, kept for row-level metrics)."""

    def __init__(self, side: Side, space: LabelSpace, rows: Rows, frame: pd.DataFrame):
        super().__init__(side, space, Summary.of(rows, space))
        self.rows = rows
        self.frame = frame

    @property
    def y_true(self) -> np.ndarray:
        return self.rows.y

    @property
    def kept(self) -> np.ndarray | None:
        return self.rows.kept

    @property
    def label_pred(self) -> np.ndarray | None:
        return self.rows.label_pred

    @property
    def probabilities(self) -> np.ndarray:
        """The probabilities, where they are required (``space.has_probas``)."""
        if self.rows.probas is None:
            raise TypeError("the predictions are labels: no probabilities")
        return self.rows.probas

    def frames(self, columns: list[Any]) -> Iterator[tuple[Rows, pd.DataFrame]]:
        yield self.rows, self.frame

    def _sorted_scores(self, label_index: int, positive: bool) -> Sorted:
        mask = self.y_true == label_index
        return np.sort(self.probabilities[mask if positive else ~mask, label_index])

    def _curve(self, label_index: int) -> ScoreCurve:
        return curve_of(np.ascontiguousarray(self.probabilities[:, label_index]), self.y_true == label_index)


def side_data(ctx: RunContext, side: Side) -> ClassificationSide:
    """The statistics of one dataset, once per run: from its rows, or from an out-of-core context's
    partitions (:mod:`monitorflow.metrics.classification_lazy`)."""

    def compute() -> ClassificationSide:
        from monitorflow.metrics.classification_lazy import (  # cycle: it builds on this
            LazyClassificationSide,
            is_lazy,
        )

        space = label_space(ctx)
        data = LazyClassificationSide(ctx, side, space) if is_lazy(ctx) else _from_frame(ctx, side, space)
        if data.n == 0:
            raise InputDataError(
                f"{dataset_name(side)} has no row with both a target ({space.target!r}) and a prediction "
                f"({space.prediction_name}); all {data.number_of_rows} rows have a missing value in one of "
                "them"
            )
        return data

    return ctx.memo(("mq-side", side), compute)


def _from_frame(ctx: RunContext, side: Side, space: LabelSpace) -> SideData:
    frame = ctx.data(side)
    target = factorize(ctx, side, space.target)
    prediction = factorize(ctx, side, space.prediction_column) if space.mode == "labels" else None
    return SideData(side, space, prepare_rows(space, frame, dataset_name(side), target, prediction), frame)


def rows_of(ctx: RunContext, side: Side) -> SideData:
    """The dataset's rows, for metrics that need them (an out-of-core context refuses, naming the metric)."""
    ctx.data(side)
    data = side_data(ctx, side)
    assert isinstance(data, SideData)
    return data


def predictions(
    ctx: RunContext, side: Side, probas_threshold: float | None = None, k: int | None = None
) -> np.ndarray:
    """Predicted label codes of the kept rows (row-level)."""
    data = rows_of(ctx, side)
    space = data.space
    check_threshold_args(space, probas_threshold, k, "classification metric")

    def compute() -> np.ndarray:
        if space.is_binary and data.label_pred is None:
            threshold = data.threshold(probas_threshold, k)
            pos = space.positive
            return np.where(data.probabilities[:, pos] >= threshold, pos, 1 - pos).astype(np.int64)
        return data.predicted_codes(data.rows)

    return ctx.memo(("mq-pred", side, probas_threshold, k), compute)


def confusion_matrix(
    ctx: RunContext, side: Side, probas_threshold: float | None = None, k: int | None = None
) -> np.ndarray:
    return side_data(ctx, side).confusion(probas_threshold, k)


def score_curve(ctx: RunContext, side: Side, label_index: int) -> ScoreCurve:
    """The ranking curve of one class's probability (one-vs-rest), once per run."""
    return side_data(ctx, side).curve(label_index)

"""Some rows of one dataset's target and predictions, checked and coded (:class:`Rows`), and the counts
of those rows that merge across chunks (:class:`Summary`); the stratified dummy model's draws."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from monitorflow.class_labels import preview
from monitorflow.errors import InputDataError
from monitorflow.metrics.classification_data import (
    DEFAULT_THRESHOLD,
    PROBA_SUM_TOLERANCE,
    Factorized,
    LabelSpace,
    _as_list,
    _codes,
    confusion,
)

# --------------------------------------------------------------------------------- some rows


class Rows:
    """Target codes and predictions of some rows, after dropping rows with a missing value."""

    def __init__(
        self,
        y: np.ndarray,
        probas: np.ndarray | None,
        label_pred: np.ndarray | None,
        kept: np.ndarray | None,
        number_of_rows: int,
        target_counts: np.ndarray,
    ):
        self.y = y  # int64 codes into space.labels
        self.probas = probas  # (n, K) float64, columns aligned with space.labels
        self.label_pred = label_pred  # int64 codes (mode "labels")
        self.kept = kept  # bool mask of the kept rows (None: all rows)
        self.number_of_rows = number_of_rows
        self.target_counts = target_counts  # per label, over all rows with a target (before dropping)

    @property
    def n(self) -> int:
        return int(self.y.size)


def _check_probabilities(frame: pd.DataFrame, columns: list[Any], values: np.ndarray, dataset: str) -> None:
    bad = (values < 0) | (values > 1)  # NaN compares False
    if bad.any():
        n_rows = len(frame.index)
        rows, cols = np.nonzero(bad.reshape(n_rows, -1))
        column = columns[int(cols[0])] if values.ndim == 2 else columns[0]
        raise InputDataError(
            f"column {column!r} in {dataset} holds {int(bad.sum())} values outside [0, 1] "
            f"(e.g. {float(values.reshape(n_rows, -1)[rows[0], cols[0]])!r} in row "
            f"{frame.index[rows[0]]!r}); "
            "prediction columns of probabilities must hold probabilities: apply a sigmoid/softmax to scores, "
            "or cast a column of predicted labels to int/str"
        )


def prepare_rows(
    space: LabelSpace, frame: pd.DataFrame, dataset: str, target: Factorized, prediction: Factorized | None
) -> Rows:
    """Codes and probabilities of ``frame``'s rows (``target`` / ``prediction``: its factorized
    columns; ``prediction`` for predicted labels only), checked as described in
    :mod:`monitorflow.metrics.classification_data`."""
    n_rows = len(frame.index)
    k = len(space.labels)
    y, unknown = _codes(target, space.labels, by_str=space.mode == "probas")
    if unknown:
        raise InputDataError(
            f"target {space.target!r} in {dataset} has labels {preview(unknown)} without a probability "
            "column "
            f"in column_mapping.prediction {preview(_as_list(space.prediction))}; add one column per label, "
            "or drop the rows with these labels"
        )
    target_counts = np.bincount(y[y >= 0], minlength=k)
    valid = y >= 0

    probas = None
    label_pred = None
    if space.mode == "labels":
        assert prediction is not None
        label_pred, _ = _codes(prediction, space.labels, by_str=False)
        valid &= label_pred >= 0
    else:
        if space.mode == "probas":
            columns = space.proba_columns or []
            values = probas = frame[columns].to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            columns = [space.prediction_column]
            values = p = frame[space.prediction_column].to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(values)
        if missing.ndim == 2:
            missing = missing.any(axis=1)
        _check_probabilities(frame, columns, values, dataset)
        valid &= ~missing
        if probas is not None:
            sums = probas.sum(axis=1)
            off = valid & (np.abs(sums - 1.0) > PROBA_SUM_TOLERANCE)
            if off.any():
                first = int(np.flatnonzero(off)[0])
                raise InputDataError(
                    f"probability columns {preview(list(columns))} in {dataset} do not sum to 1 in "
                    f"{int(off.sum())} "
                    f"rows (e.g. {float(sums[first])!r} in row {frame.index[first]!r}; tolerance "
                    f"{PROBA_SUM_TOLERANCE}); "
                    "normalise them: df[cols] = df[cols].div(df[cols].sum(axis=1), axis=0)"
                )
        else:
            if space.proba_is_negative:
                p = 1.0 - p
            probas = np.empty((n_rows, 2), dtype=np.float64)
            probas[:, space.pos] = p
            probas[:, space.neg] = 1.0 - p

    kept = None
    if not valid.all():
        kept = valid
        y = y[valid]
        probas = probas[valid] if probas is not None else None
        label_pred = label_pred[valid] if label_pred is not None else None
    return Rows(y, probas, label_pred, kept, n_rows, target_counts)


# ------------------------------------------------------------------------------ the summary


class Summary:
    """Counts of one dataset that merge across chunks of rows (``a.merge(b)``: b follows a)."""

    def __init__(
        self,
        number_of_rows: int,
        target_counts: np.ndarray,
        label_counts: np.ndarray,
        predicted: np.ndarray | None,
        first_seen: np.ndarray,
        log_likelihood: float,
    ):
        self.number_of_rows = number_of_rows
        self.target_counts = target_counts
        self.label_counts = label_counts  # kept rows per actual label
        self.predicted = predicted  # (K, K) actual x predicted label (None: binary probabilities)
        self.first_seen = first_seen  # kept-row position of each label's first row, -1: none
        self.log_likelihood = log_likelihood  # sum of log(clip(p(true label))) (with probabilities)

    @property
    def n(self) -> int:
        return int(self.label_counts.sum())

    @classmethod
    def of(cls, rows: Rows, space: LabelSpace) -> Summary:
        k = len(space.labels)
        predicted = None
        if rows.label_pred is not None:
            predicted = confusion(rows.y, rows.label_pred, k)
        elif rows.probas is not None and not space.is_binary:
            predicted = confusion(rows.y, np.argmax(rows.probas, axis=1).astype(np.int64), k)
        log_likelihood = 0.0
        if rows.probas is not None:
            eps = np.finfo(np.float64).eps
            p = rows.probas[np.arange(rows.n), rows.y]
            log_likelihood = float(np.sum(np.log(np.clip(p, eps, 1 - eps))))
        first_seen = np.full(k, -1, dtype=np.int64)
        present, first = np.unique(rows.y, return_index=True)
        first_seen[present] = first
        label_counts = np.bincount(rows.y, minlength=k)
        return cls(
            rows.number_of_rows, rows.target_counts, label_counts, predicted, first_seen, log_likelihood
        )

    def merge(self, other: Summary) -> Summary:
        shifted = np.where(other.first_seen >= 0, other.first_seen + self.n, -1)
        return Summary(
            self.number_of_rows + other.number_of_rows,
            self.target_counts + other.target_counts,
            self.label_counts + other.label_counts,
            None if self.predicted is None or other.predicted is None else self.predicted + other.predicted,
            np.where(self.first_seen >= 0, self.first_seen, shifted),
            self.log_likelihood + other.log_likelihood,
        )


def predicted_codes(space: LabelSpace, rows: Rows) -> np.ndarray:
    """Predicted labels of the kept ``rows``: given, ``p(pos_label) >= 0.5``, or the most probable."""
    if rows.label_pred is not None:
        return rows.label_pred
    assert rows.probas is not None
    if space.is_binary:
        pos = space.positive
        return np.where(rows.probas[:, pos] >= DEFAULT_THRESHOLD, pos, 1 - pos).astype(np.int64)
    return np.argmax(rows.probas, axis=1).astype(np.int64)


class StratifiedDraws:
    """Labels drawn with the given frequencies, as Evidently's dummy model draws them: numpy's legacy
    generator seeded with ``seed`` (a ``RandomState`` of its own) choosing among the labels in
    ``value_counts`` order (most frequent first, ties in order of first appearance, ``first_seen``).
    Drawing in chunks gives the draws of one call (each draw reads one uniform number)."""

    def __init__(self, frequencies: np.ndarray, seed: int, first_seen: np.ndarray):
        order = np.lexsort((first_seen, -frequencies))
        self.order = order[frequencies[order] > 0]
        self.p = frequencies[self.order] / frequencies[self.order].sum()
        self.random = np.random.RandomState(seed)

    def draw(self, size: int) -> np.ndarray:
        return self.order[self.random.choice(self.order.size, size=size, p=self.p)].astype(np.int64)

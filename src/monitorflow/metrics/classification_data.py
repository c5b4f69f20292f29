"""Target and predictions of a classification run, prepared once per side and shared by every metric.

How the inputs are read (Evidently's legacy rules, with the ambiguities settled):

- ``ColumnMapping(prediction=[c1, c2, ...])``: one probability column per class; the column names are
  the labels (a target value matches a column by equality, else by ``str()``). Two columns mean
  binary classification; the positive label is ``pos_label`` and must be one of the columns.
- ``prediction`` one float column and a target with at most two labels: the probability of
  ``pos_label`` (binary). If the column is itself named after the other label, it is that label's
  probability (as in Evidently).
- otherwise ``prediction`` holds predicted labels; the labels are the union of the target and
  prediction values of both datasets, sorted.

Rows whose target or prediction is missing (NaN/None, any probability column included) are dropped
and counted (``number_of_dropped_rows``). Probabilities must lie in [0, 1]; with one column per
class each row must sum to 1 within ``PROBA_SUM_TOLERANCE``. Binary labels come from probabilities
with ``p(pos_label) >= probas_threshold`` (default 0.5); with ``k``, the ``k`` rows with the highest
``p(pos_label)`` are positive (and rows tied with the k-th). Multiclass labels are the arg-max column.

Everything is vectorised: labels are factorized once per column and side (``pd.factorize``), confusion
matrices are one ``np.bincount``. The metrics read each side's sufficient statistics
(:mod:`monitorflow.metrics.classification_side`), which merge across partitions of a lazy source;
ranking curves are in :mod:`monitorflow.metrics.score_curve`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.class_labels import label_index, pos_label_index, preview, value_kind
from monitorflow.column_mapping import python_scalar
from monitorflow.context import RunContext, Side
from monitorflow.errors import (
    ColumnNotFoundError,
    ColumnTypeError,
    ConfigurationError,
    InputDataError,
)

#: Default probability threshold of the positive label (binary classification).
DEFAULT_THRESHOLD = 0.5
#: Rows of one-column-per-class probabilities must sum to 1 within this tolerance.
PROBA_SUM_TOLERANCE = 1e-6
#: Above this many distinct labels the target is not a class label (a regression target?).
MAX_CLASSES = 500
#: Points kept in stored ROC and precision-recall curves (so snapshots stay small).
CURVE_POINTS = 200

Mode = Literal["labels", "proba", "probas"]


# ------------------------------------------------------------------------------------- helpers


BOTH = "current_data and reference_data"


def sides(ctx: RunContext) -> list[Side]:
    return ["current", "reference"] if ctx.has_reference else ["current"]


def dataset_name(side: Side) -> str:
    return f"{side}_data"


def finite_or_nan(value: Any) -> float:
    """A float for ``Float`` result fields: non-finite values become ``math.nan`` (JSON null)."""
    if value is None:
        return math.nan
    value = float(value)
    return value if math.isfinite(value) else math.nan


def finite_or_none(value: Any) -> float | None:
    """A float for optional result fields: None when not applicable or not finite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def label_key(label: Any) -> str:
    """The JSON key of a label (Evidently keys per-label results by ``str(label)``)."""
    return str(label)


def target_names_dict(target_names: Any) -> dict[str, str] | None:
    """ColumnMapping.target_names as ``{str(label): display name}`` (a list names labels 0..n-1)."""
    if target_names is None:
        return None
    if isinstance(target_names, dict):
        return {str(k): str(v) for k, v in target_names.items()}
    return {str(i): str(v) for i, v in enumerate(target_names)}


def _as_list(columns: ColumnName | list[ColumnName]) -> list[ColumnName]:
    return columns if isinstance(columns, list) else [columns]


def _sorted_labels(values: Sequence[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return list(values)


@dataclass(eq=False)
class Factorized:
    """A column's values as integer codes (-1 for missing) and its distinct values."""

    codes: np.ndarray
    uniques: list[Any]


def factorize(ctx: RunContext, side: Side, column: ColumnName) -> Factorized:
    """``pd.factorize`` of one column, once per run and side."""

    def compute() -> Factorized:
        codes, uniques = pd.factorize(ctx.data(side)[column], use_na_sentinel=True)
        return Factorized(np.asarray(codes, dtype=np.int64), [python_scalar(u) for u in uniques.tolist()])

    return ctx.memo(("mq-factorize", side, column), compute)


def label_counts(ctx: RunContext, side: Side, column: ColumnName) -> list[tuple[Any, int]]:
    """A column's distinct values (missing ones left out) and their counts, in order of first
    appearance: from the rows, or from what an out-of-core context counted (its ``label_counts``)."""
    counted = getattr(ctx, "label_counts", None)
    if counted is not None:
        return list(counted(column, side))
    fact = factorize(ctx, side, column)
    counts = np.bincount(fact.codes[fact.codes >= 0], minlength=len(fact.uniques))
    return list(zip(fact.uniques, counts.tolist(), strict=True))


def label_values(ctx: RunContext, side: Side, column: ColumnName) -> list[Any]:
    """A column's distinct values (missing ones left out) in order of first appearance."""
    if getattr(ctx, "label_counts", None) is not None:
        return [value for value, _ in label_counts(ctx, side, column)]
    return factorize(ctx, side, column).uniques


def column_dtype(ctx: RunContext, side: Side, column: ColumnName) -> Any:
    """The dtype of a column as the metrics see it (after the declared conversions)."""
    if getattr(ctx, "label_counts", None) is not None:
        return ctx.dtypes(side)[column]
    return ctx.data(side)[column].dtype


def check_single_kind(values: Sequence[Any], column: ColumnName, dataset: str) -> str | None:
    """The kind ("str" / "number") of a column's labels; raise when strings and numbers are mixed."""
    kinds = {value_kind(v) for v in values}
    if len(kinds) > 1:
        example_str = next((v for v in values if isinstance(v, str)), None)
        raise ColumnTypeError(
            column,
            dataset,
            "labels of one type",
            example_str,
            fix=(
                f"it mixes strings and numbers ({preview(values)}); cast it to one type, "
                f"e.g. df[{column!r}] = df[{column!r}].astype(str)"
            ),
        )
    return next(iter(kinds), None)


# ---------------------------------------------------------------------------------- label space


@dataclass(eq=False)
class LabelSpace:
    """The labels of the run (shared by both datasets) and how predictions are given."""

    mode: Mode
    target: ColumnName
    prediction: ColumnName | list[ColumnName]
    labels: list[Any]
    pos: int | None  # index of pos_label in ``labels`` (binary only)
    proba_columns: list[ColumnName] | None = None  # aligned with ``labels`` (mode "probas")
    proba_is_negative: bool = False  # mode "proba": the column is the other label's probability

    @property
    def is_binary(self) -> bool:
        return len(self.labels) == 2

    @property
    def has_probas(self) -> bool:
        return self.mode != "labels"

    @property
    def neg(self) -> int | None:
        return None if self.pos is None else 1 - self.pos

    @property
    def prediction_column(self) -> ColumnName:
        """The one prediction column (labels, or one label's probability)."""
        if isinstance(self.prediction, list):
            raise TypeError(f"{len(self.prediction)} prediction columns, not one")
        return self.prediction

    @property
    def positive(self) -> int:
        """``pos`` where a positive label is required (a binary space)."""
        if self.pos is None:
            raise TypeError(f"{len(self.labels)} labels have no positive label")
        return self.pos

    @property
    def prediction_name(self) -> str:
        return (
            str(self.prediction)
            if not isinstance(self.prediction, list)
            else ", ".join(map(str, self.prediction))
        )


def role_column(ctx: RunContext, role: str, user: str) -> ColumnName:
    """The target or prediction column, or ColumnNotFoundError naming the mapping field to set."""
    definition = ctx.definition
    column = definition.target if role == "target" else definition.prediction
    if column is not None:
        return column
    skipped = definition.skipped_columns
    dataset = "reference_data" if role in skipped.get("only_in_current", []) else "current_data"
    raise ColumnNotFoundError(
        role,
        f"column_mapping.{role} (the default; set ColumnMapping({role}='your column') for {user})",
        dataset,
        definition.column_names,
    )


def label_space(ctx: RunContext, user: str = "classification metrics") -> LabelSpace:
    """Resolve target, prediction and labels once per run (both datasets share the labels)."""
    return ctx.memo(("mq-label-space",), lambda: _label_space(ctx, user))


def _label_space(ctx: RunContext, user: str) -> LabelSpace:
    definition = ctx.definition
    target = role_column(ctx, "target", user)
    ctx.require_column(target, "column_mapping.target")
    pos_label = definition.pos_label

    target_uniques: list[Any] = []
    for side in sides(ctx):
        values = label_values(ctx, side, target)
        check_single_kind(values, target, dataset_name(side))
        target_uniques.extend(values)
    target_uniques = list(dict.fromkeys(target_uniques))
    target_kind = check_single_kind(target_uniques, target, BOTH)

    probas = definition.prediction_probas
    if probas:
        for column in probas:
            ctx.require_column(column, "column_mapping.prediction")
        if len(probas) < 2:
            raise ConfigurationError(
                f"ColumnMapping(prediction={probas!r}) lists one probability column; list one column per "
                "class "
                f"(two for binary), or pass prediction={probas[0]!r} for the probability of pos_label",
                argument="prediction",
            )
        labels = [python_scalar(c) for c in probas]
        order = list(range(len(labels)))
        with contextlib.suppress(TypeError):
            order = sorted(order, key=lambda i: labels[i])
        labels = [labels[i] for i in order]
        columns = [probas[i] for i in order]
        pos = pos_label_index(labels, pos_label, f"target {target!r}") if len(labels) == 2 else None
        return LabelSpace("probas", target, list(probas), labels, pos, proba_columns=columns)

    prediction = role_column(ctx, "prediction", user)
    ctx.require_column(prediction, "column_mapping.prediction")
    is_float = all(pd.api.types.is_float_dtype(column_dtype(ctx, s, prediction)) for s in sides(ctx))
    if is_float and len(target_uniques) <= 2:
        labels = _sorted_labels(target_uniques)
        if (
            label_index(labels, pos_label) is None
            and len(labels) == 1
            and value_kind(pos_label) == target_kind
        ):
            labels = _sorted_labels([*labels, python_scalar(pos_label)])
        if len(labels) < 2:
            _single_class(target, prediction, labels)
        pos = pos_label_index(labels, pos_label, f"target {target!r}")
        named = label_index(labels, prediction)
        negative = named is not None and named != pos and str(labels[named]) == str(prediction)
        return LabelSpace("proba", target, prediction, labels, pos, proba_is_negative=negative)

    prediction_uniques: list[Any] = []
    for side in sides(ctx):
        values = label_values(ctx, side, prediction)
        check_single_kind(values, prediction, dataset_name(side))
        prediction_uniques.extend(values)
    prediction_kind = check_single_kind(list(dict.fromkeys(prediction_uniques)), prediction, BOTH)
    _check_class_count(ctx, target, prediction, len(target_uniques))
    if is_float:
        strangers = [v for v in dict.fromkeys(prediction_uniques) if label_index(target_uniques, v) is None]
        if strangers:
            raise InputDataError(
                f"prediction {prediction!r} holds floats that are not labels of target {target!r} "
                f"(e.g. {preview(strangers)}) and the target has {len(target_uniques)} labels, so they "
                "cannot be "
                "the probability of pos_label; pass one probability column per label, "
                "ColumnMapping(prediction=[...]), or predicted labels"
            )
    if target_kind and prediction_kind and target_kind != prediction_kind:
        example = next(iter(prediction_uniques), None)
        raise ColumnTypeError(
            prediction,
            BOTH if ctx.has_reference else "current_data",
            f"labels of the same type as target {target!r} ({target_kind})",
            example,
            fix=(
                f"target labels are {target_kind}s ({preview(target_uniques)}) and predictions are "
                f"{prediction_kind}s ({preview(list(dict.fromkeys(prediction_uniques)))}); cast one column, "
                f"e.g. df[{prediction!r}] = df[{prediction!r}].astype(df[{target!r}].dtype)"
            ),
        )
    labels = _sorted_labels(list(dict.fromkeys([*target_uniques, *prediction_uniques])))
    _check_class_count(ctx, target, prediction, len(labels))
    if len(labels) < 2:
        _single_class(target, prediction, labels)
    pos = pos_label_index(labels, pos_label, f"target {target!r}") if len(labels) == 2 else None
    return LabelSpace("labels", target, prediction, labels, pos)


def _check_class_count(ctx: RunContext, target: ColumnName, prediction: Any, count: int) -> None:
    if count > MAX_CLASSES:
        raise ColumnTypeError(
            target,
            BOTH if ctx.has_reference else "current_data",
            f"class labels (at most {MAX_CLASSES} distinct values with prediction {prediction!r})",
            fix=(
                f"it holds {count} distinct labels. Is this a regression target? "
                "Use RegressionPreset or ColumnMapping(task='regression')"
            ),
        )


def _single_class(target: ColumnName, prediction: Any, labels: list[Any]) -> None:
    raise InputDataError(
        f"target {target!r} and prediction {prediction!r} hold a single class {preview(labels)} in every "
        "dataset; "
        "classification quality needs at least two classes: check the filter that produced this batch, "
        "or set ColumnMapping(target_names=...) / pos_label to name the missing class"
    )


def _codes(fact: Factorized, labels: list[Any], by_str: bool) -> tuple[np.ndarray, list[Any]]:
    """Label codes for a factorized column (-1: missing, -2: not a label) and the unknown values."""
    exact = {(label, value_kind(label)): i for i, label in enumerate(labels)}
    as_str = {str(label): i for i, label in enumerate(labels)} if by_str else {}
    lut = np.full(len(fact.uniques) + 1, -1, dtype=np.int64)
    unknown = []
    for j, value in enumerate(fact.uniques):
        index = exact.get((value, value_kind(value)))
        if index is None:
            index = as_str.get(str(value))
        if index is None:
            unknown.append(value)
            index = -2
        lut[j] = index
    return lut[fact.codes], unknown  # codes == -1 picks lut[-1] == -1


def check_threshold_args(space: LabelSpace, probas_threshold: float | None, k: int | None, who: str) -> None:
    if (probas_threshold is not None or k is not None) and not (space.is_binary and space.has_probas):
        raise ConfigurationError(
            f"{who}: probas_threshold and k apply to binary classification with probabilities; this run has "
            f"{len(space.labels)} labels and {'probabilities' if space.has_probas else 'predicted labels'} "
            f"in {space.prediction_name!r}; drop the argument",
            argument="k" if k is not None else "probas_threshold",
        )


def confusion(y_true: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    """(k, k) counts: rows are actual labels, columns predicted labels."""
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


# ------------------------------------------------------------------------------ quality scores


@dataclass(eq=False)
class Scores:
    """Scores derived from a confusion matrix (zero division gives 0, as scikit-learn's default)."""

    accuracy: float
    precision: float
    recall: float
    f1: float
    tpr: float | None
    tnr: float | None
    fpr: float | None
    fnr: float | None
    per_class: dict[str, np.ndarray]  # precision, recall, f1, support: one value per label


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den != 0)


def per_class_scores(matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Per-label precision, recall, F1 (zero division gives 0) and support."""
    tp = np.diagonal(matrix, axis1=-2, axis2=-1).astype(np.float64)
    predicted = matrix.sum(axis=-2)
    actual = matrix.sum(axis=-1)
    return {
        "precision": _div(tp, predicted),
        "recall": _div(tp, actual),
        "f1": _div(2 * tp, predicted + actual),
        "support": actual,
        "present": (predicted + actual) > 0,
    }


def scores(matrix: np.ndarray, pos: int | None) -> Scores:
    """Accuracy; precision, recall and F1 of ``pos`` (binary) or macro-averaged over the labels present."""
    total = matrix.sum()
    per_class = per_class_scores(matrix)
    accuracy = float(np.trace(matrix) / total) if total else math.nan
    tpr = tnr = fpr = fnr = None
    if pos is not None:
        precision, recall, f1 = (float(per_class[name][pos]) for name in ("precision", "recall", "f1"))
        tp = matrix[pos, pos]
        fn = matrix[pos].sum() - tp
        fp = matrix[:, pos].sum() - tp
        tn = total - tp - fn - fp
        tpr = float(tp / (tp + fn)) if tp + fn else math.nan
        fnr = float(fn / (tp + fn)) if tp + fn else math.nan
        tnr = float(tn / (tn + fp)) if tn + fp else math.nan
        fpr = float(fp / (tn + fp)) if tn + fp else math.nan
    else:
        present = per_class["present"]
        precision, recall, f1 = (
            float(per_class[name][present].mean()) if present.any() else math.nan
            for name in ("precision", "recall", "f1")
        )
    return Scores(accuracy, precision, recall, f1, tpr, tnr, fpr, fnr, per_class)


# ----------------------------------------------------------------------------- ranking curves


def curve_labels(space: LabelSpace) -> list[int]:
    """Classes that get curves: the positive label (binary) or every label."""
    return [space.pos] if space.is_binary and space.pos is not None else list(range(len(space.labels)))


def thin(size: int, points: int = CURVE_POINTS) -> np.ndarray:
    """At most ``points`` evenly spaced indices of ``range(size)``, first and last included."""
    if size <= points:
        return np.arange(size)
    return np.unique(np.round(np.linspace(0, size - 1, points)).astype(np.int64))

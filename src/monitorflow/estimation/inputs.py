"""Read what estimation needs from a run's frames: probabilities, reference labels, model inputs.

Every refusal names what is missing and how to fix it (:mod:`monitorflow.errors`):
predictions that are labels (:class:`NoProbabilitiesError`), no labelled reference
(:class:`LabelledReferenceRequired`), scores that are not probabilities
(:class:`NotProbabilitiesError`) and classes without labelled reference rows
(:class:`UnseenClassError`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.class_labels import label_index, pos_label_index, preview
from monitorflow.column_mapping import ColumnType, python_scalar
from monitorflow.context import RunContext
from monitorflow.errors import (
    ColumnNotFoundError,
    ColumnTypeError,
    ConfigurationError,
    EmptyDataError,
    LabelledReferenceRequired,
    NoProbabilitiesError,
    NotProbabilitiesError,
    UnseenClassError,
)

#: Rows of one-column-per-class probabilities must sum to 1 within this tolerance.
SUM_TOLERANCE = 1e-6
#: Categories of a categorical model input kept by the error models (the most frequent ones).
MAX_CATEGORIES = 250


def reference_labels(ctx: RunContext, who: str) -> tuple[ColumnName, pd.Series]:
    """The reference's target column with its missing values dropped; refuses without labels."""
    target = ctx.column_mapping.target
    fix = f"pass labelled reference rows (not used to train the model) as reference_data to estimate {who}"
    if ctx.reference is None:
        raise LabelledReferenceRequired(
            f"{who} is estimated from a labelled reference: no reference_data; {fix}"
        )
    if target is None or target not in ctx.reference.columns:
        raise LabelledReferenceRequired(
            f"reference_data has no target column {target!r} (column_mapping.target); {fix}, or set "
            "ColumnMapping(target=...) to its label column; reference columns: "
            f"{preview(list(ctx.reference.columns), 20)}"
        )
    values = ctx.reference[target].dropna()
    if values.empty:
        raise LabelledReferenceRequired(
            f"the target column {target!r} of reference_data has no label (all missing); {fix}"
        )
    return target, values


# ---------------------------------------------------------------------------- classification


@dataclass(frozen=True)
class ClassifierColumns:
    """The classes and the probability column(s) of a classifier's predictions."""

    labels: list[Any]
    #: One column per label (``columns``) or one column with the probability of ``labels[pos]``.
    columns: list[ColumnName] | None
    proba: ColumnName | None
    pos: int | None

    @property
    def names(self) -> list[ColumnName]:
        if self.columns is not None:
            return list(self.columns)
        assert self.proba is not None  # one column or the other
        return [self.proba]


def classifier_columns(ctx: RunContext) -> ClassifierColumns:
    """The label space: probability columns named after the classes, or one probability column of
    the positive label (its classes come from the reference labels)."""
    definition = ctx.definition
    pos_label = definition.pos_label
    probas = definition.prediction_probas
    if probas:
        if len(probas) < 2:
            raise ConfigurationError(
                f"ColumnMapping(prediction={probas!r}) lists one probability column; list one column per "
                f"class, or pass prediction={probas[0]!r} for the probability of pos_label",
                argument="prediction",
            )
        order = list(range(len(probas)))
        labels = [python_scalar(c) for c in probas]
        with contextlib.suppress(TypeError):
            order.sort(key=lambda i: labels[i])
        labels, columns = [labels[i] for i in order], [probas[i] for i in order]
        pos = pos_label_index(labels, pos_label, "the probability columns") if len(labels) == 2 else None
        return ClassifierColumns(labels, columns, None, pos)

    prediction = ctx.column_mapping.prediction
    if prediction is None or isinstance(prediction, list) or prediction not in ctx.current.columns:
        raise NoProbabilitiesError(
            f"no prediction column {prediction!r} in current_data; estimating classification quality needs "
            "the predicted probabilities: ColumnMapping(prediction=[one column per class]) or "
            "prediction='<column with the probability of pos_label>'",
            argument="prediction",
        )
    if definition.type_of(prediction) != ColumnType.NUMERICAL or not pd.api.types.is_float_dtype(
        ctx.current[prediction].dtype
    ):
        raise NoProbabilitiesError(
            f"prediction column {prediction!r} holds labels ({ctx.current[prediction].dtype}), not "
            "probabilities; "
            "estimating classification quality needs the model's probabilities: "
            "ColumnMapping(prediction=[one "
            "column per class]) or prediction='<column with the probability of pos_label>'",
            argument="prediction",
        )
    _, values = reference_labels(ctx, "classification quality")
    labels = sorted(python_scalar(v) for v in values.unique())
    if len(labels) > 2:
        raise NoProbabilitiesError(
            f"prediction {prediction!r} is one probability column but the reference target has "
            f"{len(labels)} classes {preview(labels)}; pass one probability column per class: "
            "ColumnMapping(prediction=[...])",
            argument="prediction",
        )
    if len(labels) < 2:
        other = "pos_label" if label_index(labels, pos_label) is None else "the other class"
        raise UnseenClassError(
            f"the reference target has a single class {labels!r}; calibration needs labelled rows of both "
            f"classes ({other} has none): add reference rows of the missing class"
        )
    return ClassifierColumns(
        labels, None, prediction, pos_label_index(labels, pos_label, "the reference target")
    )


def probabilities(
    frame: pd.DataFrame, spec: ClassifierColumns, dataset: str
) -> tuple[np.ndarray, np.ndarray]:
    """(rows kept x classes) probabilities and the kept-row mask (rows with a missing value dropped)."""
    names = spec.names
    for column in names:
        if column not in frame.columns:
            raise ColumnNotFoundError(column, "column_mapping.prediction", dataset, frame.columns)
    try:
        values = frame[names].to_numpy(dtype=np.float64, na_value=np.nan)
    except (ValueError, TypeError):
        column = next(c for c in names if not pd.api.types.is_numeric_dtype(frame[c].dtype))
        raise NotProbabilitiesError(
            f"column {column!r} in {dataset} holds non-numbers (e.g. {frame[column].dropna().iloc[0]!r}); "
            "probability columns must hold numbers in [0, 1]"
        ) from None
    kept = ~np.isnan(values).any(axis=1)
    values = values[kept]
    bad = (values < 0) | (values > 1)
    if bad.any():
        row, col = (int(i[0]) for i in np.nonzero(bad))
        raise NotProbabilitiesError(
            f"column {names[col]!r} in {dataset} holds {int(bad.sum())} values outside [0, 1] (e.g. "
            f"{float(values[row, col])!r}); these are scores, not probabilities: apply a sigmoid (binary) "
            "or a softmax (one column per class) first"
        )
    if spec.columns is None:
        assert spec.pos is not None  # one probability column: of labels[pos]
        raw = np.empty((values.shape[0], 2))
        raw[:, spec.pos], raw[:, 1 - spec.pos] = values[:, 0], 1.0 - values[:, 0]
        return raw, kept
    sums = values.sum(axis=1)
    off = np.abs(sums - 1.0) > SUM_TOLERANCE
    if off.any():
        raise NotProbabilitiesError(
            f"probability columns {preview(names)} in {dataset} do not sum to 1 in {int(off.sum())} rows "
            f"(e.g. {float(sums[np.flatnonzero(off)[0]])!r}); they are not probabilities of the classes: "
            "normalise them, df[cols] = df[cols].div(df[cols].sum(axis=1), axis=0), or apply a softmax to "
            "scores"
        )
    return values, kept


def class_codes(values: np.ndarray, labels: list[Any], target: ColumnName, dataset: str) -> np.ndarray:
    """Codes into ``labels`` of target values (no missing ones); refuses a class without a column."""
    codes_of: dict[Any, int | None] = {}
    for value in pd.unique(values):
        codes_of[python_scalar(value)] = label_index(labels, python_scalar(value))
    strangers = [v for v, code in codes_of.items() if code is None]
    if strangers:
        raise UnseenClassError(
            f"the target {target!r} of {dataset} has classes {preview(strangers)} without a probability "
            f"column (columns are for {preview(labels)}); add their columns to "
            "ColumnMapping(prediction=[...]) or drop these rows"
        )
    return np.array([codes_of[python_scalar(v)] for v in values], dtype=np.int64)


def labelled_classes(
    frame: pd.DataFrame, target: ColumnName, spec: ClassifierColumns, dataset: str
) -> tuple[np.ndarray, np.ndarray]:
    """Class codes and probabilities of the rows of ``frame`` with a label and every probability."""
    labelled = frame.loc[frame[target].notna()]
    raw, kept = probabilities(labelled, spec, dataset)
    return class_codes(labelled[target].to_numpy(dtype=object)[kept], spec.labels, target, dataset), raw


def reference_classes(ctx: RunContext, spec: ClassifierColumns) -> tuple[np.ndarray, np.ndarray]:
    """Class codes and probabilities of the labelled reference rows; refuses unseen classes."""
    target, _ = reference_labels(ctx, "classification quality")
    y, raw = labelled_classes(ctx.data("reference"), target, spec, "reference_data")
    unseen = [label for i, label in enumerate(spec.labels) if not (y == i).any()]
    if unseen:
        raise UnseenClassError(
            f"classes {preview(unseen)} have a probability column but no labelled row in reference_data; "
            "their calibration needs labelled examples: add reference rows of these classes, or drop "
            "their columns"
        )
    return y, raw


# -------------------------------------------------------------------------------- regression


def model_inputs(ctx: RunContext, columns: list[ColumnName] | None) -> list[ColumnName]:
    """The error models' inputs: ``columns`` or every numerical and categorical feature, then the
    prediction."""
    definition = ctx.definition
    prediction = definition.prediction
    if prediction is None or definition.type_of(prediction) != ColumnType.NUMERICAL:
        raise ConfigurationError(
            "estimating regression error needs a numerical prediction column in current_data; got "
            f"{ctx.column_mapping.prediction!r}: set ColumnMapping(prediction=...) to the model's "
            "predictions",
            argument="prediction",
        )
    if columns is None:
        skip = {*definition.utility_columns, prediction}
        columns = [
            c.name
            for c in definition.columns
            if c.name not in skip and c.type in (ColumnType.NUMERICAL, ColumnType.CATEGORICAL)
        ]
    for column in columns:
        ctx.require_column(column, "columns")
    return [*columns, prediction]


def categories_of(reference: pd.DataFrame, ctx: RunContext, inputs: list[ColumnName]) -> dict[str, list[str]]:
    """The most frequent categories (as text) of each categorical input in the reference."""
    out = {}
    for column in inputs:
        if ctx.definition.type_of(column) == ColumnType.CATEGORICAL:
            counts = reference[column].dropna().astype(str).value_counts()
            out[str(column)] = sorted(counts.index[:MAX_CATEGORIES].tolist())
    return out


def encode(
    frame: pd.DataFrame, inputs: list[Any], categories: dict[str, list[str]], dataset: str
) -> np.ndarray:
    """(rows x inputs) floats: numbers as they are, categories as their code (others missing)."""
    out = np.empty((len(frame.index), len(inputs)))
    for j, column in enumerate(inputs):
        if column not in frame.columns:
            raise ColumnNotFoundError(column, "the error model's inputs", dataset, frame.columns)
        series = frame[column]
        known = categories.get(str(column))
        if known is not None:
            code_of = {category: float(i) for i, category in enumerate(known)}
            out[:, j] = (
                series.astype(str)
                .map(code_of)
                .where(series.notna())
                .to_numpy(dtype=np.float64, na_value=np.nan)
            )
            continue
        try:
            out[:, j] = series.to_numpy(dtype=np.float64, na_value=np.nan)
        except (ValueError, TypeError):
            raise ColumnTypeError(column, dataset, "numerical", series.dropna().iloc[0]) from None
    return out


def regression_rows(
    frame: pd.DataFrame, inputs: list[Any], categories: dict[str, list[str]], dataset: str
) -> tuple[np.ndarray, np.ndarray]:
    """Encoded inputs of the rows with a prediction (the last input) and the kept-row mask."""
    X = encode(frame, inputs, categories, dataset)
    kept = ~np.isnan(X[:, -1])
    if not kept.any():
        raise EmptyDataError(dataset, f"rows with a prediction in {inputs[-1]!r}")
    return X[kept], kept


__all__ = [
    "ClassifierColumns",
    "categories_of",
    "classifier_columns",
    "encode",
    "model_inputs",
    "probabilities",
    "class_codes",
    "labelled_classes",
    "reference_classes",
    "reference_labels",
    "regression_rows",
]

"""Error bias by feature: Evidently's ``RegressionErrorBiasTable``, and the ``error_bias`` of
``RegressionQualityMetric``.

The rows of a dataset fall in three error groups (:meth:`RegressionData.groups`: the ``top_error``
share most under-estimated, the same share most over-estimated, the rest). Per feature: its mean
(numerical) or most common value (categorical) among the under- and over-estimated rows, and over all
rows as ``majority`` (Evidently's field, which despite its name is the whole dataset's), and ``range``:
``100 * |over - under| / (max - min)`` for numerical features, 1 if the groups' most common values
differ (else 0) for categorical ones. Features are those Evidently's regression metrics use: the
numerical and categorical features of :mod:`monitorflow.dataset_columns`.

Evidently's table computes only with ``options={"render": {"raw_data": True}}`` (it keeps the rows for
its plot) and is an empty placeholder otherwise (``top_error=-1``); this one always computes from the
rows, keeping the per-feature aggregates only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from pydantic import Field

from monitorflow._types import ColumnName, Float, column_key
from monitorflow.column_mapping import python_scalar
from monitorflow.column_stats import to_float_array
from monitorflow.context import RunContext
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_data import factorize, finite_or_nan, sides
from monitorflow.metrics.regression import TOP_ERROR, _RegressionMetric, regression_data


class FeatureBias(MetricResult):
    """A feature's mean (numerical) or most common value (categorical) in each error group; ``range``:
    ``100 * |over - under| / (max - min)`` for numerical features, 1 if the groups' most common values
    differ (else 0) for categorical ones. None: no value in that group."""

    feature_type: str
    current_majority: Any = None
    current_under: Any = None
    current_over: Any = None
    current_range: Float = math.nan
    ref_majority: Any = None
    ref_under: Any = None
    ref_over: Any = None
    ref_range: Float = math.nan


class RegressionErrorBiasTableResults(MetricResult):
    top_error: float
    target_name: ColumnName
    prediction_name: ColumnName
    num_feature_names: list[ColumnName]
    cat_feature_names: list[ColumnName]
    columns: list[ColumnName]
    error_bias: dict[str, FeatureBias]


def _plain(value: Any) -> Any:
    value = python_scalar(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _numerical_bias(values: np.ndarray, groups: np.ndarray) -> dict[str, Any]:
    finite = np.isfinite(values)
    g, v = groups[finite], values[finite]
    sums = np.bincount(g, weights=v, minlength=3)
    counts = np.bincount(g, minlength=3)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    under, over = float(means[0]), float(means[2])
    majority = float(v.mean()) if v.size else math.nan
    spread = float(v.max() - v.min()) if v.size else math.nan
    value_range = 0.0 if under == over or not spread else 100.0 * abs(over - under) / spread
    return {
        "majority": _plain(majority),
        "under": _plain(under),
        "over": _plain(over),
        "range": finite_or_nan(value_range),
    }


def _categorical_bias(codes: np.ndarray, uniques: list[Any], groups: np.ndarray) -> dict[str, Any]:
    present = codes >= 0
    size = max(len(uniques), 1)
    counts = np.bincount(groups[present] * size + codes[present], minlength=3 * size).reshape(3, size)
    under, _, over = (uniques[int(np.argmax(row))] if row.any() else None for row in counts)
    overall = counts.sum(axis=0)
    majority = uniques[int(np.argmax(overall))] if overall.any() else None
    value_range = 0.0 if under == majority == over else 1.0
    return {"majority": _plain(majority), "under": _plain(under), "over": _plain(over), "range": value_range}


def bias_features(ctx: RunContext) -> tuple[list[ColumnName], list[ColumnName]]:
    """The numerical and categorical features of the error bias (Evidently's drift-table typing)."""
    typing = ctx.definition.dataset_columns
    if typing is None:
        return ctx.definition.numerical_features, ctx.definition.categorical_features
    return list(typing.numerical), list(typing.categorical)


def error_bias(
    ctx: RunContext, num: list[ColumnName], cat: list[ColumnName], top_error: float = TOP_ERROR
) -> dict[str, FeatureBias]:
    """Per feature, its value in each error group on current (``current_*``) and reference (``ref_*``)."""
    bias: dict[str, dict[str, Any]] = {}
    for side in sides(ctx):
        data = regression_data(ctx, side)
        groups = data.groups(top_error)
        prefix = "current_" if side == "current" else "ref_"
        frame = ctx.data(side)
        for column in num:
            values = to_float_array(frame[column])
            values = values[data.kept] if data.kept is not None else values
            entry = bias.setdefault(column_key(column), {"feature_type": "num"})
            entry.update({prefix + k: v for k, v in _numerical_bias(values, groups).items()})
        for column in cat:
            fact = factorize(ctx, side, column)
            codes = fact.codes[data.kept] if data.kept is not None else fact.codes
            entry = bias.setdefault(column_key(column), {"feature_type": "cat"})
            entry.update({prefix + k: v for k, v in _categorical_bias(codes, fact.uniques, groups).items()})
    return {k: FeatureBias(**v) for k, v in bias.items()}


class RegressionErrorBiasTable(_RegressionMetric[RegressionErrorBiasTableResults]):
    """Per feature: its mean / most common value among the under-, over-estimated and majority rows."""

    result_type = RegressionErrorBiasTableResults
    columns: list[ColumnName] | None = None
    top_error: float = Field(TOP_ERROR, gt=0, lt=0.5)

    def calculate(self, ctx: RunContext) -> RegressionErrorBiasTableResults:
        current = regression_data(ctx, "current")
        num, cat = bias_features(ctx)
        if self.columns is not None:
            for column in self.columns:
                if column not in ctx.current.columns:
                    ctx.require_column(column, f"{self.type_name}.columns")
            wanted = set(self.columns)
            num = [c for c in num if c in wanted]
            cat = [c for c in cat if c in wanted]
        return RegressionErrorBiasTableResults(
            top_error=self.top_error,
            target_name=current.target,
            prediction_name=current.prediction,
            num_feature_names=list(num),
            cat_feature_names=list(cat),
            columns=sorted([*num, *cat], key=str),
            error_bias=error_bias(ctx, num, cat, self.top_error),
        )


__all__ = ["FeatureBias", "RegressionErrorBiasTable", "error_bias"]

"""Error bias by feature: Evidently's ``RegressionErrorBiasTable``, and the ``error_bias`` of
``RegressionQualityMetric``.

The rows of a dataset fall in three error groups
(:func:`~monitorflow.metrics.regression_data.error_groups`: the ``top_error`` share most
under-estimated, the same share most over-estimated, the rest). Per feature: its mean
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
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from monitorflow._types import ColumnName, Float, column_key
from monitorflow.column_mapping import python_scalar
from monitorflow.column_stats import to_float_array
from monitorflow.context import RunContext
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_data import finite_or_nan, sides
from monitorflow.metrics.regression import TOP_ERROR, _RegressionMetric
from monitorflow.metrics.regression_data import RegressionData, error_groups, regression_data


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


@dataclass
class _NumericalSums:
    """Per error group: sum and count of a feature's finite values; its finite bounds."""

    sums: np.ndarray = field(default_factory=lambda: np.zeros(3))
    counts: np.ndarray = field(default_factory=lambda: np.zeros(3, dtype=np.int64))
    low: float = math.inf
    high: float = -math.inf

    def add(self, values: np.ndarray, groups: np.ndarray) -> None:
        finite = np.isfinite(values)
        g, v = groups[finite], values[finite]
        self.sums += np.bincount(g, weights=v, minlength=3)
        self.counts += np.bincount(g, minlength=3)
        if v.size:
            self.low, self.high = min(self.low, float(v.min())), max(self.high, float(v.max()))

    def bias(self) -> dict[str, Any]:
        with np.errstate(invalid="ignore", divide="ignore"):
            means = self.sums / self.counts
        under, over = float(means[0]), float(means[2])
        total = int(self.counts.sum())
        majority = float(self.sums.sum()) / total if total else math.nan
        spread = self.high - self.low if total else math.nan
        value_range = 0.0 if under == over or not spread else 100.0 * abs(over - under) / spread
        return {
            "majority": _plain(majority),
            "under": _plain(under),
            "over": _plain(over),
            "range": finite_or_nan(value_range),
        }


@dataclass
class _CategoryCounts:
    """Per value of a feature: its rows in each error group and the row where it first appears (all
    rows, dropped ones included: ties go to the value seen first, as ``pd.factorize`` orders them)."""

    counts: dict[Any, np.ndarray] = field(default_factory=dict)
    first: dict[Any, int] = field(default_factory=dict)

    def add(self, series: pd.Series, kept: np.ndarray, groups: np.ndarray, offset: int) -> None:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        codes = np.asarray(codes, dtype=np.int64)
        size = max(len(uniques), 1)
        present = codes >= 0
        _, first_rows = np.unique(codes[present], return_index=True)
        first_rows = np.flatnonzero(present)[first_rows]
        kept_codes = codes[kept]
        counted = kept_codes >= 0
        by_group = np.bincount(groups[counted] * size + kept_codes[counted], minlength=3 * size).reshape(
            3, size
        )
        for code, value in enumerate(python_scalar(u) for u in uniques.tolist()):
            if value not in self.first:
                self.first[value] = offset + int(first_rows[code])
                self.counts[value] = np.zeros(3, dtype=np.int64)
            self.counts[value] += by_group[:, code]

    def bias(self) -> dict[str, Any]:
        values = sorted(self.first, key=self.first.__getitem__)
        counts = np.array([self.counts[v] for v in values], dtype=np.int64).reshape(-1, 3).T
        under, _, over = (values[int(np.argmax(row))] if row.any() else None for row in counts)
        overall = counts.sum(axis=0)
        majority = values[int(np.argmax(overall))] if overall.any() else None
        value_range = 0.0 if under == majority == over else 1.0
        return {
            "majority": _plain(majority),
            "under": _plain(under),
            "over": _plain(over),
            "range": value_range,
        }


def bias_features(ctx: RunContext) -> tuple[list[ColumnName], list[ColumnName]]:
    """The numerical and categorical features of the error bias (Evidently's drift-table typing)."""
    typing = ctx.definition.dataset_columns
    if typing is None:
        return ctx.definition.numerical_features, ctx.definition.categorical_features
    return list(typing.numerical), list(typing.categorical)


def _bias_sums(
    ctx: RunContext, data: RegressionData, num: list[ColumnName], cat: list[ColumnName], top_error: float
) -> tuple[dict[ColumnName, _NumericalSums], dict[ColumnName, _CategoryCounts]]:
    """One side's sums per error group of the numerical features and counts of the categorical ones."""
    low, high = data.thresholds(top_error)
    numerical = {column: _NumericalSums() for column in num}
    categorical = {column: _CategoryCounts() for column in cat}
    offset = 0
    if num or cat:
        for chunk in data.chunks(ctx, [*num, *cat]):
            groups = error_groups(chunk.p - chunk.y, low, high)
            for column, sums in numerical.items():
                sums.add(to_float_array(chunk.frame[column])[chunk.kept], groups)
            for column, counts in categorical.items():
                counts.add(chunk.frame[column], chunk.kept, groups, offset)
            offset += chunk.kept.size
    return numerical, categorical


def error_bias(
    ctx: RunContext, num: list[ColumnName], cat: list[ColumnName], top_error: float = TOP_ERROR
) -> dict[str, FeatureBias]:
    """Per feature, its value in each error group on current (``current_*``) and reference (``ref_*``):
    one pass over the rows, grouped by the error quantiles."""
    bias: dict[str, dict[str, Any]] = {}
    for side in sides(ctx):
        data = regression_data(ctx, side)
        name = f"error-bias:{data.target!r}:{data.prediction!r}:{num!r}:{cat!r}:{top_error!r}"
        numerical, categorical = ctx.kept(side, name, partial(_bias_sums, ctx, data, num, cat, top_error))
        prefix = "current_" if side == "current" else "ref_"
        for kind, accumulated in (("num", numerical), ("cat", categorical)):
            for column, summary in accumulated.items():
                entry = bias.setdefault(column_key(column), {"feature_type": kind})
                entry.update({prefix + k: v for k, v in summary.bias().items()})
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

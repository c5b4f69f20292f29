"""Correlations between columns: DatasetCorrelationsMetric and ColumnCorrelationsMetric.

Definitions
-----------
Columns
    ``pearson``, ``spearman`` and ``kendall`` use the numerical features plus the target and the (single)
    prediction column when those are numerical; ``cramer_v`` uses the categorical features plus a
    categorical target / prediction. Id, datetime, text and prediction-probability columns are left out.
    Columns keep the order of the data. Both sides list the same columns, so matrices can be compared
    cell by cell.
Missing values
    Each pair of columns uses the rows where both values are present ("pairwise-complete", like
    ``pandas.DataFrame.corr``). Infinite values count as missing.
pearson
    The sample correlation coefficient, as ``DataFrame.corr("pearson")``.
spearman
    Pearson on average ranks, ranked over the pair's rows, as ``DataFrame.corr("spearman")``.
kendall
    Kendall's tau-b (``scipy.stats.kendalltau``, which ``DataFrame.corr("kendall")`` equals), computed in
    O(n log n) per pair from ranks prepared once per column.
cramer_v
    ``sqrt(chi2 / n / min(r - 1, c - 1))`` without bias correction, over the ``r x c`` categories present in
    the pair's rows; equal to ``scipy.stats.contingency.association(table, method="cramer")``. Missing
    values are not a category.
Undefined values
    A pair whose rows hold fewer than two distinct values in either column (a constant column, too few
    rows) has a NaN correlation (``null`` in JSON), not an error. The diagonal is 1 for a column with at
    least two distinct values and NaN otherwise (pandas gives 1 for a constant column with kendall only).

Stats per method (Evidently's names; diagonal excluded; NaN cells ignored; NaN when no cell is defined)
    ``target_prediction_correlation``: the signed correlation of target and prediction.
    ``abs_max_target_features_correlation``: max ``|corr(target, feature)|`` over features.
    ``abs_max_prediction_features_correlation``: max ``|corr(prediction, feature)|`` over features.
    ``abs_max_correlation``: max ``|corr|`` over all pairs of the matrix.
    ``abs_max_features_correlation``: max ``|corr|`` over pairs of two features.
    Evidently computes the two target/prediction maxima over every row of the target *and the features*,
    so a pair of correlated features counts as "target correlation" there; here only pairs with the
    target (prediction) count.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pydantic import field_validator

from monitorflow._types import ColumnName, Float
from monitorflow.column_mapping import ColumnType, DataDefinition
from monitorflow.context import RunContext, Side
from monitorflow.errors import ConfigurationError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.side_correlations import (  # also importable from here, as before
    METHODS,
    NUMERICAL_METHODS,
    CorrelationMethod,
    correlation_columns,
    method_kind,
    side_correlations,
    target_method,
)


class CorrelationStats(MetricResult):
    """Summary of one matrix (definitions in the module docstring)."""

    target_prediction_correlation: Float = math.nan
    abs_max_target_features_correlation: Float = math.nan
    abs_max_prediction_features_correlation: Float = math.nan
    abs_max_correlation: Float = math.nan
    abs_max_features_correlation: Float = math.nan


class CorrelationMatrix(MetricResult):
    """A correlation matrix: ``values[i][j]`` is the correlation of ``column_names[i]`` and ``[j]``."""

    column_names: list[ColumnName]
    values: list[list[Float]]
    stats: CorrelationStats

    def value(self, a: ColumnName, b: ColumnName) -> float:
        return self.values[self.column_names.index(a)][self.column_names.index(b)]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.values, index=list(self.column_names), columns=list(self.column_names), dtype=float
        )


class DatasetCorrelation(MetricResult):
    """One dataset's matrices by method (chart data) and their summaries by method (Evidently's shape)."""

    render_fields = frozenset({"correlation"})

    correlation: dict[str, CorrelationMatrix]
    stats: dict[str, CorrelationStats]


class DatasetCorrelationsMetricResult(MetricResult):
    render_fields = frozenset({"target_correlation"})

    #: The method Evidently uses for the target: pearson (numerical target) or cramer_v (categorical).
    target_correlation: str | None = None
    current: DatasetCorrelation
    reference: DatasetCorrelation | None = None

    @field_validator("current", "reference", mode="before")
    @classmethod
    def _older_shape(cls, value: object) -> object:
        """Snapshots written before the Evidently shape hold the matrices by method only."""
        if isinstance(value, dict) and "correlation" not in value and "stats" not in value:
            stats = {k: m.get("stats") for k, m in value.items() if isinstance(m, dict) and m.get("stats")}
            return {"correlation": value, "stats": stats}
        return value


def _abs_max(matrix: np.ndarray, rows: list[int], cols: list[int]) -> float:
    if not rows or not cols:
        return math.nan
    block = np.abs(matrix[np.ix_(rows, cols)])
    finite = block[~np.isnan(block)]
    return float(finite.max()) if finite.size else math.nan


def correlation_stats(
    matrix: np.ndarray, columns: list[ColumnName], definition: DataDefinition
) -> CorrelationStats:
    """Evidently's summary stats of one matrix, over off-diagonal cells (see the module docstring)."""
    off = matrix.copy()
    np.fill_diagonal(off, math.nan)
    index = {c: i for i, c in enumerate(columns)}
    target = index.get(definition.target) if definition.target is not None else None
    prediction = index.get(definition.prediction) if definition.prediction is not None else None
    features = [i for c, i in index.items() if i not in (target, prediction)]
    everything = list(range(len(columns)))
    return CorrelationStats(
        target_prediction_correlation=(
            float(off[target, prediction]) if target is not None and prediction is not None else math.nan
        ),
        abs_max_target_features_correlation=(
            _abs_max(off, [target], features) if target is not None else math.nan
        ),
        abs_max_prediction_features_correlation=(
            _abs_max(off, [prediction], features) if prediction is not None else math.nan
        ),
        abs_max_correlation=_abs_max(off, everything, everything),
        abs_max_features_correlation=_abs_max(off, features, features),
    )


def correlation_matrix(ctx: RunContext, side: Side, method: str) -> CorrelationMatrix:
    """The matrix and stats of one method on one side, computed once per run."""

    def compute() -> CorrelationMatrix:
        columns = correlation_columns(ctx.definition, method_kind(method))
        values = side_correlations(ctx, side).matrix(method, columns)
        return CorrelationMatrix(
            column_names=columns,
            values=values.tolist(),
            stats=correlation_stats(values, columns, ctx.definition),
        )

    return ctx.memo(("correlation-matrix", side, method), compute)


def _methods_validator(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    if not value:
        raise ValueError(f"give at least one method of {list(METHODS)}, or None for all")
    return list(dict.fromkeys(value))


class DatasetCorrelationsMetric(Metric[DatasetCorrelationsMetricResult]):
    """Correlation matrices of the dataset, one per method (see the module docstring).

    ``methods`` (not in Evidently) limits the computation to some methods; by default all four.
    """

    result_type = DatasetCorrelationsMetricResult

    methods: list[CorrelationMethod] | None = None

    @field_validator("methods")
    @classmethod
    def _check_methods(cls, value: list[str] | None) -> list[str] | None:
        return _methods_validator(value)

    @property
    def selected_methods(self) -> list[CorrelationMethod]:
        return list(self.methods) if self.methods is not None else list(METHODS)

    def calculate(self, ctx: RunContext) -> DatasetCorrelationsMetricResult:
        def side(name: Side) -> DatasetCorrelation:
            matrices = {m: correlation_matrix(ctx, name, m) for m in self.selected_methods}
            return DatasetCorrelation(correlation=matrices, stats={m: x.stats for m, x in matrices.items()})

        return DatasetCorrelationsMetricResult(
            target_correlation=target_method(ctx.definition),
            current=side("current"),
            reference=side("reference") if ctx.has_reference else None,
        )


# ----------------------------------------------------------------------------- column metric


class CorrelationValues(MetricResult):
    """Evidently's ``Distribution``: other columns (``x``) and their correlations (``y``)."""

    x: list[ColumnName]
    y: list[Float]


class ColumnCorrelations(MetricResult):
    column_name: ColumnName
    kind: str
    values: CorrelationValues

    def get_pandas(self) -> pd.DataFrame:
        """One row per other column: ``kind``, ``column_name`` (the other column) and ``value``."""
        pairs = zip(self.values.x, self.values.y, strict=True)
        return pd.DataFrame([{"kind": self.kind, "column_name": x, "value": y} for x, y in pairs])


class ColumnCorrelationsMetricResult(MetricResult):
    column_name: ColumnName
    current: dict[str, ColumnCorrelations]
    reference: dict[str, ColumnCorrelations] | None = None

    def get_pandas(self) -> pd.DataFrame:
        """Every kind's rows of each side, its columns prefixed ``current_`` / ``reference_``, plus
        ``column_name`` (this column); as Evidently, the sides' rows stacked, not joined."""
        frames = []
        for side in ("current", "reference"):
            for correlations in (getattr(self, side) or {}).values():
                frame = correlations.get_pandas().add_prefix(f"{side}_")
                frame["column_name"] = self.column_name
                frames.append(frame)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


class ColumnCorrelationsMetric(Metric[ColumnCorrelationsMetricResult]):
    """Correlations of one column with the other columns of its type.

    A numerical column gets pearson, spearman and kendall with the other numerical columns, a categorical
    column gets cramer_v with the other categorical features (as Evidently: features only, so the target
    and the prediction are not among them), without the column itself.
    """

    result_type = ColumnCorrelationsMetricResult

    column_name: ColumnName

    def calculate(self, ctx: RunContext) -> ColumnCorrelationsMetricResult:
        column = self.column_name
        kind = ctx.require_column(column, "ColumnCorrelationsMetric.column_name")
        if kind not in (ColumnType.NUMERICAL, ColumnType.CATEGORICAL):
            raise ConfigurationError(
                f"ColumnCorrelationsMetric needs a numerical or categorical column; column {column!r} is "
                f"{kind.name.lower()}. List it in numerical_features or categorical_features to correlate it",
                argument="column_name",
            )
        methods = NUMERICAL_METHODS if kind == ColumnType.NUMERICAL else ("cramer_v",)
        others = [c for c in ctx.definition.columns_of_type(kind) if c != column]

        def side(name: Side) -> dict[str, ColumnCorrelations]:
            cache = side_correlations(ctx, name)
            return {
                m: ColumnCorrelations(
                    column_name=column,
                    kind=m,
                    values=CorrelationValues(x=list(others), y=[cache.pair(m, column, o) for o in others]),
                )
                for m in methods
            }

        return ColumnCorrelationsMetricResult(
            column_name=column,
            current=side("current"),
            reference=side("reference") if ctx.has_reference else None,
        )


__all__ = [
    "METHODS",
    "ColumnCorrelations",
    "ColumnCorrelationsMetric",
    "ColumnCorrelationsMetricResult",
    "CorrelationMatrix",
    "CorrelationStats",
    "CorrelationValues",
    "DatasetCorrelation",
    "DatasetCorrelationsMetric",
    "DatasetCorrelationsMetricResult",
    "correlation_matrix",
    "side_correlations",
]

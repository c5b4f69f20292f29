"""Missing values per column and per dataset (Evidently's DatasetMissingValuesMetric and
ColumnMissingValuesMetric): counts and shares of each value treated as missing."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from monitorflow import frame_checks
from monitorflow._types import ColumnName, Float, column_key
from monitorflow.column_stats import share
from monitorflow.context import RunContext, Side
from monitorflow.frame_checks import missing_set
from monitorflow.metrics.base import Metric, MetricResult


class ColumnMissing(MetricResult):
    different_missing_values: dict[str, int]
    number_of_different_missing_values: int
    number_of_missing_values: int
    share_of_missing_values: Float
    number_of_rows: int


def column_missing(ctx: RunContext, column: ColumnName, side: Side, values: tuple[Any, ...]) -> ColumnMissing:
    """Counts of each missing value in one column."""
    counts = ctx.missing_values(side, values)
    if column not in counts.by_column:  # a derived (descriptor) column, counted on its own
        key = ("missing-derived", side, column, tuple(frame_checks.missing_label(v) for v in values))
        counts = ctx.memo(key, lambda: frame_checks.missing_counts(ctx.data(side)[[column]], values))
    n_missing = counts.by_column[column]
    by_value = counts.by_value[column]
    return ColumnMissing(
        different_missing_values=by_value,
        number_of_different_missing_values=sum(1 for c in by_value.values() if c),
        number_of_missing_values=n_missing,
        share_of_missing_values=share(n_missing, counts.rows),
        number_of_rows=counts.rows,
    )


class DatasetMissingValues(MetricResult):
    different_missing_values: dict[str, int]
    number_of_different_missing_values: int
    different_missing_values_by_column: dict[str, dict[str, int]]
    number_of_different_missing_values_by_column: dict[str, int]
    number_of_missing_values: int
    share_of_missing_values: Float
    number_of_missing_values_by_column: dict[str, int]
    share_of_missing_values_by_column: dict[str, Float]
    number_of_rows: int
    number_of_rows_with_missing_values: int
    share_of_rows_with_missing_values: Float
    number_of_columns: int
    columns_with_missing_values: list[ColumnName]
    number_of_columns_with_missing_values: int
    share_of_columns_with_missing_values: Float


class DatasetMissingValuesMetricResult(MetricResult):
    current: DatasetMissingValues
    reference: DatasetMissingValues | None = None


def dataset_missing(ctx: RunContext, side: Side, values: tuple[Any, ...]) -> DatasetMissingValues:
    counts = ctx.missing_values(side, values)
    columns = ctx.column_names(side)
    per_column = {column: column_missing(ctx, column, side, values) for column in columns}
    totals: dict[str, int] = defaultdict(int)
    for result in per_column.values():
        for label, count in result.different_missing_values.items():
            totals[label] += count
    n_rows, n_columns = counts.rows, len(columns)
    n_missing = sum(r.number_of_missing_values for r in per_column.values())
    with_missing = sorted((c for c, r in per_column.items() if r.number_of_missing_values), key=str)
    return DatasetMissingValues(
        different_missing_values=dict(totals),
        number_of_different_missing_values=sum(1 for c in totals.values() if c),
        different_missing_values_by_column={
            column_key(c): r.different_missing_values for c, r in per_column.items()
        },
        number_of_different_missing_values_by_column={
            column_key(c): r.number_of_different_missing_values for c, r in per_column.items()
        },
        number_of_missing_values=n_missing,
        share_of_missing_values=share(n_missing, n_rows * n_columns),
        number_of_missing_values_by_column={
            column_key(c): r.number_of_missing_values for c, r in per_column.items()
        },
        share_of_missing_values_by_column={
            column_key(c): r.share_of_missing_values for c, r in per_column.items()
        },
        number_of_rows=n_rows,
        number_of_rows_with_missing_values=counts.rows_with_any,
        share_of_rows_with_missing_values=share(counts.rows_with_any, n_rows),
        number_of_columns=n_columns,
        columns_with_missing_values=with_missing,
        number_of_columns_with_missing_values=len(with_missing),
        share_of_columns_with_missing_values=share(len(with_missing), n_columns),
    )


class DatasetMissingValuesMetric(Metric[DatasetMissingValuesMetricResult]):
    """Missing values over the dataset: pandas-missing, "", +inf and -inf by default.

    ``missing_values`` replaces that set (``replace=True``) or adds to it (``replace=False``).
    """

    result_type = DatasetMissingValuesMetricResult

    missing_values: list[Any] | None = None
    replace: bool = True

    def calculate(self, ctx: RunContext) -> DatasetMissingValuesMetricResult:
        values = missing_set(self.missing_values, self.replace)
        return DatasetMissingValuesMetricResult(
            current=dataset_missing(ctx, "current", values),
            reference=dataset_missing(ctx, "reference", values) if ctx.has_reference else None,
        )


class ColumnMissingValuesMetricResult(MetricResult):
    column_name: ColumnName
    current: ColumnMissing
    reference: ColumnMissing | None = None


class ColumnMissingValuesMetric(Metric[ColumnMissingValuesMetricResult]):
    """Missing values of one column (same missing set and options as DatasetMissingValuesMetric)."""

    result_type = ColumnMissingValuesMetricResult

    column_name: ColumnName
    missing_values: list[Any] | None = None
    replace: bool = True

    def calculate(self, ctx: RunContext) -> ColumnMissingValuesMetricResult:
        ctx.require_column(self.column_name, "ColumnMissingValuesMetric.column_name")
        values = missing_set(self.missing_values, self.replace)
        return ColumnMissingValuesMetricResult(
            column_name=self.column_name,
            current=column_missing(ctx, self.column_name, "current", values),
            reference=column_missing(ctx, self.column_name, "reference", values)
            if ctx.has_reference
            else None,
        )

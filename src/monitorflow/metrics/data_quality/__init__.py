"""Value ranges, value lists, quantiles and category shares of one column; label stability of rows."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from pydantic import Field

from monitorflow._types import ColumnName, Float, column_key
from monitorflow.column_mapping import python_scalar
from monitorflow.column_stats import TOP_CATEGORIES, histogram_edges, share
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.errors import ConfigurationError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.conflicts import count_lone_outcomes
from monitorflow.metrics.data_integrity import Histogram

#: At most this many values are listed in a stored value list.
MAX_LISTED_VALUES = 100


def _sides(ctx: RunContext) -> list[Side]:
    return ["current", "reference"] if ctx.has_reference else ["current"]


def _histogram(ctx: RunContext, column: ColumnName) -> Histogram:
    stats = [ctx.numerical(column, side) for side in _sides(ctx)]
    edges = histogram_edges(*(s.sorted_finite for s in stats))
    counts = [s.histogram(edges).tolist() for s in stats]
    return Histogram(
        edges=edges.tolist(), current=counts[0], reference=counts[1] if len(counts) > 1 else None
    )


# ---------------------------------------------------------------------------------- value range


class ValuesInRange(MetricResult):
    number_in_range: int
    number_not_in_range: int
    share_in_range: Float
    share_not_in_range: Float
    number_of_values: int


class ColumnValueRangeMetricResult(MetricResult):
    column_name: ColumnName
    left: Float
    right: Float
    current: ValuesInRange
    reference: ValuesInRange | None = None
    distribution: Histogram


def range_bounds(
    ctx: RunContext, column: ColumnName, left: float | None, right: float | None
) -> tuple[float, float]:
    """The given bounds, the missing ones taken from the reference's min and max."""
    if left is None or right is None:
        if not ctx.has_reference:
            raise ReferenceRequired(
                f"value range of column {column!r}: give left and right, or pass reference_data to take "
                "them from it"
            )
        reference = ctx.numerical(column, "reference")
        left = reference.min if left is None else left
        right = reference.max if right is None else right
    return float(left), float(right)


def values_in_range(
    ctx: RunContext, column: ColumnName, side: Side, left: float, right: float
) -> ValuesInRange:
    stats = ctx.numerical(column, side)
    inside = stats.count_between(left, right) if not (math.isnan(left) or math.isnan(right)) else 0
    total = stats.count
    return ValuesInRange(
        number_in_range=inside,
        number_not_in_range=total - inside,
        share_in_range=share(inside, total),
        share_not_in_range=share(total - inside, total),
        number_of_values=total,
    )


class ColumnValueRangeMetric(Metric[ColumnValueRangeMetricResult]):
    """Non-missing values inside [left, right]; missing bounds come from the reference min/max."""

    result_type = ColumnValueRangeMetricResult

    column_name: ColumnName
    left: float | None = None
    right: float | None = None

    def calculate(self, ctx: RunContext) -> ColumnValueRangeMetricResult:
        column = self.column_name
        ctx.require_column(column, "ColumnValueRangeMetric.column_name")
        left, right = range_bounds(ctx, column, self.left, self.right)
        return ColumnValueRangeMetricResult(
            column_name=column,
            left=left,
            right=right,
            current=values_in_range(ctx, column, "current", left, right),
            reference=values_in_range(ctx, column, "reference", left, right) if ctx.has_reference else None,
            distribution=_histogram(ctx, column),
        )


# ----------------------------------------------------------------------------------- value list


class ListDistribution(MetricResult):
    """Values (``x``) and their counts (``y``): most frequent first, then the listed values not seen."""

    x: list[Any]
    y: list[int]


class ValuesInList(MetricResult):
    """As Evidently: shares are of all rows, so a missing value is not in the list."""

    render_fields = frozenset({"values_in_list", "values_not_in_list"})

    number_in_list: int
    number_not_in_list: int
    share_in_list: Float
    share_not_in_list: Float
    rows_count: int
    #: The listed values and their counts (at most ``MAX_LISTED_VALUES``).
    values_in_list_dist: ListDistribution = ListDistribution(x=[], y=[])  # empty in older snapshots
    #: The most frequent values out of the list (at most ``TOP_CATEGORIES``; missing values not listed).
    values_not_in_list_dist: ListDistribution = ListDistribution(x=[], y=[])
    values_in_list: dict[str, int] = {}
    values_not_in_list: dict[str, int] = {}


class ColumnValueListMetricResult(MetricResult):
    column_name: ColumnName
    values: list[Any]
    number_of_values: int
    current: ValuesInList
    reference: ValuesInList | None = None


def list_values(ctx: RunContext, column: ColumnName, values: list[Any] | None) -> list[Any]:
    """The given values, else the reference's distinct values in order of appearance (missing included,
    as Evidently's ``unique()``; a missing value matches nothing)."""
    if values is not None:
        return values
    if not ctx.has_reference:
        raise ReferenceRequired(
            f"value list of column {column!r}: give values=[...], or pass reference_data to take them from it"
        )
    return ctx.distinct_values(column, "reference")


def values_in_list(ctx: RunContext, column: ColumnName, side: Side, values: list[Any]) -> ValuesInList:
    """Counts in and out of the list over all rows: a missing value is out of it (as in Evidently)."""
    counts = ctx.stats(column, side).value_counts()
    listed = [v for v in values if not _missing(v)]
    # object Index: Index.isin on Arrow-backed strings converts ``values`` one by one (seconds at 100k)
    inside = pd.Index(counts.index.tolist(), dtype=object).isin(listed)
    rows = ctx.stats(column, side).number_of_rows
    n_in = int(counts[inside].sum())
    seen = counts[inside]
    seen_values = set(seen.index.tolist())
    unseen = [v for v in listed[: MAX_LISTED_VALUES + len(seen_values)] if v not in seen_values]
    in_x = [python_scalar(v) for v in seen.index.tolist()] + [python_scalar(v) for v in unseen]
    in_y = [int(c) for c in seen.tolist()] + [0] * len(unseen)
    out = counts[~inside].iloc[:TOP_CATEGORIES]

    def keyed(selected: pd.Series) -> dict[str, int]:
        return {
            column_key(python_scalar(k)) if not isinstance(k, str) else k: int(v)
            for k, v in selected.iloc[:TOP_CATEGORIES].items()
        }

    return ValuesInList(
        number_in_list=n_in,
        number_not_in_list=rows - n_in,
        share_in_list=share(n_in, rows),
        share_not_in_list=share(rows - n_in, rows),
        rows_count=rows,
        values_in_list_dist=ListDistribution(x=in_x[:MAX_LISTED_VALUES], y=in_y[:MAX_LISTED_VALUES]),
        values_not_in_list_dist=ListDistribution(
            x=[python_scalar(v) for v in out.index.tolist()], y=[int(c) for c in out.tolist()]
        ),
        values_in_list=keyed(seen),
        values_not_in_list=keyed(out),
    )


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is no missing value
        return False


class ColumnValueListMetric(Metric[ColumnValueListMetricResult]):
    """Rows whose value is in a list of allowed values (by default the reference's values); a missing
    value is not in the list."""

    result_type = ColumnValueListMetricResult

    column_name: ColumnName
    values: list[Any] | None = None

    def calculate(self, ctx: RunContext) -> ColumnValueListMetricResult:
        column = self.column_name
        ctx.require_column(column, "ColumnValueListMetric.column_name")
        values = list_values(ctx, column, self.values)
        return ColumnValueListMetricResult(
            column_name=column,
            values=[python_scalar(v) for v in values[:MAX_LISTED_VALUES]],
            number_of_values=len(values),
            current=values_in_list(ctx, column, "current", values),
            reference=values_in_list(ctx, column, "reference", values) if ctx.has_reference else None,
        )


# ------------------------------------------------------------------------------------- quantile


class QuantileValue(MetricResult):
    value: Float


class ColumnQuantileMetricResult(MetricResult):
    render_fields = frozenset({"distribution"})

    column_name: ColumnName
    column_type: str = "num"
    quantile: float
    current: QuantileValue
    reference: QuantileValue | None = None
    distribution: Histogram


class ColumnQuantileMetric(Metric[ColumnQuantileMetricResult]):
    """A quantile of a numerical column (linear interpolation over finite values, like pandas)."""

    result_type = ColumnQuantileMetricResult

    column_name: ColumnName
    quantile: float = Field(ge=0, le=1)

    def calculate(self, ctx: RunContext) -> ColumnQuantileMetricResult:
        column = self.column_name
        kind = ctx.require_column(column, "ColumnQuantileMetric.column_name")
        values = {
            side: QuantileValue(value=ctx.numerical(column, side).quantile(self.quantile))
            for side in _sides(ctx)
        }
        return ColumnQuantileMetricResult(
            column_name=column,
            column_type=kind.value,
            quantile=self.quantile,
            current=values["current"],
            reference=values.get("reference"),
            distribution=_histogram(ctx, column),
        )


# ------------------------------------------------------------------------------------- category


class CategoryStat(MetricResult):
    all_num: int
    category_num: int
    category_ratio: Float


class CountOfValues(MetricResult):
    """The most frequent values of the column on each side (chart data)."""

    render_fields = frozenset({"current", "reference"})

    current: dict[str, int] = {}
    reference: dict[str, int] | None = None


class ColumnCategoryMetricResult(MetricResult):
    column_name: ColumnName
    category: Any
    current: CategoryStat
    reference: CategoryStat | None = None
    counts: CountOfValues = CountOfValues()

    @property
    def counts_of_values(self) -> dict[str, pd.DataFrame]:
        """``counts`` as Evidently's frames per side: ``x`` (the value, as its key text) and ``count``."""
        sides = {"current": self.counts.current, "reference": self.counts.reference}
        return {
            side: pd.DataFrame({"x": list(counts), "count": list(counts.values())})
            for side, counts in sides.items()
            if counts is not None
        }


class ColumnCategoryMetric(Metric[ColumnCategoryMetricResult]):
    """Count and share of one category among all rows of a column."""

    result_type = ColumnCategoryMetricResult

    column_name: ColumnName
    category: Any

    def calculate(self, ctx: RunContext) -> ColumnCategoryMetricResult:
        column = self.column_name
        ctx.require_column(column, "ColumnCategoryMetric.column_name")
        if self.category is None:
            raise ConfigurationError(
                "ColumnCategoryMetric needs a category; count missing values with ColumnMissingValuesMetric"
            )

        def stat(side: Side) -> CategoryStat:
            stats = ctx.stats(column, side)
            counts = stats.value_counts()
            found = counts[counts.index.isin([self.category])]
            number = int(found.sum())
            return CategoryStat(
                all_num=stats.number_of_rows,
                category_num=number,
                category_ratio=share(number, stats.number_of_rows),
            )

        def top(side: Side) -> dict[str, int]:
            counts = ctx.stats(column, side).value_counts().iloc[:TOP_CATEGORIES]
            return {column_key(python_scalar(k)): int(v) for k, v in counts.items()}

        return ColumnCategoryMetricResult(
            column_name=column,
            category=python_scalar(self.category),
            current=stat("current"),
            reference=stat("reference") if ctx.has_reference else None,
            counts=CountOfValues(
                current=top("current"), reference=top("reference") if ctx.has_reference else None
            ),
        )


# ------------------------------------------------------------------------------------ stability


class DataQualityStabilityMetricResult(MetricResult):
    """Rows of the current data whose features repeat in another row while their label occurs in no
    other row of those features; ``None`` when the run has no target (prediction)."""

    number_not_stable_target: int | None = None
    number_not_stable_prediction: int | None = None


class DataQualityStabilityMetric(Metric[DataQualityStabilityMetricResult]):
    """Not-stable rows of the current data, counted as Evidently's legacy metric counts them.

    Features are every column but the target and the prediction (probability columns included in
    the prediction); missing equals missing. A row counts when another row has the same features
    and no other row has the same features and label: targets 0, 0, 1 on equal features count 1
    (ConflictTargetMetric counts all 3 rows of such a group). No feature column: 0 and 0.

    >>> import pandas as pd
    >>> from monitorflow import ColumnMapping, Report
    >>> frame = pd.DataFrame({"age": [30, 30, 30, 41], "target": [0, 0, 1, 1], "prediction": [1, 1, 1, 0]})
    >>> report = Report(metrics=[DataQualityStabilityMetric()])
    >>> report.run(current_data=frame, column_mapping=ColumnMapping(target="target", prediction="prediction"))
    >>> result = report.result(DataQualityStabilityMetric())
    >>> result.number_not_stable_target, result.number_not_stable_prediction
    (1, 0)
    """

    result_type = DataQualityStabilityMetricResult

    def calculate(self, ctx: RunContext) -> DataQualityStabilityMetricResult:
        definition = ctx.definition
        frame = ctx.source("current")
        target = [definition.target] if definition.target is not None else []
        prediction = (
            [definition.prediction]
            if definition.prediction is not None
            else list(definition.prediction_probas or [])
        )
        features = [c for c in frame.columns if c not in {*target, *prediction}]
        if not features:
            return DataQualityStabilityMetricResult(
                number_not_stable_target=0, number_not_stable_prediction=0
            )

        def not_stable(outcome: list[ColumnName]) -> int | None:
            return count_lone_outcomes(frame, features, outcome) if outcome else None

        return DataQualityStabilityMetricResult(
            number_not_stable_target=not_stable(target), number_not_stable_prediction=not_stable(prediction)
        )


__all__ = [
    "ColumnCategoryMetric",
    "ColumnQuantileMetric",
    "ColumnValueListMetric",
    "ColumnValueRangeMetric",
    "DataQualityStabilityMetric",
]

"""Plot-only metrics of Evidently's legacy data-drift family, kept as bounded aggregates.

``TargetByFeaturesTable``, ``ColumnValuePlot`` and ``ColumnInteractionPlot`` exist in Evidently to draw
charts, and Evidently stores raw rows (or a KDE grid) in their results. Snapshots here are kept for
months, so these results hold binned counts, per-bin means and quantiles instead: their size grows
with the number of columns and bins, never with the number of rows.

The buckets are described in :mod:`monitorflow.metrics.plot_buckets`; ``TargetByFeaturesTable`` lives in
:mod:`monitorflow.metrics.target_by_features` (importable from here too).

>>> import pandas as pd
>>> from monitorflow import Report
>>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.0, 8.0]})
>>> report = Report(metrics=[ColumnInteractionPlot(x_column="x", y_column="y")])
>>> report.run(reference_data=frame, current_data=frame)
>>> sum(map(sum, report.as_dict(include_render=True)["metrics"][0]["result"]["current"]["counts"]))
4
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.column_mapping import ColumnType
from monitorflow.context import SIDES, RunContext, Side
from monitorflow.errors import ColumnTypeError
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_data import (
    finite_or_nan,
    sides,
)
from monitorflow.metrics.over_time import ValueSeries, series_over_time
from monitorflow.metrics.plot_buckets import (
    INDEX_BINS,
    PlotMetric,
    bin_codes,
    choose_period,
    column_categories,
    column_category_codes,
    column_floats,
    counts_2d,
    first_value,
    grouped_stats,
    mean_std,
    period_codes,
    require_reference,
    shared_edges,
)
from monitorflow.metrics.target_by_features import (  # also importable from here, as before
    FEATURE_BINS,
    VALUE_BINS,
    FeatureBins,
    RoleByFeature,
    TargetByFeaturesTable,
    TargetByFeaturesTableResults,
)

#: Bins per numerical axis of ColumnInteractionPlot (Evidently draws a 30 x 30 density grid).
INTERACTION_BINS = 30

__all__ = [
    "FEATURE_BINS",
    "INDEX_BINS",
    "INTERACTION_BINS",
    "VALUE_BINS",
    "ColumnInteractionPlot",
    "ColumnInteractionPlotResults",
    "ColumnValuePlot",
    "ColumnValuePlotResults",
    "FeatureBins",
    "RoleByFeature",
    "TargetByFeaturesTable",
    "TargetByFeaturesTableResults",
]


# ---------------------------------------------------------------------------------- ColumnValuePlot


class ColumnValuePlotResults(MetricResult):
    column_name: ColumnName
    datetime_column_name: ColumnName | None = None
    x_axis: Literal["datetime", "index"]
    #: Period of the datetime axis (year, quarter, month, week, day, hour, minute).
    prefix: str | None = None
    #: Equal-width bins of the row index (or row position, for a non-numerical index), both datasets.
    index_edges: list[float] | None = None
    current: ValueSeries
    reference: ValueSeries
    #: Mean and std of the reference values (Evidently's band around the reference mean).
    reference_mean: Float
    reference_std: Float


class ColumnValuePlot(PlotMetric[ColumnValuePlotResults]):
    """A numerical column's values along the datetime column (or the row index), on reference and current.

    Kept: per period (datetime column or datetime index; the unit is chosen as in Evidently) or per
    one of ``INDEX_BINS`` index bins: the rows, mean and std of the column, plus the reference mean
    and std. Missing and infinite values are left out and counted.
    """

    result_type = ColumnValuePlotResults
    column_name: ColumnName

    def calculate(self, ctx: RunContext) -> ColumnValuePlotResults:
        column = self.column_name
        kind = ctx.require_column(column, f"{self.type_name}.column_name")
        if kind != ColumnType.NUMERICAL:
            raise ColumnTypeError(
                column,
                "current_data",
                "numerical",
                first_value(ctx.data("current")[column]),
                fix=f"{self.type_name} plots numerical values; pick a numerical column, or list this one in "
                "numerical_features if it holds numbers",
            )
        require_reference(ctx, self.type_name)
        values = {s: column_floats(ctx, s, column) for s in SIDES}
        axis, series = series_over_time(
            ctx, list(SIDES), ["value"], lambda s: [(ctx.data(s), {"value": values[s]})]
        )
        mean, std = mean_std(values["reference"][np.isfinite(values["reference"])])
        return ColumnValuePlotResults(
            column_name=column,
            **axis.model_dump(),
            current=series["value"]["current"],
            reference=series["value"]["reference"],
            reference_mean=mean,
            reference_std=std,
        )


# ----------------------------------------------------------------------------- ColumnInteractionPlot


class BoxData(MetricResult):
    """Per bucket of the categorical column: rows and quartiles of the numerical one (``means`` holds
    the medians, as Evidently's field; linear interpolation)."""

    count: list[int]
    mins: list[Float]
    lowers: list[Float]
    means: list[Float]
    uppers: list[Float]
    maxs: list[Float]


class InteractionData(MetricResult):
    """One dataset. ``counts``: pairs per (x bucket, y bucket) for two numerical or two categorical
    columns, per (period, category bucket) for a datetime and a categorical one. ``boxes``: for a
    categorical and a numerical column. ``periods`` with ``mean``/``std``/``count`` per period: for a
    datetime and a numerical column."""

    counts: list[list[int]] | None = None
    boxes: BoxData | None = None
    periods: list[str] | None = None
    count: list[int] | None = None
    mean: list[Float] | None = None
    std: list[Float] | None = None
    #: Rows left out: a missing or infinite number, or a missing datetime.
    dropped_rows: int = 0


InteractionKind = Literal["num_num", "cat_cat", "cat_num", "datetime_num", "datetime_cat"]
_KINDS: dict[frozenset[ColumnType], str] = {
    frozenset({ColumnType.NUMERICAL}): "num_num",
    frozenset({ColumnType.CATEGORICAL}): "cat_cat",
    frozenset({ColumnType.CATEGORICAL, ColumnType.NUMERICAL}): "cat_num",
    frozenset({ColumnType.DATETIME, ColumnType.NUMERICAL}): "datetime_num",
    frozenset({ColumnType.DATETIME, ColumnType.CATEGORICAL}): "datetime_cat",
}


class ColumnInteractionPlotResults(MetricResult):
    x_column: ColumnName
    y_column: ColumnName
    x_type: str
    y_type: str
    kind: InteractionKind
    #: Bins of a numerical x / y axis (shared by both datasets).
    x_edges: list[float] | None = None
    y_edges: list[float] | None = None
    #: Categories of a categorical x / y axis; buckets are these, then other values, then missing.
    x_categories: list[Any] | None = None
    y_categories: list[Any] | None = None
    #: Period of a datetime axis.
    prefix: str | None = None
    current: InteractionData
    reference: InteractionData | None = None


def _boxes(codes: np.ndarray, values: np.ndarray, n: int) -> BoxData:
    keep = np.isfinite(values) & (codes >= 0)
    frame = pd.DataFrame({"code": codes[keep], "value": values[keep]})
    grouped = frame.groupby("code")["value"]
    with np.errstate(over="ignore", invalid="ignore"):  # interpolating between +-1e308 overflows
        quantiles = grouped.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).unstack().reindex(range(n))
    count = grouped.size().reindex(range(n), fill_value=0)
    columns = [[finite_or_nan(v) for v in quantiles[q].tolist()] for q in quantiles.columns]
    if quantiles.shape[1] != 5:  # no row at all
        columns = [[math.nan] * n for _ in range(5)]
    return BoxData(
        count=[int(c) for c in count.tolist()],
        mins=columns[0],
        lowers=columns[1],
        means=columns[2],
        uppers=columns[3],
        maxs=columns[4],
    )


class ColumnInteractionPlot(PlotMetric[ColumnInteractionPlotResults]):
    """The joint distribution of two columns, on current (and reference when given).

    Kept, by the column types: two numerical columns, 2-D counts over ``INTERACTION_BINS`` x
    ``INTERACTION_BINS`` shared bins (Evidently keeps a density grid); two categorical, counts per
    pair of categories; categorical and numerical, quartiles of the number per category; datetime and
    numerical, mean and std per period; datetime and categorical, counts per period and category.
    """

    result_type = ColumnInteractionPlotResults
    x_column: ColumnName
    y_column: ColumnName

    def calculate(self, ctx: RunContext) -> ColumnInteractionPlotResults:
        x, y = self.x_column, self.y_column
        kx = ctx.require_column(x, f"{self.type_name}.x_column")
        ky = ctx.require_column(y, f"{self.type_name}.y_column")
        kind = _KINDS.get(frozenset({kx, ky}))
        if kind is None:
            bad, bad_kind = (x, kx) if kx == ColumnType.TEXT else (y, ky)
            raise ColumnTypeError(
                bad,
                "current_data",
                "numerical, categorical or datetime",
                first_value(ctx.data("current")[bad]),
                fix=f"{self.type_name} plots two numerical, two categorical, a categorical and a "
                f"numerical, or a datetime and a numerical or categorical column; got {kx.value} {x!r} "
                f"and {ky.value} {y!r} ({bad_kind.value} {bad!r} cannot be paired this way)",
            )
        fields: dict[str, Any] = {}
        data: dict[Side, InteractionData] = {}
        side_list = sides(ctx)
        if kind == "num_num":
            xs = {s: column_floats(ctx, s, x) for s in side_list}
            ys = {s: column_floats(ctx, s, y) for s in side_list}
            x_edges = shared_edges(list(xs.values()), INTERACTION_BINS)
            y_edges = shared_edges(list(ys.values()), INTERACTION_BINS)
            fields.update(x_edges=x_edges.tolist(), y_edges=y_edges.tolist())
            for side in side_list:
                cx, cy = bin_codes(xs[side], x_edges), bin_codes(ys[side], y_edges)
                dropped = int(np.count_nonzero((cx < 0) | (cy < 0)))
                counts = counts_2d(cx, cy, INTERACTION_BINS, INTERACTION_BINS)
                data[side] = InteractionData(counts=counts, dropped_rows=dropped)
        elif kind == "cat_cat":
            fields.update(x_categories=column_categories(ctx, x), y_categories=column_categories(ctx, y))
            nx, ny = len(fields["x_categories"]) + 2, len(fields["y_categories"]) + 2
            for side in side_list:
                cx, cy = column_category_codes(ctx, side, x), column_category_codes(ctx, side, y)
                data[side] = InteractionData(counts=counts_2d(cx, cy, nx, ny))
        elif kind == "cat_num":
            cat, num = (x, y) if kx == ColumnType.CATEGORICAL else (y, x)
            categories = column_categories(ctx, cat)
            fields["x_categories" if cat == x else "y_categories"] = categories
            for side in side_list:
                values = column_floats(ctx, side, num)
                finite = np.isfinite(values)
                boxes = _boxes(column_category_codes(ctx, side, cat), values, len(categories) + 2)
                data[side] = InteractionData(
                    boxes=boxes, dropped_rows=int(finite.size - np.count_nonzero(finite))
                )
        else:
            date, other = (x, y) if kx == ColumnType.DATETIME else (y, x)
            stamps = {s: ctx.data(s)[date] for s in side_list}
            prefix, freq = choose_period(*stamps.values())
            fields["prefix"] = prefix
            if kind == "datetime_cat":
                categories = column_categories(ctx, other)
                fields["x_categories" if other == x else "y_categories"] = categories
            for side in side_list:
                codes, starts = period_codes(stamps[side], freq)
                missing_stamps = int(np.count_nonzero(codes < 0))
                if kind == "datetime_num":
                    values = column_floats(ctx, side, other)
                    stats = grouped_stats(codes, values, len(starts))
                    dropped = int(np.count_nonzero((codes < 0) | ~np.isfinite(values)))
                    data[side] = InteractionData(
                        periods=starts,
                        count=stats.count,
                        mean=stats.mean,
                        std=stats.std,
                        dropped_rows=dropped,
                    )
                else:
                    cat_codes = column_category_codes(ctx, side, other)
                    counts = counts_2d(codes, cat_codes, len(starts), len(categories) + 2)
                    data[side] = InteractionData(periods=starts, counts=counts, dropped_rows=missing_stamps)
        return ColumnInteractionPlotResults(
            x_column=x,
            y_column=y,
            x_type=kx.value,
            y_type=ky.value,
            kind=kind,
            current=data["current"],
            reference=data.get("reference"),
            **fields,
        )


__all__ = ["ColumnInteractionPlot", "ColumnValuePlot", "TargetByFeaturesTable"]


# Evidently's results of these three are render data only: as_dict() shows them as {} (ours: with
# include_render=True).
for _result in (TargetByFeaturesTableResults, ColumnValuePlotResults, ColumnInteractionPlotResults):
    _result.render_fields = frozenset(_result.model_fields)

"""Values along time (the datetime column or a datetime index) or along the row index, aggregated per
period or index bin: what Evidently's "in time" plots keep when it does not store raw points.

The axis is the run's datetime column, else a ``DatetimeIndex`` on both datasets, else the row index
(its values when numerical, else row positions) cut into ``INDEX_BINS`` equal-width bins shared by both
datasets. A datetime axis is cut into periods of the unit whose count is closest to ``INDEX_BINS``
(:func:`monitorflow.metrics.plot_buckets.choose_period`). Per bucket: rows, mean and std (ddof=1) of each
value; missing or infinite values are left out and counted in ``dropped_rows``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.column_mapping import ColumnType
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.plot_buckets import (
    INDEX_BINS,
    bin_codes,
    choose_period,
    grouped_stats,
    period_codes,
    shared_edges,
)


class ValueSeries(MetricResult):
    """Per x bucket of one dataset: rows, mean and std (ddof=1) of the column. ``x``: the ISO start
    of each non-empty period (datetime axis); absent for index bins (see ``index_edges``)."""

    x: list[str] | None = None
    count: list[int]
    mean: list[Float]
    std: list[Float]
    #: Rows left out: missing or infinite value, or missing datetime.
    dropped_rows: int = 0


class TimeAxis(MetricResult):
    datetime_column_name: ColumnName | None = None
    x_axis: Literal["datetime", "index"]
    #: Period of the datetime axis (year, quarter, month, week, day, hour, minute).
    prefix: str | None = None
    #: Equal-width bins of the row index (or row position, for a non-numerical index), both datasets.
    index_edges: list[float] | None = None


def _positions(index: pd.Index) -> np.ndarray:
    """The index as numbers: its values when numerical, else the row positions."""
    if pd.api.types.is_numeric_dtype(index.dtype) and not pd.api.types.is_bool_dtype(index.dtype):
        return index.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.arange(len(index), dtype=np.float64)


def _stamps(ctx: RunContext, sides: list[Side]) -> tuple[ColumnName | None, dict[Side, pd.Series] | None]:
    column = ctx.definition.datetime
    if column is not None and ctx.definition.type_of(column) == ColumnType.DATETIME:
        return column, {s: ctx.data(s)[column] for s in sides}
    if all(isinstance(ctx.data(s).index, pd.DatetimeIndex) for s in sides):
        return None, {s: pd.Series(ctx.data(s).index) for s in sides}
    return None, None


def series_over_time(
    ctx: RunContext, values: dict[str, dict[Side, np.ndarray]]
) -> tuple[TimeAxis, dict[str, dict[Side, ValueSeries]]]:
    """The axis and, per named value and side, its series (``values[name][side]``: one float per row)."""

    sides: list[Side] = sorted({s for by_side in values.values() for s in by_side}, reverse=False)
    datetime_column, stamps = _stamps(ctx, sides)
    out: dict[str, dict[Side, ValueSeries]] = {name: {} for name in values}
    if stamps is not None:
        finite_any = {s: np.any([np.isfinite(v[s]) for v in values.values()], axis=0) for s in sides}
        valid = {s: finite_any[s] & stamps[s].notna().to_numpy() for s in sides}
        prefix, freq = choose_period(*(stamps[s][valid[s]] for s in sides))
        for side in sides:
            codes, starts = period_codes(stamps[side].where(stamps[side].notna()), freq)
            for name, by_side in values.items():
                stats = grouped_stats(codes, by_side[side], len(starts))
                kept = np.isfinite(by_side[side]) & (codes >= 0)
                out[name][side] = ValueSeries(
                    x=starts,
                    count=stats.count,
                    mean=stats.mean,
                    std=stats.std,
                    dropped_rows=int(kept.size - np.count_nonzero(kept)),
                )
        axis = TimeAxis(datetime_column_name=datetime_column, x_axis="datetime", prefix=prefix)
        return axis, out
    positions = {s: _positions(ctx.data(s).index) for s in sides}
    edges = shared_edges(list(positions.values()), INDEX_BINS)
    for side in sides:
        codes = bin_codes(positions[side], edges)
        for name, by_side in values.items():
            stats = grouped_stats(codes, by_side[side], INDEX_BINS)
            finite = np.isfinite(by_side[side])
            out[name][side] = ValueSeries(
                count=stats.count,
                mean=stats.mean,
                std=stats.std,
                dropped_rows=int(finite.size - np.count_nonzero(finite)),
            )
    return TimeAxis(x_axis="index", index_edges=edges.tolist()), out

"""Values along time (the datetime column or a datetime index) or along the row index, aggregated per
period or index bin: what Evidently's "in time" plots keep when it does not store raw points.

The axis is the run's datetime column, else a ``DatetimeIndex`` on both datasets, else the row index
(its values when numerical, else row positions) cut into ``INDEX_BINS`` equal-width bins shared by both
datasets. A datetime axis is cut into periods of the unit whose count is closest to ``INDEX_BINS``
(:func:`monitorflow.metrics.plot_buckets.choose_period`). Per bucket: rows, mean and std (ddof=1) of each
value; missing or infinite values are left out and counted in ``dropped_rows``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.column_mapping import ColumnType
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_data import finite_or_nan
from monitorflow.metrics.plot_buckets import INDEX_BINS, bin_codes, choose_period, period_codes, shared_edges
from monitorflow.moments import Moments


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


#: Chunks of one side's rows: the chunk's frame (its index and the datetime column of
#: :func:`axis_columns`) and, per named value, one float per row of the chunk.
Chunks = Callable[[Side], Iterable[tuple[pd.DataFrame, dict[str, np.ndarray]]]]


def axis_columns(ctx: RunContext) -> list[ColumnName]:
    """The columns the axis is read from: the run's datetime column, if it has one."""
    column = ctx.definition.datetime
    return [column] if column is not None and ctx.definition.type_of(column) == ColumnType.DATETIME else []


def _positions(index: pd.Index, offset: int) -> np.ndarray:
    """The index as numbers: its values when numerical, else the row positions (from ``offset``)."""
    if pd.api.types.is_numeric_dtype(index.dtype) and not pd.api.types.is_bool_dtype(index.dtype):
        return index.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.arange(offset, offset + len(index), dtype=np.float64)


@dataclass(eq=False)
class _Buckets:
    """Per named value and bucket key: moments of its finite values; rows left out per value."""

    names: list[str]
    moments: dict[str, dict[Any, Moments]] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    keys: set[Any] = field(default_factory=set)

    def add(self, codes: np.ndarray, keys: list[Any], values: dict[str, np.ndarray], by_code: bool) -> None:
        """``codes``: each row's bucket (an index in ``keys``, -1: none). ``by_code``: a row without a
        bucket counts as left out (datetime axis) or not (index axis, as before)."""
        self.keys.update(keys)
        for name in self.names:
            v = values[name]
            finite = np.isfinite(v)
            keep = finite & (codes >= 0)
            self.dropped[name] = self.dropped.get(name, 0) + int(
                v.size - np.count_nonzero(keep if by_code else finite)
            )
            order = np.argsort(codes[keep], kind="stable")
            k, x = codes[keep][order], v[keep][order]
            starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))[: k.size]
            ends = np.append(starts[1:], k.size)[: starts.size]
            table = self.moments.setdefault(name, {})
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                key = keys[int(k[start])]
                table[key] = table.get(key, Moments()).merge(Moments.of(x[start:end]))

    def series(self, name: str, keys: list[Any], x: list[str] | None) -> ValueSeries:
        moments = [self.moments.get(name, {}).get(key, Moments()) for key in keys]
        return ValueSeries(
            x=x,
            count=[m.count for m in moments],
            mean=[finite_or_nan(m.mean) for m in moments],
            std=[finite_or_nan(m.std) for m in moments],
            dropped_rows=self.dropped.get(name, 0),
        )


def _index_stamped(chunks: Chunks, side: Side) -> bool:
    """Whether the side's rows are indexed by datetimes (read from its first chunk)."""
    first = next(iter(chunks(side)), None)
    return first is not None and isinstance(first[0].index, pd.DatetimeIndex)


def _stamps_of(frame: pd.DataFrame, column: ColumnName | None) -> pd.Series:
    return frame[column] if column is not None else pd.Series(frame.index, index=frame.index)


def _bounds(chunks: Chunks, side: Side, column: ColumnName | None, with_stamps: bool) -> Any:
    """``(low, high)`` of the side's axis over rows with a finite value (None: no such row)."""
    low = high = None
    offset = 0
    for frame, values in chunks(side):
        if with_stamps:
            stamps = _stamps_of(frame, column)
            finite_any = np.any([np.isfinite(v) for v in values.values()], axis=0)
            chosen = stamps[finite_any & stamps.notna().to_numpy()]
            part = (chosen.min(), chosen.max()) if len(chosen) else None
        else:
            found = _positions(frame.index, offset)
            found = found[np.isfinite(found)]
            part = (float(found.min()), float(found.max())) if found.size else None
        offset += len(frame.index)
        if part is not None:
            low = part[0] if low is None else min(low, part[0])
            high = part[1] if high is None else max(high, part[1])
    return None if low is None else (low, high)


def _period_buckets(
    chunks: Chunks, side: Side, names: list[str], column: ColumnName | None, freq: str
) -> _Buckets:
    buckets = _Buckets(names)
    for frame, values in chunks(side):
        stamps = _stamps_of(frame, column)
        codes, starts = period_codes(stamps.where(stamps.notna()), freq)
        buckets.add(codes, starts, values, by_code=True)
    return buckets


def _index_buckets(chunks: Chunks, side: Side, names: list[str], edges: np.ndarray) -> _Buckets:
    buckets = _Buckets(names)
    offset = 0
    for frame, values in chunks(side):
        codes = bin_codes(_positions(frame.index, offset), edges)
        offset += len(frame.index)
        buckets.add(codes, list(range(INDEX_BINS)), values, by_code=False)
    return buckets


def series_over_time(
    ctx: RunContext, sides: list[Side], names: list[str], chunks: Chunks, key: str | None = None
) -> tuple[TimeAxis, dict[str, dict[Side, ValueSeries]]]:
    """The axis and, per named value and side, its series, in two passes over the chunks (bounds of
    the axis, then moments per bucket): the same with one chunk in memory or partitions out of core.

    With a ``key`` (everything the chunks depend on besides the data, e.g. the metric and its
    columns), each side's bounds and its buckets for one period unit or one set of index edges are
    kept (``RunContext.kept``): a fixed reference in a profile cache is read again only when the
    shared period unit or index edges differ from a run it has already served."""
    column: ColumnName | None = next(iter(axis_columns(ctx)), None)

    def kept(side: Side, name: str, compute: Callable[[], Any]) -> Any:
        return compute() if key is None else ctx.kept(side, f"over-time:{key}:{column!r}:{name}", compute)

    with_stamps = column is not None or all(
        kept(s, "stamped", partial(_index_stamped, chunks, s)) for s in sides
    )
    bounds = {
        s: kept(s, f"bounds:{with_stamps}", partial(_bounds, chunks, s, column, with_stamps)) for s in sides
    }
    out: dict[str, dict[Side, ValueSeries]] = {name: {} for name in names}
    if with_stamps:
        prefix, freq = choose_period(*(pd.Series(list(b)) for b in bounds.values() if b is not None))
        for side in sides:
            buckets = kept(
                side, f"periods:{freq}", partial(_period_buckets, chunks, side, names, column, freq)
            )
            keys = sorted(buckets.keys, key=pd.Timestamp)
            for name in names:
                out[name][side] = buckets.series(name, keys, keys)
        return TimeAxis(datetime_column_name=column, x_axis="datetime", prefix=prefix), out
    edges = shared_edges(
        [np.array(b if b is not None else [], dtype=np.float64) for b in bounds.values()], INDEX_BINS
    )
    for side in sides:
        buckets = kept(
            side, f"bins:{edges.tobytes().hex()}", partial(_index_buckets, chunks, side, names, edges)
        )
        for name in names:
            out[name][side] = buckets.series(name, list(range(INDEX_BINS)), None)
    return TimeAxis(x_axis="index", index_edges=edges.tolist()), out

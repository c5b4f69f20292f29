"""Buckets shared by the plot metrics (:mod:`monitorflow.metrics.plots`,
:mod:`monitorflow.metrics.target_by_features`) and the values over time
(:mod:`monitorflow.metrics.over_time`):

- a numerical axis has ``edges``: equal-width bins over the finite values of current and reference
  together (the same edges for both, so the sides compare bin by bin; a value equal to the last edge
  falls in the last bin, as in ``np.histogram``);
- a categorical axis has ``categories``: the ``TOP_CATEGORIES`` most frequent values over both
  datasets, then one bucket for every other value, then one for missing values;
- a datetime axis has periods (year, quarter, month, week, day, hour or minute, whichever gives the
  number of periods closest to 150 over both datasets, as Evidently chooses); ``prefix`` names it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.column_mapping import python_scalar
from monitorflow.column_stats import TOP_CATEGORIES, histogram_edges, to_float_array
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.classification_data import factorize, finite_or_nan, sides

R = TypeVar("R", bound=MetricResult)

#: Index bins of ColumnValuePlot without a datetime column, and the period count aimed at
#: (Evidently's ``OPTIMAL_POINTS``).
INDEX_BINS = 150
#: Above this magnitude equal-width edges are interpolated, not stepped (``np.linspace`` overflows).
NEAR_FLOAT_LIMIT = 1e300
#: Period units tried for a datetime axis: (prefix, pandas frequency, days per period).
PERIODS = (
    ("year", "Y", 365.0),
    ("quarter", "Q", 90.0),
    ("month", "M", 30.0),
    ("week", "W", 7.0),
    ("day", "D", 1.0),
    ("hour", "h", 1 / 24),
    ("minute", "min", 1 / 1440),
)


class PlotMetric(Metric[R], Generic[R]):
    group = "data drift"


def require_reference(ctx: RunContext, who: str) -> None:
    if not ctx.has_reference:
        raise ReferenceRequired(
            f"{who} compares reference and current data, but no reference_data was given; "
            "pass reference_data to run()"
        )


def first_value(series: pd.Series) -> Any:
    values = series.dropna()
    return python_scalar(values.iloc[0]) if len(values) else None


def column_floats(ctx: RunContext, side: Side, column: ColumnName) -> np.ndarray:
    return to_float_array(ctx.data(side)[column])


def _finite_bounds(values: np.ndarray) -> np.ndarray:
    """``[min, max]`` of the finite values (empty when there is none)."""
    finite = values[np.isfinite(values)]
    return np.array([finite.min(), finite.max()]) if finite.size else finite


def shared_edges(arrays: list[np.ndarray], bins: int) -> np.ndarray:
    """Equal-width edges over the finite values of all arrays (``[0, 1]`` split in ``bins`` when none)."""
    bounds = [b for b in map(_finite_bounds, arrays) if b.size]
    if not bounds:
        return np.linspace(0.0, 1.0, bins + 1)
    low, high = min(b[0] for b in bounds), max(b[1] for b in bounds)
    if max(abs(low), abs(high)) > NEAR_FLOAT_LIMIT and low != high:  # np.linspace would overflow to inf
        steps = np.linspace(0.0, 1.0, bins + 1)
        return low * (1 - steps) + high * steps
    return histogram_edges(*bounds, bins=bins)


def bin_codes(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The bin of each value (``np.histogram``'s rule), -1 for a missing or infinite value or one
    outside the edges."""
    bins = edges.size - 1
    codes = np.searchsorted(edges, values, side="right") - 1
    codes[values == edges[-1]] = bins - 1
    outside = ~np.isfinite(values) | (codes < 0) | (codes >= bins)
    codes[outside] = -1
    return codes.astype(np.int64)


def top_values(series_list: list[pd.Series], limit: int = TOP_CATEGORIES) -> list[Any]:
    """The ``limit`` most frequent non-missing values over all series (ties: first seen first)."""
    totals: dict[Any, int] = {}
    for series in series_list:
        for value, count in series.value_counts(dropna=True, sort=False).items():
            key = python_scalar(value)
            totals[key] = totals.get(key, 0) + int(count)
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    return [value for value, _ in ranked[:limit]]


def category_codes(series: pd.Series, categories: list[Any]) -> np.ndarray:
    """Index in ``categories``; ``len(categories)`` for another value, ``len + 1`` for a missing one."""
    index = pd.Index(categories, dtype=object).get_indexer(series.map(python_scalar).astype(object))
    index = np.asarray(index, dtype=np.int64)
    index[index < 0] = len(categories)
    index[series.isna().to_numpy()] = len(categories) + 1
    return index


def column_categories(ctx: RunContext, column: ColumnName) -> list[Any]:
    return ctx.memo(
        ("plot-categories", column), lambda: top_values([ctx.data(s)[column] for s in sides(ctx)])
    )


def column_category_codes(ctx: RunContext, side: Side, column: ColumnName) -> np.ndarray:
    def compute() -> np.ndarray:
        categories = column_categories(ctx, column)
        fact = factorize(ctx, side, column)
        index = {value: i for i, value in enumerate(categories)}
        lut = np.array(
            [index.get(v, len(categories)) for v in fact.uniques] + [len(categories) + 1], dtype=np.int64
        )
        return lut[fact.codes]

    return ctx.memo(("plot-category-codes", side, column), compute)


def choose_period(*stamps: pd.Series) -> tuple[str, str]:
    """(prefix, pandas frequency) of the period unit whose count over the stamps' range is closest to
    ``INDEX_BINS`` (Evidently's rule: whole days, or the seconds of a range shorter than a day)."""
    present = [s.dropna() for s in stamps if s is not None]
    present = [s for s in present if len(s)]
    if not present:
        return PERIODS[4][0], PERIODS[4][1]
    low = min(s.min() for s in present)
    high = max(s.max() for s in present)
    try:
        delta = pd.Timestamp(high) - pd.Timestamp(low)
    except (OverflowError, pd.errors.OutOfBoundsDatetime, pd.errors.OutOfBoundsTimedelta):  # centuries apart
        return PERIODS[0][0], PERIODS[0][1]
    days = float(delta.days) or delta.seconds / 86400
    distances = [abs(INDEX_BINS - days / per_period) for _, _, per_period in PERIODS]
    prefix, freq, _ = PERIODS[int(np.argmin(distances))]
    return prefix, freq


def _naive(stamps: pd.Series) -> pd.Series:
    """Datetimes without time zone (time-zone aware ones converted to UTC first)."""
    if getattr(stamps.dt, "tz", None) is not None:
        return stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return stamps


def period_codes(stamps: pd.Series, freq: str) -> tuple[np.ndarray, list[str]]:
    """Each row's period index (-1 for a missing datetime) and the ISO start of each period, sorted."""
    periods = _naive(stamps).dt.to_period(freq)
    codes, uniques = pd.factorize(periods, sort=True, use_na_sentinel=True)
    starts = [p.start_time.isoformat() for p in uniques]
    return np.asarray(codes, dtype=np.int64), starts


def mean_std(finite: np.ndarray) -> tuple[float, float]:
    """Mean and std (ddof=1) of finite values, scaled so that values near the float limit do not overflow."""
    if not finite.size:
        return math.nan, math.nan
    scale = float(np.max(np.abs(finite))) or 1.0
    scaled = finite / scale
    mean = float(scaled.mean()) * scale
    std = float(scaled.std(ddof=1)) * scale if finite.size > 1 else math.nan
    return finite_or_nan(mean), finite_or_nan(std)


@dataclass(eq=False)
class _Grouped:
    count: list[int]
    mean: list[float]
    std: list[float]


def grouped_stats(codes: np.ndarray, values: np.ndarray, n: int) -> _Grouped:
    """Rows, mean and std (ddof=1) of ``values`` per code ``0..n-1`` (codes < 0 and non-finite values
    left out)."""
    keep = (codes >= 0) & np.isfinite(values)
    frame = pd.DataFrame({"code": codes[keep], "value": values[keep]})
    with np.errstate(over="ignore", invalid="ignore"):  # values near 1e308: inf, then NaN below
        stats = frame.groupby("code")["value"].agg(["count", "mean", "std"]).reindex(range(n))
    return _Grouped(
        count=[int(c) if c == c else 0 for c in stats["count"].tolist()],
        mean=[finite_or_nan(v) for v in stats["mean"].tolist()],
        std=[finite_or_nan(v) for v in stats["std"].tolist()],
    )


def counts_2d(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> list[list[int]]:
    """``counts[i][j]``: pairs with ``rows == i`` and ``cols == j`` (negative codes left out)."""
    keep = (rows >= 0) & (cols >= 0)
    flat = np.bincount(rows[keep] * n_cols + cols[keep], minlength=n_rows * n_cols)
    return flat.reshape(n_rows, n_cols).tolist()

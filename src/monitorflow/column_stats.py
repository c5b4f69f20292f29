"""Per-column statistics, computed once per run and side, and read by every metric and test.

A numerical column is converted to float64 and its finite values sorted once: quantiles, min/max,
range counts, histograms and distinct counts all come from that sorted array. A categorical column
is counted once (``value_counts``). This sharing is what makes presets with hundreds of tests cheap.

Conventions: *missing* is what pandas calls missing (NaN, None, NaT). Mean, std (ddof=1, like
pandas), min, max and quantiles (linear interpolation, like pandas) use finite values only;
infinities are counted in ``infinite_count``. ``unique`` counts distinct non-missing values
(infinities included). ``most_common`` is the most frequent non-missing value; ties go to the
smallest numerical value or to the first category pandas reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

#: Bins of the histograms stored in results; fixed so snapshot size does not grow with rows.
HISTOGRAM_BINS = 20
#: Categories kept in stored value counts; the rest are summed into an "other" bucket.
TOP_CATEGORIES = 20


def to_float_array(series: pd.Series) -> np.ndarray:
    """float64 values with NaN for missing (handles nullable dtypes); a read-only view of a float64
    column's own data, not a copy."""
    if series.dtype == np.float64:
        view = series.to_numpy().view()
        view.flags.writeable = False
        return view
    return series.to_numpy(dtype="float64", na_value=np.nan)


@dataclass(eq=False)
class NumericalStats:
    """Statistics of a numerical column (see the module docstring for conventions)."""

    values: np.ndarray  # float64, NaN for missing, in row order
    number_of_rows: int = field(init=False)
    sorted_finite: np.ndarray = field(init=False)
    missing: int = field(init=False)
    positive_infinite: int = field(init=False)
    negative_infinite: int = field(init=False)

    def __post_init__(self) -> None:
        values = self.values
        self.number_of_rows = int(values.size)
        finite = np.isfinite(values)
        self.missing = self.positive_infinite = self.negative_infinite = 0
        if finite.all():
            self.sorted_finite = np.sort(values)
            return
        self.missing = int(np.isnan(values).sum())
        if int(finite.size - np.count_nonzero(finite)) > self.missing:
            self.positive_infinite = int(np.count_nonzero(values == np.inf))
            self.negative_infinite = int(np.count_nonzero(values == -np.inf))
        self.sorted_finite = values[finite]
        self.sorted_finite.sort()

    @property
    def count(self) -> int:
        """Non-missing values (infinities included)."""
        return self.number_of_rows - self.missing

    @property
    def infinite_count(self) -> int:
        return self.positive_infinite + self.negative_infinite

    @property
    def finite_count(self) -> int:
        return int(self.sorted_finite.size)

    @cached_property
    def mean(self) -> float:
        with np.errstate(over="ignore", invalid="ignore"):  # values near 1e308 overflow to inf
            return float(self.sorted_finite.mean()) if self.finite_count else math.nan

    @cached_property
    def std(self) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(self.sorted_finite.std(ddof=1)) if self.finite_count > 1 else math.nan

    @property
    def min(self) -> float:
        return float(self.sorted_finite[0]) if self.finite_count else math.nan

    @property
    def max(self) -> float:
        return float(self.sorted_finite[-1]) if self.finite_count else math.nan

    def quantile(self, q: float) -> float:
        """Linear interpolation between closest ranks (pandas' and numpy's default)."""
        n = self.finite_count
        if n == 0:
            return math.nan
        position = q * (n - 1)
        low = int(math.floor(position))
        high = min(low + 1, n - 1)
        fraction = position - low
        a, b = float(self.sorted_finite[low]), float(self.sorted_finite[high])
        if fraction == 0:
            return a
        value = a + (b - a) * fraction
        return value if math.isfinite(value) else a * (1 - fraction) + b * fraction  # b - a overflowed

    @cached_property
    def _runs(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct finite values and their counts, from the sorted array."""
        data = self.sorted_finite
        if data.size == 0:
            return data, np.zeros(0, dtype=np.int64)
        starts = np.flatnonzero(np.concatenate(([True], data[1:] != data[:-1])))
        counts = np.diff(np.append(starts, data.size))
        return data[starts], counts

    def has_more_distinct_than(self, k: int) -> bool:
        """Whether there are more than ``k`` distinct finite values (usually without counting them all)."""
        data = self.sorted_finite
        if data.size <= k:
            return False
        probe = data[np.linspace(0, data.size - 1, 2 * k + 2).astype(np.int64)]
        if np.count_nonzero(probe[1:] != probe[:-1]) >= k:  # k + 1 distinct among evenly spaced ranks
            return True
        return self.distinct_values.size > k

    @property
    def distinct_values(self) -> np.ndarray:
        """Distinct finite values, ascending."""
        return self._runs[0]

    @property
    def unique(self) -> int:
        return int(self._runs[0].size) + int(self.positive_infinite > 0) + int(self.negative_infinite > 0)

    @cached_property
    def most_common(self) -> tuple[float, int]:
        values, counts = self._runs
        candidates = [(-np.inf, self.negative_infinite), (np.inf, self.positive_infinite)]
        if counts.size:
            i = int(np.argmax(counts))
            candidates.append((float(values[i]), int(counts[i])))
        best = max((c for c in candidates if c[1] > 0), key=lambda c: (c[1], -c[0]), default=(math.nan, 0))
        return best

    def count_between(self, left: float | None, right: float | None) -> int:
        """Non-missing values in [left, right] (infinities included when a bound is open)."""
        lo = -np.inf if left is None else left
        hi = np.inf if right is None else right
        finite = int(
            np.searchsorted(self.sorted_finite, hi, side="right")
            - np.searchsorted(self.sorted_finite, lo, side="left")
        )
        infinite = (self.negative_infinite if lo == -np.inf else 0) + (
            self.positive_infinite if hi == np.inf else 0
        )
        return finite + infinite

    def histogram(self, edges: np.ndarray) -> np.ndarray:
        """Counts of finite values per bin, right edge inclusive in the last bin: ``np.histogram``'s
        counts, found by binary search in the sorted values."""
        data = self.sorted_finite
        cumulative = np.concatenate(
            (data.searchsorted(edges[:-1], side="left"), data.searchsorted(edges[-1:], side="right"))
        )
        return np.diff(cumulative)

    def counts_by_value(self) -> pd.Series:
        """Counts of each distinct finite value, in ascending order of value."""
        values, counts = self._runs
        return pd.Series(counts, index=values)

    def value_counts(self) -> pd.Series:
        """Counts of every non-missing value, most frequent first."""
        values, counts = self._runs
        series = pd.Series(counts, index=values)
        extra = {v: c for v, c in ((-np.inf, self.negative_infinite), (np.inf, self.positive_infinite)) if c}
        if extra:
            series = pd.concat([series, pd.Series(extra)])
        return series.sort_values(ascending=False, kind="stable")


@dataclass(eq=False)
class CategoricalStats:
    """Statistics of a categorical (or text, or datetime) column from one ``value_counts``."""

    series: pd.Series

    @cached_property
    def counts(self) -> pd.Series:
        """Counts of the non-missing values that occur, most frequent first (a ``category`` column's
        declared but unobserved categories are not values of the data, as in Evidently)."""
        counts = self.series.value_counts(dropna=True, sort=True)
        return counts[counts > 0] if isinstance(self.series.dtype, pd.CategoricalDtype) else counts

    @property
    def number_of_rows(self) -> int:
        return int(self.series.size)

    @cached_property
    def count(self) -> int:
        return int(self.counts.sum())

    @property
    def missing(self) -> int:
        return self.number_of_rows - self.count

    @property
    def unique(self) -> int:
        return int(self.counts.size)

    @property
    def most_common(self) -> tuple[Any, int]:
        if self.counts.empty:
            return None, 0
        return self.counts.index[0], int(self.counts.iloc[0])

    def value_counts(self) -> pd.Series:
        return self.counts


ColumnStats = NumericalStats | CategoricalStats


def most_common_with_missing(stats: NumericalStats | CategoricalStats) -> tuple[Any, int]:
    """The most frequent value counting missing values as one value (None), as Evidently's column summary
    does; a missing value wins only with strictly more rows than any value."""
    value, count = stats.most_common
    if stats.missing > count:
        return None, stats.missing
    return value, count


def share(part: float, whole: float) -> float:
    """part / whole, NaN when whole is 0."""
    return part / whole if whole else math.nan


_FLOAT_MAX = float(np.finfo(np.float64).max)


def histogram_edges(*samples: np.ndarray, bins: int = HISTOGRAM_BINS) -> np.ndarray:
    """Equal-width edges covering every finite value of the sorted samples (increasing when the
    range has room for them), finite even at the float limits."""
    lows = [s[0] for s in samples if s.size]
    highs = [s[-1] for s in samples if s.size]
    if not lows:
        return np.array([0.0, 1.0])
    low, high = float(min(lows)), float(max(highs))
    if low == high:  # one value: a small interval around it that stays finite near +-1.8e308
        spread = max(0.5, abs(low) * 1e-6)
        low, high = max(low - spread, -_FLOAT_MAX), min(high + spread, _FLOAT_MAX)
    if max(abs(low), abs(high)) < _FLOAT_MAX / 4:
        edges = np.linspace(low, high, bins + 1)  # numpy's own edges, as np.histogram(bins=n) has them
    else:  # near the float limit linspace overflows: interpolate halves, so that no partial sum does
        steps = np.linspace(0.0, 1.0, bins + 1)
        edges = (low / 2 * (1 - steps) + high / 2 * steps) * 2
    # Ranges of a few ulps round unevenly: keep the ends exact and the edges non-decreasing.
    edges[0], edges[-1] = low, high
    return np.maximum.accumulate(np.clip(edges, low, high))


def top_counts(counts: pd.Series, limit: int = TOP_CATEGORIES) -> tuple[list[Any], list[int], int]:
    """The ``limit`` most frequent values and counts, plus the summed count of the rest."""
    head = counts.iloc[:limit]
    other = int(counts.iloc[limit:].sum()) if counts.size > limit else 0
    return head.index.tolist(), [int(c) for c in head.to_numpy()], other

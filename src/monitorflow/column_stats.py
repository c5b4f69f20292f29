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
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.errors import MonitoringError
from monitorflow.sorted_values import Sorted, array_runs, materialize, runs_of

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


class NumericalStats:
    """Statistics of a numerical column (see the module docstring for conventions).

    ``NumericalStats(values)`` sorts in-memory values once. :meth:`from_summary` builds the same
    statistics from counts and moments known beforehand (a merged profile) and sorted values that
    need not be in memory (:class:`~monitorflow.sorted_values.SortedValues`), loaded on first use.
    """

    def __init__(
        self,
        values: np.ndarray,
        cache: SortedCache | None = None,
        values_of: Callable[[], np.ndarray] | None = None,
    ):
        """``cache`` and ``values_of`` (a function giving ``values`` again): the sorted values are kept
        in the shared, bounded ``cache`` instead of this object, and sorted again when evicted."""
        self._values = values if values_of is None else None
        self._values_of = values_of
        self._cache = cache if values_of is not None else None
        self.number_of_rows = int(values.size)
        self.missing = self.positive_infinite = self.negative_infinite = 0
        self._moments: tuple[float, float, float] | None = None
        self._bounds: tuple[float, float] | None = None
        self._load: Callable[[], Sorted] | None = None
        self._quantiles: dict[float, float] = {}
        finite = np.isfinite(values)
        if not finite.all():
            self.missing = int(np.isnan(values).sum())
            if int(finite.size - np.count_nonzero(finite)) > self.missing:
                self.positive_infinite = int(np.count_nonzero(values == np.inf))
                self.negative_infinite = int(np.count_nonzero(values == -np.inf))
        ordered = _sorted_finite(values, finite)
        self._finite_count = int(ordered.size)
        self._sorted: Sorted | None = ordered
        if self._cache is not None:
            self._cache.keep(self, ordered)
            self._sorted = None

    @classmethod
    def from_summary(
        cls,
        *,
        rows: int,
        missing: int,
        positive_infinite: int,
        negative_infinite: int,
        finite_count: int,
        mean: float,
        m2: float,
        minimum: float,
        maximum: float,
        load_sorted: Callable[[], Sorted],
    ) -> NumericalStats:
        """Statistics from known counts, moments (mean and sum of squared deviations M2) and bounds;
        ``load_sorted()`` gives the sorted finite values when an order statistic is first asked for."""
        stats = cls.__new__(cls)
        stats._values = None
        stats.number_of_rows = rows
        stats.missing = missing
        stats.positive_infinite = positive_infinite
        stats.negative_infinite = negative_infinite
        stats._finite_count = finite_count
        stats._moments = (mean, m2, float(finite_count))
        stats._bounds = (minimum, maximum)
        stats._sorted = None
        stats._load = load_sorted
        stats._values_of = None
        stats._cache = None
        stats._quantiles = {}
        return stats

    @property
    def values(self) -> np.ndarray:
        """float64 values in row order, NaN for missing (in-memory statistics only)."""
        if self._values_of is not None:
            return self._values_of()
        if self._values is None:
            raise MonitoringError(
                "these statistics were computed out of core: the values in row order are not kept"
            )
        return self._values

    @property
    def sorted_finite(self) -> Sorted:
        """The finite values in ascending order (an array in memory, or out-of-core sorted values)."""
        if self._sorted is not None:
            return self._sorted
        if self._cache is not None:
            ordered = self._cache.get(self)
            if ordered is None:
                values = self.values
                ordered = _sorted_finite(values, np.isfinite(values))
                self._cache.keep(self, ordered)
            return ordered
        assert self._load is not None
        self._sorted = self._load()
        return self._sorted

    @property
    def count(self) -> int:
        """Non-missing values (infinities included)."""
        return self.number_of_rows - self.missing

    @property
    def infinite_count(self) -> int:
        return self.positive_infinite + self.negative_infinite

    @property
    def finite_count(self) -> int:
        return self._finite_count

    @cached_property
    def mean(self) -> float:
        if self._moments is not None:
            return self._moments[0] if self.finite_count else math.nan
        with np.errstate(over="ignore", invalid="ignore"):  # values near 1e308 overflow to inf
            return float(materialize(self.sorted_finite).mean()) if self.finite_count else math.nan

    @cached_property
    def std(self) -> float:
        if self._moments is not None:
            return (
                math.sqrt(self._moments[1] / (self.finite_count - 1)) if self.finite_count > 1 else math.nan
            )
        with np.errstate(over="ignore", invalid="ignore"):
            return float(materialize(self.sorted_finite).std(ddof=1)) if self.finite_count > 1 else math.nan

    @cached_property
    def population_std(self) -> float:
        """Standard deviation with ddof 0 (``np.std``)."""
        if self._moments is not None:
            return math.sqrt(self._moments[1] / self.finite_count) if self.finite_count else math.nan
        return blocked_population_std(materialize(self.sorted_finite))

    @property
    def min(self) -> float:
        if self._bounds is not None:
            return self._bounds[0] if self.finite_count else math.nan
        return float(self.sorted_finite[0]) if self.finite_count else math.nan

    @property
    def max(self) -> float:
        if self._bounds is not None:
            return self._bounds[1] if self.finite_count else math.nan
        return float(self.sorted_finite[-1]) if self.finite_count else math.nan

    def quantile(self, q: float) -> float:
        """Linear interpolation between closest ranks (pandas' and numpy's default)."""
        if q not in self._quantiles:
            self._quantiles[q] = self._quantile(q)
        return self._quantiles[q]

    def _quantile(self, q: float) -> float:
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
        """Distinct finite values and their counts, all in memory."""
        chunks = list(self.run_chunks())
        if not chunks:
            return np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.int64)
        if len(chunks) == 1:
            return chunks[0]
        return np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks])

    def run_chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Distinct finite values and their counts, ascending, in chunks (kept when they are few)."""
        if "_runs" in self.__dict__:
            if self._runs[0].size:
                yield self._runs
            return
        data = self.sorted_finite
        if not isinstance(data, np.ndarray):
            yield from runs_of(data)
            return
        values, counts = array_runs(data)
        if values.size <= KEPT_RUNS:
            self.__dict__["_runs"] = (values, counts)
        if values.size:
            yield values, counts

    def has_more_distinct_than(self, k: int) -> bool:
        """Whether there are more than ``k`` distinct finite values (usually without counting them all)."""
        data = self.sorted_finite
        if data.size <= k:
            return False
        probe = data.take(np.linspace(0, data.size - 1, 2 * k + 2).astype(np.int64))
        if np.count_nonzero(probe[1:] != probe[:-1]) >= k:  # k + 1 distinct among evenly spaced ranks
            return True
        seen = 0
        for values, _ in self.run_chunks():
            seen += values.size
            if seen > k:
                return True
        return False

    @property
    def distinct_values(self) -> np.ndarray:
        """Distinct finite values, ascending."""
        return self._runs[0]

    @cached_property
    def distinct_finite(self) -> int:
        """Number of distinct finite values (of sorted values in memory: their changes, no runs made)."""
        data = None if "_runs" in self.__dict__ else self.sorted_finite
        if isinstance(data, np.ndarray):
            return int(data.size and 1 + np.count_nonzero(data[1:] != data[:-1]))
        return sum(int(values.size) for values, _ in self.run_chunks())

    @property
    def unique(self) -> int:
        return self.distinct_finite + int(self.positive_infinite > 0) + int(self.negative_infinite > 0)

    @cached_property
    def most_common(self) -> tuple[float, int]:
        candidates = [(-np.inf, self.negative_infinite), (np.inf, self.positive_infinite)]
        best: tuple[float, int] | None = None
        in_memory = "_runs" not in self.__dict__ and isinstance(self.sorted_finite, np.ndarray)
        if in_memory and self.finite_count and self.distinct_finite == self.finite_count:  # each once
            best = (float(self.sorted_finite[0]), 1)
        for values, counts in () if best else self.run_chunks():
            i = int(np.argmax(counts))  # the first maximum: the smallest value among ties
            if best is None or counts[i] > best[1]:
                best = (float(values[i]), int(counts[i]))
        if best is not None:
            candidates.append(best)
        return max((c for c in candidates if c[1] > 0), key=lambda c: (c[1], -c[0]), default=(math.nan, 0))

    def count_between(self, left: float | None, right: float | None) -> int:
        """Non-missing values in [left, right] (infinities included when a bound is open)."""
        lo = -np.inf if left is None else left
        hi = np.inf if right is None else right
        finite = int(
            np.asarray(self.sorted_finite.searchsorted(hi, side="right"))
            - np.asarray(self.sorted_finite.searchsorted(lo, side="left"))
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
            (
                np.asarray(data.searchsorted(edges[:-1], side="left")),
                np.asarray(data.searchsorted(edges[-1:], side="right")),
            )
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


#: Distinct values whose runs a NumericalStats keeps (more are recomputed from the sorted values).
KEPT_RUNS = 4096


def _sorted_finite(values: np.ndarray, finite: np.ndarray) -> np.ndarray:
    if finite.all():
        return np.sort(values)
    ordered = values[finite]
    ordered.sort()
    return ordered


class SortedCache:
    """Sorted arrays of in-memory statistics held at once, up to ``limit`` bytes: the least recently
    used are dropped (their statistics sort again when asked), so a run over many wide columns
    does not keep a sorted copy of each."""

    def __init__(self, limit: int = 4 << 20):
        self.limit = limit
        self._arrays: OrderedDict[int, tuple[weakref.ref, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def keep(self, owner: object, array: np.ndarray) -> None:
        with self._lock:
            key = id(owner)
            if key in self._arrays:
                self._bytes -= self._arrays.pop(key)[1].nbytes
            self._arrays[key] = (weakref.ref(owner), array)
            self._bytes += array.nbytes
            while self._bytes > self.limit and len(self._arrays) > 1:
                _, (_, dropped) = self._arrays.popitem(last=False)
                self._bytes -= dropped.nbytes

    def clear(self) -> None:
        with self._lock:
            self._arrays.clear()
            self._bytes = 0

    def get(self, owner: object) -> np.ndarray | None:
        with self._lock:
            entry = self._arrays.get(id(owner))
            if entry is None or entry[0]() is not owner:
                return None
            self._arrays.move_to_end(id(owner))
            return entry[1]


#: Elements per step of :func:`blocked_population_std`: temporaries of 64 KiB stay in cache.
STD_BLOCK = 8192


def blocked_population_std(values: np.ndarray) -> float:
    """``np.std(values)`` (ddof 0), in blocks (whole-array temporaries page-fault on every call)."""
    if values.size == 0:
        return math.nan
    mean = values.mean()
    squares = 0.0
    for start in range(0, values.size, STD_BLOCK):
        centred = values[start : start + STD_BLOCK] - mean
        squares += float(np.multiply(centred, centred, out=centred).sum())
    return float(np.sqrt(squares / values.size))


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


class CountedStats(CategoricalStats):
    """Categorical statistics from value counts known beforehand (a merged profile): no rows kept."""

    def __init__(self, counts: pd.Series, rows: int):
        super().__init__(series=None)
        self.__dict__["counts"] = counts
        self._rows = rows

    @property
    def number_of_rows(self) -> int:
        return self._rows


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


def histogram_edges(*samples: Sorted, bins: int = HISTOGRAM_BINS) -> np.ndarray:
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


def density_histogram(stats: NumericalStats, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.histogram(finite values, bins=bins, density=True)`` from the sorted values: numpy's edges
    (the finite range, widened by 0.5 each way when it is one value) and its bin rule, without loading
    a column that lives on disk."""
    data = stats.sorted_finite
    low, high = (float(data[0]), float(data[-1])) if data.size else (0.0, 1.0)
    if low == high:
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, bins + 1)
    counts = stats.histogram(edges)
    with np.errstate(divide="ignore", invalid="ignore"):  # no values: NaN densities, as numpy gives
        return counts / np.diff(edges) / counts.sum(), edges


def top_counts(counts: pd.Series, limit: int = TOP_CATEGORIES) -> tuple[list[Any], list[int], int]:
    """The ``limit`` most frequent values and counts, plus the summed count of the rest."""
    head = counts.iloc[:limit]
    other = int(counts.iloc[limit:].sum()) if counts.size > limit else 0
    return head.index.tolist(), [int(c) for c in head.to_numpy()], other

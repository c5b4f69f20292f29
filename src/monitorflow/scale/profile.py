"""Column profiles: versioned, mergeable per-column summaries computed per partition and merged.

A :class:`ColumnProfile` holds what the engine needs from one column without its rows: row, null,
NaN and infinity counts, the finite min and max, moments (count, mean and the sum of squared
deviations, merged with Chan's pairwise formula), exact value counts while the column has few
distinct values (always for categorical columns), and optionally counts on fixed histogram edges.

``merge`` is associative and commutative (bitwise for counts, to rounding for moments), so a
dataset can be profiled partition by partition, in any order, on any machine::

    whole == merge(profile(part) for part in parts)

Value counts remember each value's first row (``row_offset`` of the partition plus its position),
so that merged counts order ties by first appearance, as ``pandas.Series.value_counts`` does.

>>> import numpy as np
>>> a = profile_numbers(np.array([1.0, np.nan, 3.0]))
>>> b = profile_numbers(np.array([np.inf, 5.0]), row_offset=3)
>>> m = a.merge(b)
>>> m.rows, m.missing, m.positive_infinite, m.moments.count, m.moments.mean, m.minimum, m.maximum
(5, 1, 1, 3, 3.0, 1.0, 5.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from monitorflow.column_stats import to_float_array
from monitorflow.moments import Moments

#: Rows searched first for where each category first occurs.
FIRST_ROWS_PREFIX = 1 << 16
#: Version of the serialised profile layout (:meth:`ColumnProfile.to_dict`).
PROFILE_VERSION = 1
#: Numerical columns keep exact value counts while they have at most this many distinct finite values.
MAX_TRACKED_VALUES = 1 << 16
#: Categorical columns keep exact value counts up to this many distinct values, then refuse.
MAX_CATEGORIES = 5_000_000

Kind = Literal["num", "cat"]


@dataclass(frozen=True)
class ValueCounts:
    """Exact counts per distinct value, each with the row where it first appears.

    Numerical keys are float64 in ascending order; categorical keys are Python values in order of
    first appearance. (An integer column is categorical when its reference has at most 5 values,
    whatever current has, so numbers keep first rows too.)
    """

    keys: np.ndarray
    counts: np.ndarray
    first_rows: np.ndarray

    def __len__(self) -> int:
        return int(self.keys.size)

    def merge(self, other: ValueCounts, numeric: bool) -> ValueCounts:
        if numeric:
            keys = np.union1d(self.keys, other.keys)
            counts = np.zeros(keys.size, dtype=np.int64)
            first = np.full(keys.size, np.iinfo(np.int64).max, dtype=np.int64)
            for part in (self, other):
                at = np.searchsorted(keys, part.keys)
                counts[at] += part.counts
                first[at] = np.minimum(first[at], part.first_rows)
            return ValueCounts(keys, counts, first)
        left = pd.Series(np.arange(len(self)), index=pd.Index(self.keys, dtype=object))
        position = left.index.get_indexer(pd.Index(other.keys, dtype=object))
        new = position < 0
        keys = np.concatenate([self.keys, other.keys[new]])
        counts = np.concatenate([self.counts, other.counts[new]])
        first = np.concatenate([self.first_rows, other.first_rows[new]])
        old = ~new
        counts[position[old]] += other.counts[old]
        first[position[old]] = np.minimum(first[position[old]], other.first_rows[old])
        order = np.argsort(first, kind="stable")
        return ValueCounts(keys[order], counts[order], first[order])

    def series(self) -> pd.Series:
        """Counts indexed by value, most frequent first, ties by first appearance (``value_counts``)."""
        order = np.lexsort((self.first_rows, -self.counts))
        return pd.Series(self.counts[order], index=pd.Index(self.keys[order]), name="count")


@dataclass(frozen=True)
class FixedHistogram:
    """Counts of finite values on fixed edges (``np.histogram``'s bins: the last one closed)."""

    edges: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, finite: np.ndarray, edges: np.ndarray) -> FixedHistogram:
        ordered = np.sort(finite)
        cumulative = np.concatenate(
            (ordered.searchsorted(edges[:-1], side="left"), ordered.searchsorted(edges[-1:], side="right"))
        )
        return cls(np.asarray(edges, dtype=np.float64), np.diff(cumulative).astype(np.int64))

    def merge(self, other: FixedHistogram) -> FixedHistogram:
        if not np.array_equal(self.edges, other.edges):
            raise ValueError("histograms on different edges cannot be merged; profile with shared edges")
        return FixedHistogram(self.edges, self.counts + other.counts)


@dataclass(frozen=True)
class ColumnProfile:
    """Mergeable summary of one column (see the module docstring).

    ``missing`` counts what pandas calls missing (null, None, NaN, NaT), of which ``nan`` are float
    NaN values. Infinities are counted apart and are not in ``moments``, ``minimum`` or ``maximum``.
    ``values`` is None for a numerical column with more than :data:`MAX_TRACKED_VALUES` distinct
    finite values (the count is exact until then, and then it is dropped, never estimated).
    """

    kind: Kind
    rows: int = 0
    missing: int = 0
    nan: int = 0
    positive_infinite: int = 0
    negative_infinite: int = 0
    minimum: float = math.nan
    maximum: float = math.nan
    moments: Moments = field(default_factory=Moments)
    values: ValueCounts | None = None
    histogram: FixedHistogram | None = None
    version: int = PROFILE_VERSION

    @classmethod
    def empty(cls, kind: Kind) -> ColumnProfile:
        empty = np.zeros(0, dtype=np.float64 if kind == "num" else object)
        return cls(kind, values=ValueCounts(empty, np.zeros(0, np.int64), np.zeros(0, np.int64)))

    @property
    def count(self) -> int:
        """Non-missing values (infinities included)."""
        return self.rows - self.missing

    @property
    def finite_count(self) -> int:
        return self.moments.count

    def merge(self, other: ColumnProfile) -> ColumnProfile:
        if self.kind != other.kind:
            raise ValueError(f"cannot merge a {self.kind!r} profile with a {other.kind!r} profile")
        if self.version != other.version:
            raise ValueError(f"cannot merge profile versions {self.version} and {other.version}")
        values = None
        if self.values is not None and other.values is not None:
            values = self.values.merge(other.values, numeric=self.kind == "num")
            if self.kind == "num" and len(values) > MAX_TRACKED_VALUES:
                values = None
        histogram = None
        if self.histogram is not None and other.histogram is not None:
            histogram = self.histogram.merge(other.histogram)
        return ColumnProfile(
            kind=self.kind,
            rows=self.rows + other.rows,
            missing=self.missing + other.missing,
            nan=self.nan + other.nan,
            positive_infinite=self.positive_infinite + other.positive_infinite,
            negative_infinite=self.negative_infinite + other.negative_infinite,
            minimum=_nanmin(self.minimum, other.minimum),
            maximum=_nanmax(self.maximum, other.maximum),
            moments=self.moments.merge(other.moments),
            values=values,
            histogram=histogram,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (floats stay floats; NaN as None)."""

        def number(x: float) -> float | None:
            return x if math.isfinite(x) else None

        values = None
        if self.values is not None:
            keys = self.values.keys.tolist()
            values = {
                "keys": keys,
                "counts": self.values.counts.tolist(),
                "first_rows": self.values.first_rows.tolist(),
            }
        histogram = None
        if self.histogram is not None:
            histogram = {"edges": self.histogram.edges.tolist(), "counts": self.histogram.counts.tolist()}
        return {
            "version": self.version,
            "kind": self.kind,
            "rows": self.rows,
            "missing": self.missing,
            "nan": self.nan,
            "positive_infinite": self.positive_infinite,
            "negative_infinite": self.negative_infinite,
            "minimum": number(self.minimum),
            "maximum": number(self.maximum),
            "moments": {
                "count": self.moments.count,
                "mean": number(self.moments.mean),
                "m2": self.moments.m2,
            },
            "values": values,
            "histogram": histogram,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnProfile:
        if data.get("version") != PROFILE_VERSION:
            raise ValueError(
                f"column profile version {data.get('version')!r} is not {PROFILE_VERSION}; profile the data "
                "again"
            )

        def number(x: float | None) -> float:
            return math.nan if x is None else float(x)

        kind = data["kind"]
        values = data["values"]
        if values is not None:
            dtype = np.float64 if kind == "num" else object
            values = ValueCounts(
                np.array(values["keys"], dtype=dtype),
                np.array(values["counts"], dtype=np.int64),
                np.array(values["first_rows"], dtype=np.int64),
            )
        histogram = data["histogram"]
        if histogram is not None:
            histogram = FixedHistogram(
                np.array(histogram["edges"], dtype=np.float64), np.array(histogram["counts"], dtype=np.int64)
            )
        moments = data["moments"]
        return cls(
            kind=kind,
            rows=data["rows"],
            missing=data["missing"],
            nan=data["nan"],
            positive_infinite=data["positive_infinite"],
            negative_infinite=data["negative_infinite"],
            minimum=number(data["minimum"]),
            maximum=number(data["maximum"]),
            moments=Moments(moments["count"], number(moments["mean"]), moments["m2"]),
            values=values,
            histogram=histogram,
        )

    def with_histogram(self, histogram: FixedHistogram | None) -> ColumnProfile:
        return replace(self, histogram=histogram)


def _nanmin(a: float, b: float) -> float:
    return b if math.isnan(a) else a if math.isnan(b) else min(a, b)


def _nanmax(a: float, b: float) -> float:
    return b if math.isnan(a) else a if math.isnan(b) else max(a, b)


# ------------------------------------------------------------------------------ profiling one part


def _numeric_counts(
    finite: np.ndarray, rows: np.ndarray | None, row_offset: int, integers: np.ndarray | None = None
) -> ValueCounts | None:
    """Exact counts of the finite values while there are at most MAX_TRACKED_VALUES of them, with the
    row where each first occurs (``rows``: row of each finite value; None when all rows are finite).
    ``integers``: the same values as int64 (all finite), counted by value without hashing."""
    if integers is not None and integers.size:
        low = int(integers.min())
        if int(integers.max()) - low < 4 * MAX_TRACKED_VALUES:
            codes = integers - low
            counts = np.bincount(codes)
            present = np.flatnonzero(counts)
            if present.size > MAX_TRACKED_VALUES:
                return None
            first = _first_rows_of_codes(codes, present) + row_offset
            keys = (present + low).astype(np.float64)
            return ValueCounts(keys, counts[present].astype(np.int64), first)
    probe = np.sort(finite[: MAX_TRACKED_VALUES + 1])
    if probe.size > MAX_TRACKED_VALUES and np.count_nonzero(probe[1:] != probe[:-1]) >= MAX_TRACKED_VALUES:
        return None
    codes, uniques = pd.factorize(finite)
    if uniques.size > MAX_TRACKED_VALUES:
        return None
    counts = np.bincount(codes, minlength=uniques.size).astype(np.int64)
    first = _first_rows_of_factorized(codes, 0)
    first = (rows[first] if rows is not None else first) + row_offset
    order = np.argsort(uniques, kind="stable")
    return ValueCounts(np.asarray(uniques, dtype=np.float64)[order], counts[order], first[order])


def _first_rows_of_factorized(codes: np.ndarray, row_offset: int) -> np.ndarray:
    """Row where each code of ``pd.factorize`` first occurs (-1 codes: missing values).

    factorize numbers values in order of first appearance, so code k first occurs where the running
    maximum of the codes first reaches k.
    """
    if codes.size == 0:
        return np.zeros(0, dtype=np.int64)
    running = np.maximum.accumulate(codes)
    starts = np.searchsorted(running, np.arange(int(running[-1]) + 1), side="left")
    return starts.astype(np.int64) + row_offset


def profile_numbers(
    values: np.ndarray,
    row_offset: int = 0,
    track_values: bool = True,
    finite_mask: np.ndarray | None = None,
    integers: np.ndarray | None = None,
) -> ColumnProfile:
    """Profile of float64 ``values`` (NaN for missing); ``row_offset``: row of the first value.
    ``finite_mask`` (``np.isfinite(values)``) and ``integers`` (the values as int64 when they are
    integers without missing values) save work when the caller has them."""
    rows = int(values.size)
    finite_mask = np.isfinite(values) if finite_mask is None else finite_mask
    nan = positive = negative = 0
    finite_count = int(np.count_nonzero(finite_mask))
    if finite_count == rows:
        finite = values
    else:
        nan = int(np.count_nonzero(np.isnan(values)))
        infinite = rows - nan - finite_count
        if infinite:
            positive = int(np.count_nonzero(values == np.inf))
            negative = infinite - positive
        finite = values[finite_mask]
    moments = Moments.of(finite)
    rows_of_finite = None if finite is values else np.flatnonzero(finite_mask)
    counts = _numeric_counts(finite, rows_of_finite, row_offset, integers) if track_values else None
    return ColumnProfile(
        kind="num",
        rows=rows,
        missing=nan,
        nan=nan,
        positive_infinite=positive,
        negative_infinite=negative,
        minimum=float(finite.min()) if finite.size else math.nan,
        maximum=float(finite.max()) if finite.size else math.nan,
        moments=moments,
        values=counts,
    )


def profile_categories(series: pd.Series, row_offset: int = 0) -> ColumnProfile:
    """Profile of a categorical (or any non-numerical) column: missing values and exact value counts."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    present = codes >= 0
    n_missing = int(codes.size - np.count_nonzero(present))
    valid = codes[present] if n_missing else codes
    counts = np.bincount(valid, minlength=len(uniques)).astype(np.int64)
    first = _first_rows_of_factorized(codes, row_offset)
    keys = np.empty(len(uniques), dtype=object)
    keys[:] = list(uniques)
    nan = 0
    if n_missing and pd.api.types.is_float_dtype(series.dtype):
        nan = n_missing
    return ColumnProfile(
        kind="cat",
        rows=int(codes.size),
        missing=n_missing,
        nan=nan,
        values=ValueCounts(keys, counts, first),
    )


def profile_series(series: pd.Series, kind: Kind, row_offset: int = 0) -> ColumnProfile:
    """Profile of one pandas column as numerical (float64 values) or categorical."""
    if kind == "cat":
        return profile_categories(series, row_offset)

    return profile_numbers(to_float_array(series), row_offset)


def merge_profiles(profiles: list[ColumnProfile]) -> ColumnProfile:
    """Merge a non-empty list of profiles of one column, pairwise as a balanced tree."""
    if not profiles:
        raise ValueError("merge_profiles needs at least one profile")
    level = list(profiles)
    while len(level) > 1:
        level = [
            level[i].merge(level[i + 1]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)
        ]
    return level[0]


# --------------------------------------------------------------------------- Arrow fast path


def _first_rows_of_codes(codes: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Row where each code in ``present`` first occurs (codes of missing values are negative);
    categories usually all show up early, so a prefix of the rows is searched first."""
    first = np.full(int(present[-1]) + 1 if present.size else 0, np.iinfo(np.int64).max, dtype=np.int64)
    for stop in (min(codes.size, FIRST_ROWS_PREFIX), codes.size):
        head = codes[:stop]
        rows = np.arange(stop, dtype=np.int64)
        valid = head >= 0
        if valid.all():
            np.minimum.at(first, head, rows)
        else:
            np.minimum.at(first, head[valid], rows[valid])
        if np.all(first[present] < stop):
            break
    return first[present]


def arrow_numbers(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray | None] | None:
    """float64 values (NaN for nulls) of an Arrow integer or float column, and the int64 values of
    an integer column without nulls; None for other types."""
    kind = column.type
    if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        return None
    values = column.to_numpy()
    if values.dtype == np.float64:
        return values, None
    integers = values.astype(np.int64, copy=False) if values.dtype.kind in "iu" else None
    return values.astype(np.float64), integers


def profile_arrow(
    column: pa.ChunkedArray, kind: Kind, row_offset: int
) -> tuple[ColumnProfile, np.ndarray, np.ndarray] | None:
    """The profile of an Arrow number or text column without pandas, with two row masks: missing
    (null, NaN) and missing by Evidently's default set (also "", +inf, -inf). None: other types,
    which go through pandas."""
    if kind == "num":
        numbers = arrow_numbers(column)
        if numbers is None:
            return None
        values, integers = numbers
        finite = np.isfinite(values)
        profile = profile_numbers(values, row_offset, finite_mask=finite, integers=integers)
        missing = np.isnan(values) if profile.missing else np.zeros(values.size, dtype=bool)
        return profile, missing, ~finite
    if not (
        pa.types.is_string(column.type)
        or pa.types.is_large_string(column.type)
        or (pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type))
    ):
        return None
    encoded = (
        column.combine_chunks()
        if not pa.types.is_dictionary(column.type)
        else column.unify_dictionaries().combine_chunks()
    )
    if not pa.types.is_dictionary(encoded.type):
        encoded = encoded.dictionary_encode()
    codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64, copy=False)
    missing = codes < 0
    counts = np.bincount(codes[~missing] if missing.any() else codes, minlength=len(encoded.dictionary))
    present = np.flatnonzero(counts)
    first = _first_rows_of_codes(codes, present)
    order = np.argsort(first, kind="stable")
    present, first = present[order], first[order]
    keys = np.empty(present.size, dtype=object)
    keys[:] = encoded.dictionary.take(pa.array(present)).to_pylist()
    profile = ColumnProfile(
        kind="cat",
        rows=int(codes.size),
        missing=int(missing.sum()),
        values=ValueCounts(keys, counts[present].astype(np.int64), first + row_offset),
    )
    default = missing
    blank = [i for i, key in zip(present, keys, strict=True) if key == ""]
    if blank:
        default = missing | (codes == blank[0])
    return profile, missing, default

"""Row-level counts of a lazy side, by passes over its partitions: missing values of a custom set,
duplicated rows, duplicated and almost-duplicated columns.

Each gives what :mod:`monitorflow.frame_checks` gives for the whole frame:

- missing values: per-partition counts add up;
- duplicated rows: 128-bit row fingerprints of lossless value codes are spilled to hash buckets and
  counted bucket by bucket (:mod:`monitorflow.scale.row_fingerprints`);
- duplicated columns: pairs with equal profiles are compared partition by partition (``equals``);
- almost-duplicated pairs: unequal positions are added up per pair, and a pair is dropped as soon as
  it has more than the allowed number.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd

from monitorflow import frame_checks
from monitorflow.scale import row_fingerprints

if TYPE_CHECKING:
    from monitorflow.scale.side import LazySide


def _frames(side: LazySide, columns: list[Any] | None = None) -> Iterator[pd.DataFrame]:
    """Row slices of the partitions in the whole columns' dtypes (a slice without nulls would be int,
    not float). Every count below adds up over slices, so none depends on where a slice ends."""
    columns = side.columns if columns is None else columns
    dtypes = side.dtypes()
    for frame in side.row_slices(columns):
        for column in columns:
            if frame[column].dtype != dtypes[column]:
                frame[column] = frame[column].astype(dtypes[column])
        yield frame


def missing_counts(side: LazySide, values: tuple[Any, ...]) -> frame_checks.MissingCounts:
    total = frame_checks.MissingCounts()
    for frame in _frames(side):
        total = total.add(frame_checks.missing_counts(frame, values))
    return total


# ------------------------------------------------------------------------------ duplicated rows


def duplicated_rows(side: LazySide) -> int:
    """Rows equal to an earlier row, as ``DataFrame.duplicated().sum()`` on the whole side (fingerprints
    spilled to hash buckets under the memory budget: :mod:`monitorflow.scale.row_fingerprints`). The
    files count in the run's spill budget: sorted files are evicted to make room for them, and past
    the budget the rows are read in rounds of buckets."""
    directory = side.sorter.directory / "row-fingerprints"
    disk = side.spill.limit
    size = side.rows * row_fingerprints.RECORD
    with side.spill.reserve(size if disk is None else min(size, disk)):
        return row_fingerprints.count_duplicated(
            lambda: _frames(side), len(side.columns), side.rows, side.budget, directory, disk
        )


# --------------------------------------------------------------------------- duplicated columns


def _signature(side: LazySide, column: Any) -> tuple[Any, ...]:
    """What equal columns must share: dtype and profile (counts, bounds, moments, value counts)."""
    p = side.profiles[column]
    values = None if p.values is None else (p.values.keys.tolist(), p.values.counts.tolist())
    bounds = tuple(None if math.isnan(x) else x for x in (p.minimum, p.maximum, p.moments.mean, p.moments.m2))
    return (
        str(side.dtypes()[column]),
        p.kind,
        p.rows,
        p.missing,
        p.nan,
        p.positive_infinite,
        p.negative_infinite,
        p.moments.count,
        bounds,
        repr(values),
    )


def duplicated_columns(side: LazySide) -> int:
    """Pairs of equal columns (``Series.equals``), as the in-memory engine counts them."""
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for column in side.columns:
        groups[_signature(side, column)].append(column)
    pairs = {(a, b) for members in groups.values() for i, a in enumerate(members) for b in members[i + 1 :]}
    if not pairs:
        return 0
    involved = [c for c in side.columns if any(c in pair for pair in pairs)]
    for frame in _frames(side, involved):
        pairs = {(a, b) for a, b in pairs if frame[a].equals(frame[b])}
        if not pairs:
            return 0
    return len(pairs)


def almost_duplicated_pairs(side: LazySide, threshold: float) -> int:
    """Pairs of same-dtype columns equal (``Series.eq``) in at least ``threshold`` of the rows."""
    n = side.rows
    allowed = n - math.ceil(threshold * n - 1e-9)
    by_dtype: dict[str, list[Any]] = defaultdict(list)
    for column, dtype in side.dtypes().items():
        by_dtype[str(dtype)].append(column)
    unequal = {
        (a, b): 0 for members in by_dtype.values() for i, a in enumerate(members) for b in members[i + 1 :]
    }
    if not unequal:
        return 0
    for frame in _frames(side, [c for c in side.columns if any(c in pair for pair in unequal)]):
        arrays = {}
        for column in {c for pair in unequal for c in pair}:
            series = frame[column]
            arrays[column] = frame_checks.comparable(series, frame_checks.column_hashes(series))
        whole = slice(0, len(frame.index))
        for pair in list(unequal):
            unequal[pair] += frame_checks.unequal(arrays[pair[0]], arrays[pair[1]], whole)
            if unequal[pair] > allowed:
                del unequal[pair]
        if not unequal:
            return 0
    return len(unequal)

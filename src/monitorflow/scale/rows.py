"""Row-level counts of a lazy side, by passes over its partitions: missing values of a custom set,
duplicated rows, duplicated and almost-duplicated columns.

Each gives what :mod:`monitorflow.frame_checks` gives for the whole frame:

- missing values: per-partition counts add up;
- duplicated rows: the rows' 64-bit hashes (the in-memory combination) are spilled to hash buckets,
  rows whose hash repeats are read again and checked by pandas, so the count is exact;
- duplicated columns: pairs with equal profiles are compared partition by partition (``equals``);
- almost-duplicated pairs: unequal positions are added up per pair, and a pair is dropped as soon as
  it has more than the allowed number.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from monitorflow import frame_checks

if TYPE_CHECKING:
    from monitorflow.scale.side import LazySide

#: Hash buckets the row hashes are spilled to (bits of the hash that pick the bucket).
BUCKET_BITS = 4


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


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """The in-memory engine's row hashes; unhashable columns hash their text."""
    hashes: dict[Any, np.ndarray] = {}
    for column in frame.columns:
        h = frame_checks.column_hashes(frame[column])
        if h is None:
            h = frame_checks.column_hashes(frame[column].astype(str))
            assert h is not None  # text values always hash
        hashes[column] = h
    return frame_checks.combine_hashes(hashes, len(frame.index))


def duplicated_rows(side: LazySide) -> int:
    """Rows equal to an earlier row, as ``DataFrame.duplicated().sum()`` on the whole side."""
    directory = side.sorter.directory / "row-hashes"
    directory.mkdir(parents=True, exist_ok=True)
    buckets = [directory / f"{i:02x}.u64" for i in range(1 << BUCKET_BITS)]
    shift = np.uint64(64 - BUCKET_BITS)
    handles = [open(path, "wb") for path in buckets]  # noqa: SIM115 (closed below)
    try:
        for frame in _frames(side):
            hashes = _row_hashes(frame)
            which = (hashes >> shift).astype(np.int64)
            order = np.argsort(which, kind="stable")
            bounds = np.searchsorted(which[order], np.arange((1 << BUCKET_BITS) + 1))
            for i, handle in enumerate(handles):
                hashes[order[bounds[i] : bounds[i + 1]]].tofile(handle)
    finally:
        for handle in handles:
            handle.close()
    repeated = []
    for path in buckets:
        values, counts = np.unique(np.fromfile(path, dtype=np.uint64), return_counts=True)
        repeated.append(values[counts > 1])
        path.unlink()
    candidates = np.concatenate(repeated)
    if candidates.size == 0:
        return 0
    return _count_candidates(side, candidates)


def _count_candidates(side: LazySide, candidates: np.ndarray) -> int:
    """``duplicated().sum()`` over the rows whose hash is a candidate, in hash ranges that fit the budget."""
    rows_per_pass = max(1, side.budget // max(1, 64 * len(side.columns)))
    ranges = np.array_split(np.sort(candidates), max(1, math.ceil(candidates.size / rows_per_pass)))
    total = 0
    for chosen in ranges:
        pieces = []
        for frame in _frames(side):
            keep = np.isin(_row_hashes(frame), chosen)
            if keep.any():
                pieces.append(frame[keep])
        rows = pd.concat(pieces, ignore_index=True)
        hashes = {c: frame_checks.column_hashes(rows[c]) for c in rows.columns}
        total += frame_checks.count_duplicated_rows(rows, hashes)
    return total


# --------------------------------------------------------------------------- duplicated columns


def _signature(side: LazySide, column: Any) -> tuple[Any, ...]:
    """What equal columns must share: dtype and profile (counts, bounds, moments, value counts)."""
    p = side.profiles[column]
    values = None if p.values is None else (p.values.keys.tolist(), p.values.counts.tolist())
    bounds = tuple(None if math.isnan(x) else x for x in (p.minimum, p.maximum, p.moments.mean, p.moments.m2))
    return (str(side.dtypes()[column]), p.kind, p.rows, p.missing, p.nan, p.positive_infinite,
            p.negative_infinite, p.moments.count, bounds, repr(values))  # fmt: skip


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

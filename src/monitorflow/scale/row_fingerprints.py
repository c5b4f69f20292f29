"""Duplicated rows of a lazy side in bounded memory: 128-bit row fingerprints spilled to hash buckets.

``DataFrame.duplicated().sum()`` is the number of rows minus the number of distinct rows, whatever
their order. Each row gets a fingerprint made of two independent 64-bit combinations of its columns'
value codes; the fingerprints are written to files by their leading bits, and each file is counted
on its own (read in chunks, keeping only its distinct fingerprints). Nothing grows with the number of
duplicated rows: a file holds about ``rows / buckets`` fingerprints, ``buckets`` chosen so that one
file's distinct fingerprints fit a sixteenth of the memory budget. The files take 16 bytes a row on
disk; with a disk allowance smaller than that, the rows are read in several rounds, each writing and
counting only the files of a range of buckets.

Value codes follow pandas' equality: numbers, booleans and datetimes are their bits (NaN made one
value and -0.0 equal to 0.0), so they are lossless; any other value gets the index of its distinct
value in a dictionary kept for the whole side (Python equality, as pandas' hash tables: 1, 1.0 and
True are one value). The dictionaries of all columns hold at most a quarter of the memory budget
(:data:`ENTRY_BYTES` plus the value's size an entry); past it a value not already in its column's
dictionary gets a code made of its Python hash (equal values, equal hashes) with the top bit set, so
the codes stay consistent but two distinct values may share one: with ``d`` such values a column
miscounts with probability at most ``d**2 / 2**64``. Missing values are one value when the side has
several columns (pandas factorizes each column) and one value per type when it has one
(``Series.duplicated`` tells None from NaN). Two distinct rows are counted as one only if both
64-bit combinations of their codes collide.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: Bytes of one fingerprint (two uint64).
RECORD = 16
#: Fewest and most bucket files (bits of the fingerprint that pick the file).
MIN_BITS, MAX_BITS = 4, 8

#: Bytes a value dictionary's entry costs besides the value (hash-table slot, key and code objects).
ENTRY_BYTES = 100
#: Share of the memory budget the value dictionaries of one pass may hold.
DICTIONARY_SHARE = 4
#: Top bit of a code made of a value's hash (dictionary indexes are below it).
HASHED = 1 << 63
_MASK = (1 << 64) - 1

_MISSING = object()


class DictionaryBudget:
    """Bytes the value dictionaries of one pass hold (``used``) and may hold (``limit``)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0


def _hash_code(value: Any) -> int:
    """A code from the value's Python hash (splitmix64's finalizer, then the top bit set)."""
    x = (hash(value) + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return (x ^ (x >> 31)) | HASHED


def _mix(values: np.ndarray, salt: int) -> np.ndarray:
    """A bijective 64-bit mix (splitmix64's finalizer) of ``values + salt``."""
    with np.errstate(over="ignore"):
        x = values + np.uint64(salt)
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x


class ValueCodes:
    """uint64 codes of one column's values, equal exactly where pandas' ``duplicated`` sees equal values."""

    def __init__(self, single_column: bool, budget: DictionaryBudget | None = None):
        self.single_column = single_column
        self.dictionary: dict[Any, int] = {}
        self.budget = budget or DictionaryBudget(sys.maxsize)

    def __call__(self, series: pd.Series) -> np.ndarray:
        dtype = series.dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            values = series.to_numpy(dtype=np.float64) + 0.0  # -0.0 becomes 0.0
            values[np.isnan(values)] = np.nan
            return values.view(np.uint64)
        if isinstance(dtype, np.dtype) and dtype.kind in "iubmM":
            return series.to_numpy().view(f"u{dtype.itemsize}").astype(np.uint64)
        return self._dictionary_codes(series)

    def _dictionary_codes(self, series: pd.Series) -> np.ndarray:
        try:
            codes, uniques = pd.factorize(series)
        except TypeError:  # unhashable values compare as text, as the in-memory engine does
            codes, uniques = pd.factorize(series.astype(str))
        table = np.array([self._code(value) for value in np.asarray(uniques, dtype=object)] + [0], np.uint64)
        result = table[codes]  # code -1 (missing) takes the last entry, replaced below
        missing = codes == -1
        if missing.any():
            values = series.to_numpy(dtype=object)[missing]
            result[missing] = [
                self._code((_MISSING, type(v) if self.single_column else None)) for v in values
            ]
        return result

    def _code(self, value: Any) -> int:
        try:
            code = self.dictionary.get(value)
        except TypeError:  # unhashable: compared as text
            value = ("text", str(value))
            code = self.dictionary.get(value)
        if code is not None:
            return code
        if self.budget.used >= self.budget.limit:
            return _hash_code(value)
        self.budget.used += ENTRY_BYTES + sys.getsizeof(value)
        self.dictionary[value] = code = len(self.dictionary)
        return code


def fingerprints(frame: pd.DataFrame, codes: list[ValueCodes]) -> np.ndarray:
    """An (n, 2) uint64 array: two independent combinations of each row's value codes."""
    n = len(frame.index)
    first = np.full(n, 0x345678, dtype=np.uint64)
    second = np.full(n, 0x9E3779B97F4A7C15, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for position, (column, code) in enumerate(zip(frame.columns, codes, strict=True)):
            values = code(frame[column])
            first = (first ^ _mix(values, 2 * position + 1)) * np.uint64(1000003 + 82520 * position)
            second = (second ^ _mix(values, 0x632BE59BD9B4E019 + position)) * np.uint64(0xFF51AFD7ED558CCD)
            second ^= second >> np.uint64(33)
    return np.column_stack([first, second])


def bucket_bits(rows: int, budget: int) -> int:
    """Bits picking a bucket file so that one file's fingerprints take at most 1/16 of ``budget``."""
    needed = math.ceil(math.log2(max(2, rows * RECORD * 16 / max(1, budget))))
    return min(MAX_BITS, max(MIN_BITS, needed))


def _distinct(pairs: np.ndarray) -> np.ndarray:
    """The distinct rows of an (n, 2) array, sorted."""
    if len(pairs) < 2:
        return pairs
    ordered = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    return ordered[keep]


def _distinct_in_file(path: Path, chunk_rows: int) -> tuple[int, int]:
    """Fingerprints in the file and distinct fingerprints, reading ``chunk_rows`` at a time."""
    total, seen = 0, np.empty((0, 2), dtype=np.uint64)
    with open(path, "rb") as handle:
        while True:
            chunk = np.fromfile(handle, dtype=np.uint64, count=2 * chunk_rows).reshape(-1, 2)
            if chunk.size == 0:
                break
            total += len(chunk)
            seen = _distinct(np.concatenate([seen, _distinct(chunk)]))
    return total, len(seen)


def count_duplicated(
    read: Callable[[], Iterable[pd.DataFrame]],
    columns: int,
    rows: int,
    budget: int,
    directory: Path,
    disk: int | None = None,
) -> int:
    """``duplicated().sum()`` over the concatenation of the frames ``read()`` yields (``columns``
    columns, ``rows`` rows), holding at most ``disk`` bytes of fingerprint files at once (None: no
    limit; else ``read`` is called once per round)."""
    directory.mkdir(parents=True, exist_ok=True)
    bits = bucket_bits(rows, budget)
    buckets = 1 << bits
    per_round = buckets if disk is None else max(1, min(buckets, disk * buckets // max(1, rows * RECORD)))
    dictionaries = DictionaryBudget(budget // DICTIONARY_SHARE)
    codes = [ValueCodes(columns == 1, dictionaries) for _ in range(columns)]
    duplicated = 0
    for first in range(0, buckets, per_round):
        paths = [directory / f"{i:03x}.fp" for i in range(first, min(first + per_round, buckets))]
        _write_buckets(read(), codes, bits, first, paths)
        chunk_rows = max(1024, budget // (16 * 3 * RECORD))
        for path in paths:
            total, distinct = _distinct_in_file(path, chunk_rows)
            duplicated += total - distinct
            path.unlink()
    return duplicated


def _write_buckets(
    frames: Iterable[pd.DataFrame], codes: list[ValueCodes], bits: int, first: int, paths: list[Path]
) -> None:
    """Each row's fingerprint appended to the file of its bucket, for buckets ``first ..`` (one file
    each in ``paths``); the other rows' fingerprints are dropped."""
    shift = np.uint64(64 - bits)
    handles = [open(path, "wb") for path in paths]  # noqa: SIM115 (closed below)
    try:
        for frame in frames:
            pairs = fingerprints(frame, codes)
            which = (pairs[:, 0] >> shift).astype(np.int64) - first
            order = np.argsort(which, kind="stable")
            bounds = np.searchsorted(which[order], np.arange(len(paths) + 1))
            for i, handle in enumerate(handles):
                pairs[order[bounds[i] : bounds[i + 1]]].tofile(handle)
    finally:
        for handle in handles:
            handle.close()

"""Row-level checks of one in-memory frame: duplicated rows and columns, almost-duplicated column
pairs, empty rows, missing-value counts.

:class:`~monitorflow.context.RunContext` answers these for a whole frame; the lazy engine runs
:func:`missing_counts` and :func:`empty_rows` per partition and adds the results up (they are sums),
and has its own partitioned versions of the duplicate checks.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


def column_hashes(series: pd.Series) -> np.ndarray | None:
    """Per-row uint64 hashes of a column's values (None for unhashable values): those of
    ``pd.util.hash_pandas_object(series, index=False)``."""
    try:
        if isinstance(series.dtype, pd.StringDtype):
            return _hashes_by_code(series)
        return pd.util.hash_pandas_object(series, index=False).to_numpy()
    except TypeError:
        return None


def _hashes_by_code(series: pd.Series) -> np.ndarray:
    """Hashes of an extension column through its codes: the distinct values are hashed once, as pandas
    does for object columns, without the Python object per row pandas makes of an Arrow-backed column
    first (about 6 MB per 100,000 strings)."""
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    hashed = pd.util.hash_array(np.asarray(distinct, dtype=object), categorize=False)
    hashes = hashed.take(codes) if len(hashed) else np.zeros(len(codes), dtype=np.uint64)
    hashes[codes < 0] = np.iinfo(np.uint64).max  # pandas' hash of a missing value
    return hashes


def _column_key(series: pd.Series, hashes: np.ndarray | None) -> str:
    """What equal columns share: a digest of the row hashes and the dtype."""
    return (
        "unhashable"
        if hashes is None
        else hashlib.sha1(hashes.tobytes() + str(series.dtype).encode()).hexdigest()
    )


def _duplicated_columns(frame: pd.DataFrame, keys: dict[Any, str]) -> int:
    groups: dict[str, list[Any]] = defaultdict(list)
    for column in frame.columns:
        groups[keys[column]].append(column)
    duplicated = 0
    for members in groups.values():
        for i, column in enumerate(members):
            duplicated += sum(1 for other in members[i + 1 :] if frame[column].equals(frame[other]))
    return duplicated


def count_duplicated_columns(frame: pd.DataFrame, hashes: dict[Any, np.ndarray | None]) -> int:
    """Pairs of equal columns (``Series.equals``: same dtype, NaN == NaN), as Evidently counts them.

    Columns are grouped by a digest of their row hashes first, so only candidates are compared.
    """
    return _duplicated_columns(frame, {c: _column_key(frame[c], hashes[c]) for c in frame.columns})


#: Start and multiplier steps of the row hash (a tuple hash's combination).
_SEED, _MULTIPLIER, _STEP = 0x345678, 1000003, 82520


def _fold(combined: np.ndarray, hashes: np.ndarray, position: int) -> np.ndarray:
    """``combined`` with the ``position``-th column's value hashes folded in."""
    with np.errstate(over="ignore"):
        return (combined ^ hashes) * np.uint64(_MULTIPLIER + _STEP * position)


def combine_hashes(hashes: dict[Any, np.ndarray], rows: int) -> np.ndarray:
    """One uint64 hash per row from the columns' value hashes (in column order)."""
    combined = np.full(rows, _SEED, dtype=np.uint64)
    for position, h in enumerate(hashes.values()):
        combined = _fold(combined, h, position)
    return combined


def _duplicated_rows(frame: pd.DataFrame, combined: np.ndarray | None) -> int:
    """``frame.duplicated().sum()``, comparing only rows whose ``combined`` hash repeats (None: a column
    could not be hashed, rows are compared as text)."""
    if combined is None:
        return int(frame.astype(str).duplicated().sum())
    candidates = repeated(combined)
    if not candidates.any():
        return 0
    return int(frame[candidates].duplicated().sum())


def repeated(values: np.ndarray) -> np.ndarray:
    """Mask of the values that occur more than once (``Series.duplicated(keep=False)``), from one sorted
    copy instead of a hash table of every value."""
    ordered = np.sort(values)
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return np.zeros(len(values), dtype=bool)
    twice = np.unique(ordered[1:][same])
    del ordered, same
    return twice[np.searchsorted(twice, values).clip(max=len(twice) - 1)] == values


def count_duplicated_rows(frame: pd.DataFrame, hashes: dict[Any, np.ndarray | None]) -> int:
    """Rows equal to an earlier row (``DataFrame.duplicated``), exact.

    Row hashes combine the column hashes; only rows whose hash repeats are compared by pandas.
    """
    known = {column: h for column, h in hashes.items() if h is not None}
    complete = len(known) == len(hashes)
    return _duplicated_rows(frame, combine_hashes(known, len(frame.index)) if complete else None)


def compared_by_hash(series: pd.Series) -> bool:
    """Whether :func:`comparable` compares the column by its value hashes (not numbers or datetimes)."""
    dtype = series.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return False
    return not (isinstance(dtype, np.dtype) and dtype.kind in "mM")


def row_checks(frame: pd.DataFrame, threshold: float) -> tuple[int, int, int]:
    """Duplicated rows, duplicated columns and almost-duplicated pairs (the ``count_*`` functions) from
    one pass of column hashes: each column's hashes are folded into the row hash and digested at once,
    and only their first block of rows is kept where the almost-duplicate comparison needs them (texts,
    booleans, objects): that block rejects nearly every pair, the few others hash their columns again."""
    combined: np.ndarray | None = np.full(len(frame.index), _SEED, dtype=np.uint64)
    keys: dict[Any, str] = {}
    kept: dict[Any, np.ndarray | None] = {}
    head = _head_rows(len(frame.index), threshold)
    position = 0
    for column in frame.columns:
        series = frame[column]
        h = column_hashes(series)
        keys[column] = _column_key(series, h)
        if h is None:
            combined = None
        elif combined is not None:
            combined = _fold(combined, h, position)
            position += 1
        if compared_by_hash(series):
            kept[column] = None if h is None else h[:head].copy()
        del h
    return (
        _duplicated_rows(frame, combined),
        _duplicated_columns(frame, keys),
        count_almost_duplicated_pairs(frame, threshold, kept),
    )


def comparable(series: pd.Series, hashes: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Values to compare positionally, and a mask of missing positions (missing never equals missing).

    Numbers and datetimes compare directly (NaN and NaT are unequal to everything; NumPy numbers as
    they are, without a copy). Other values compare by their 64-bit value hashes, already computed for
    the duplicate checks: far cheaper than comparing Python objects, and wrong only on a hash
    collision (probability ~1e-19 a pair).
    """
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iuf":
        return series.to_numpy(), None
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype="float64", na_value=np.nan), None
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "mM":
        return series.to_numpy(), None  # datetime64/timedelta64: NaT != NaT, like Series.eq
    missing = series.isna().to_numpy()
    if series.dtype == object:  # pandas' object comparison: None equals None, NaN equals nothing
        missing = missing & (series.to_numpy() != None)  # noqa: E711 (elementwise)
    return (series.to_numpy(dtype=object) if hashes is None else hashes), missing


def unequal(
    left: tuple[np.ndarray, np.ndarray | None], right: tuple[np.ndarray, np.ndarray | None], rows: slice
) -> int:
    different = ~(left[0][rows] == right[0][rows])
    if left[1] is not None and right[1] is not None:
        different |= left[1][rows] | right[1][rows]
    return int(np.count_nonzero(different))


def _allowed_unequal(rows: int, threshold: float) -> int:
    return rows - math.ceil(threshold * rows - 1e-9)


def _head_rows(rows: int, threshold: float) -> int:
    """Rows compared first: a pair with more unequal positions there than allowed in all is rejected."""
    return min(rows, 2 * _allowed_unequal(rows, threshold) + 64)


def count_almost_duplicated_pairs(
    frame: pd.DataFrame, threshold: float, hashes: dict[Any, np.ndarray | None]
) -> int:
    """Pairs of same-dtype columns whose values are equal (``Series.eq``) in at least ``threshold`` of the
    rows.

    A block of rows is compared first, and a pair whose unequal positions in that block already
    exceed the allowed total is rejected without reading the rest. ``hashes`` may hold only that
    block's value hashes: a column in a pair that passes it is hashed again in full.
    """
    n = len(frame.index)
    if n == 0:
        return 0
    allowed_unequal = _allowed_unequal(n, threshold)
    block = _head_rows(n, threshold)
    head, tail = slice(0, block), slice(block, n)
    by_dtype: dict[str, list[Any]] = defaultdict(list)
    for column in frame.columns:
        by_dtype[str(frame[column].dtype)].append(column)
    whole: dict[Any, tuple[np.ndarray, np.ndarray | None]] = {}

    def full(column: Any) -> tuple[np.ndarray, np.ndarray | None]:
        if column not in whole:
            h = hashes.get(column)
            if h is not None and len(h) < n:
                h = column_hashes(frame[column])
            whole[column] = comparable(frame[column], h)
        return whole[column]

    pairs = 0
    for columns in by_dtype.values():
        if len(columns) < 2:
            continue  # no pair to compare: skip the conversion
        starts = [comparable(frame[c].iloc[head], _head(hashes.get(c), block)) for c in columns]
        for i, left in enumerate(starts):
            for j in range(i + 1, len(columns)):
                different = unequal(left, starts[j], head)
                if different > allowed_unequal:
                    continue
                if block < n:
                    different += unequal(full(columns[i]), full(columns[j]), tail)
                pairs += different <= allowed_unequal
    return pairs


def _head(hashes: np.ndarray | None, block: int) -> np.ndarray | None:
    return None if hashes is None else hashes[:block]


#: Evidently's default set of values that count as missing: pandas-missing, "", +inf, -inf.
DEFAULT_MISSING_VALUES: tuple[Any, ...] = (None, "", math.inf, -math.inf)


def missing_label(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, float) and math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"  # the keys Evidently's json() writes
    return str(value)


def missing_set(values: list[Any] | None, replace: bool) -> tuple[Any, ...]:
    if values is None:
        return DEFAULT_MISSING_VALUES
    return tuple(values) if replace else (*DEFAULT_MISSING_VALUES, *values)


def missing_mask(series: pd.Series, value: Any) -> np.ndarray:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return series.isna().to_numpy()
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
    if isinstance(value, str) and numeric:
        return np.zeros(len(series), dtype=bool)
    if isinstance(value, int | float) and not isinstance(value, bool) and numeric:
        return series.to_numpy(dtype="float64", na_value=np.nan) == value
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return np.zeros(len(series), dtype=bool)
    return series.isin([value]).to_numpy() & series.notna().to_numpy()


@dataclass
class MissingCounts:
    """Counts of the values of a missing-value set: per column and value label, per column (any of
    them), and rows holding any of them in any column. Counts of row blocks add up."""

    rows: int = 0
    by_value: dict[Any, dict[str, int]] = field(default_factory=dict)
    by_column: dict[Any, int] = field(default_factory=dict)
    rows_with_any: int = 0

    def add(self, other: MissingCounts) -> MissingCounts:
        by_value = {c: dict(v) for c, v in self.by_value.items()}
        for column, counts in other.by_value.items():
            mine = by_value.setdefault(column, dict.fromkeys(counts, 0))
            for label, count in counts.items():
                mine[label] = mine.get(label, 0) + count
        by_column = dict(self.by_column)
        for column, count in other.by_column.items():
            by_column[column] = by_column.get(column, 0) + count
        return MissingCounts(
            self.rows + other.rows, by_value, by_column, self.rows_with_any + other.rows_with_any
        )


def missing_counts(
    frame: pd.DataFrame, values: tuple[Any, ...], rows_with_any: np.ndarray | None = None
) -> MissingCounts:
    """:class:`MissingCounts` of ``values`` in every column of ``frame``; ``rows_with_any``, if given,
    is a row mask the rows holding a missing value are or-ed into (frames read in column groups)."""
    if rows_with_any is None:
        rows_with_any = np.zeros(len(frame.index), dtype=bool)
    by_value: dict[Any, dict[str, int]] = {}
    by_column: dict[Any, int] = {}
    for column in frame.columns:
        series = frame[column]
        any_missing = np.zeros(len(series), dtype=bool)
        counts: dict[str, int] = {}
        for value in values:
            mask = missing_mask(series, value)
            counts[missing_label(value)] = int(mask.sum())
            any_missing |= mask
        by_value[column] = counts
        by_column[column] = int(any_missing.sum())
        rows_with_any |= any_missing
    return MissingCounts(len(frame.index), by_value, by_column, int(rows_with_any.sum()))


def empty_rows(frame: pd.DataFrame) -> int:
    """Rows whose every value is missing (``frame.isna().all(axis=1)``, a column at a time: no frame of
    masks; it stops at the first column without a missing value)."""
    if not len(frame.columns):
        return 0
    empty = np.ones(len(frame.index), dtype=bool)
    for column in range(len(frame.columns)):
        empty &= frame.iloc[:, column].isna().to_numpy()
        if not empty.any():
            return 0
    return int(empty.sum())

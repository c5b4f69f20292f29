"""Text columns as Arrow arrays, and the tokenisations that descriptors share (each once per side).

Values that are not strings never fail a descriptor: missing values (None, NaN, pd.NA) stay missing,
bytes are decoded as UTF-8 (invalid bytes become U+FFFD), lone surrogates (invalid UTF-8 smuggled into a
``str``) become U+FFFD, and any other value (a number, a list) is read as ``str(value)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from monitorflow._types import ColumnName, ColumnReader

#: What Evidently's word descriptors (OOV, trigger and include/exclude words) delete before splitting.
WORD_JUNK = r"[^A-Za-z0-9 ]+"


@dataclass(frozen=True)
class Texts:
    """One column as text: ``array`` (large_string, null where missing) and its ``missing`` mask."""

    array: pa.Array
    missing: np.ndarray

    def __len__(self) -> int:
        return len(self.missing)


@dataclass(frozen=True)
class Tokens:
    """The tokens of every row, flattened in row order.

    ``codes`` index ``vocabulary`` (each distinct token once), ``rows`` give each token's row and
    ``positions`` its place within the row; ``counts`` is the number of tokens of each row.
    """

    codes: np.ndarray
    rows: np.ndarray
    vocabulary: list[str]
    counts: np.ndarray

    @property
    def starts(self) -> np.ndarray:
        """Index of each row's first token in the flat arrays."""
        return np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.int64)

    @property
    def positions(self) -> np.ndarray:
        return np.arange(len(self.codes), dtype=np.int64) - self.starts[self.rows]

    def per_row(self, token_values: np.ndarray) -> np.ndarray:
        """Sum over each row of a value given per vocabulary entry."""
        return np.bincount(self.rows, weights=token_values[self.codes], minlength=len(self.counts))


def _without_surrogates(text: str) -> str:
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def as_text(value: Any) -> str | None:
    """One value as text (None when missing), by the rules of the module docstring."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and value != value:
        return None
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _without_surrogates(value)
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def as_items(value: Any) -> list[str]:
    """A row's list of items or words (ItemMatch, WordMatch): missing is empty; a string is iterated as
    Evidently does (character by character); a scalar is one item."""
    if as_text(value) is None and not isinstance(value, list | tuple | np.ndarray):
        return []
    if isinstance(value, str | bytes | bytearray):
        return list(as_text(value) or "")
    try:
        return [as_text(v) or "" for v in value]
    except TypeError:
        return [as_text(value) or ""]


def to_texts(series: pd.Series) -> Texts:
    """A column as an Arrow string array; fast for string columns, exact for everything else."""
    array: pa.Array | pa.ChunkedArray | None = None
    if series.dtype != object and pd.api.types.is_string_dtype(series.dtype):
        array = pa.array(series.array, from_pandas=True)
    elif series.dtype == object:
        try:
            array = pa.array(series.to_numpy(), type=pa.large_string(), from_pandas=True)
        except (pa.ArrowException, UnicodeError, TypeError, ValueError):
            array = None
    if array is None:
        array = pa.array([as_text(v) for v in series.tolist()], type=pa.large_string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.large_string())
    return Texts(array, np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=bool))


def texts(data: ColumnReader, column: ColumnName | None) -> Texts:
    """The column as text, once per side."""
    return data.memo(("texts", column), lambda: to_texts(data.column(column)))


def split_tokens(lists: pa.Array, n_rows: int) -> Tokens:
    """Tokens from an Arrow list-of-strings array (one list per row), empty strings dropped."""
    flat = pc.list_flatten(lists)
    rows = pc.list_parent_indices(lists)
    keep = pc.greater(pc.binary_length(flat), 0)
    flat, rows = flat.filter(keep), rows.filter(keep)
    encoded = flat.dictionary_encode()
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    rows_np = np.asarray(rows.to_numpy(zero_copy_only=False), dtype=np.int64)
    return Tokens(
        codes=np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64),
        rows=rows_np,
        vocabulary=encoded.dictionary.to_pylist(),
        counts=np.bincount(rows_np, minlength=n_rows).astype(np.int64),
    )


def word_tokens(data: ColumnReader, column: ColumnName | None) -> Tokens:
    """Evidently's words: characters other than ASCII letters, digits and spaces deleted, then split on
    spaces."""

    def compute() -> Tokens:
        text = texts(data, column)
        cleaned = pc.replace_substring_regex(text.array, WORD_JUNK, "")
        return split_tokens(pc.split_pattern(cleaned, " "), len(text))

    return data.memo(("word-tokens", column), compute)


#: Python's whitespace (``str.isspace``) as an RE2 class. Arrow's ``utf8_split_whitespace`` is not used:
#: in pyarrow 26 it sometimes leaves a row's trailing whitespace unsplit, differently from call to call.
PYTHON_WHITESPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001)) if c.isspace()) + "]+"


def whitespace_tokens(data: ColumnReader, column: ColumnName | None) -> Tokens:
    """``str.split()`` of every row (the same Unicode whitespace as Python's)."""

    def compute() -> Tokens:
        text = texts(data, column)
        return split_tokens(pc.split_pattern_regex(text.array, PYTHON_WHITESPACE), len(text))

    return data.memo(("whitespace-tokens", column), compute)


def lowered(tokens: Tokens) -> tuple[np.ndarray, list[str]]:
    """Lower-cased tokens as (codes, vocabulary): ``str.lower`` on each distinct token only."""
    lower = [t.lower() for t in tokens.vocabulary]
    codes, vocabulary = pd.factorize(np.array(lower, dtype=object))
    return np.asarray(codes, dtype=np.int64)[tokens.codes], list(vocabulary)

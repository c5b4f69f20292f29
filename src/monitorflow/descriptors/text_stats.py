"""Text statistics: length, words, sentences and the share of non-letter characters (vectorised).

Each equals Evidently's per-row Python on every text; regexes run on Arrow (RE2) with character
classes spelled out to match Python's Unicode ``\\s``, ``\\w`` and ``str.isalpha``. Where Arrow's Unicode
tables and this Python's disagree (letters added by a later Unicode version), the rows holding such
characters are computed in Python. A missing value counts 0, as in Evidently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from monitorflow._types import ColumnName, ColumnReader
from monitorflow.descriptors.base import Descriptor
from monitorflow.descriptors.text import texts

#: Python's ``str.isspace()`` characters (= ``\s`` of ``re`` on str), as an RE2 class body.
PY_SPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
#: Python's ``\w`` on str: letters, numbers and the underscore.
PY_WORD = r"\p{L}\p{N}_"

# Evidently splits sentences at a whitespace that follows "." or "?", except after "x.y." or "Xx."
# (lookbehinds RE2 lacks): the count of split points is all candidates minus the two exceptions,
# which cannot overlap each other or themselves.
_SPLIT_CANDIDATE = rf"[.?][{PY_SPACE}]"
_SPLIT_AFTER_INITIALS = rf"[{PY_WORD}]\.[{PY_WORD}][.?][{PY_SPACE}]"
_SPLIT_AFTER_TITLE = rf"[A-Z][a-z]\.[{PY_SPACE}]"


_SENTENCE_SPLIT = re.compile(r"(?<!\w\.\w.)(?<![A-Z][a-z]\.)(?<=\.|\?)\s")


@lru_cache(maxsize=4096)
def python_and_arrow_disagree(char: str) -> bool:
    """Whether Arrow's Unicode tables and this Python's class ``char`` differently as a letter or a
    word character (e.g. a letter of a Unicode version newer than Python's)."""
    array = pa.array([char])

    def arrow(pattern: str) -> bool:
        return bool(pc.match_substring_regex(array, pattern)[0].as_py())

    return arrow(r"^\p{L}$") != char.isalpha() or arrow(rf"^[{PY_WORD}]$") != (char.isalnum() or char == "_")


def _in_python(array: pa.Array, values: np.ndarray, per_row: Callable[[str], float]) -> np.ndarray:
    """``values``, with the rows that hold a character Arrow and Python class differently computed by
    ``per_row``."""
    others = pc.replace_substring_regex(array, r"[\x00-\x7f]+", "")  # the non-ASCII characters of each row
    found = {c for text in others.unique().to_pylist() if text for c in text}
    odd_chars = "".join(sorted(c for c in found if python_and_arrow_disagree(c)))
    if not odd_chars:
        return values
    pattern = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in odd_chars) + "]"
    odd = np.flatnonzero(
        np.asarray(pc.match_substring_regex(array, pattern).to_numpy(zero_copy_only=False), dtype=bool)
    )
    values = values.copy()
    values[odd] = [per_row(t) for t in array.take(odd).to_pylist()]
    return values


def _counts(array: object, pattern: str) -> np.ndarray:
    counted = pc.count_substring_regex(array, pattern)
    return np.asarray(counted.to_numpy(zero_copy_only=False), dtype="float64")


def _numbers(values: np.ndarray, missing: np.ndarray, dtype: str = "int64") -> pd.Series:
    values = np.where(missing, 0, np.nan_to_num(values, nan=0.0))
    return pd.Series(values.astype(dtype))


class TextLength(Descriptor):
    """Characters (code points) of each text."""

    default_name = "Text Length for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        text = texts(data, column)
        return _numbers(_counts_length(text.array), text.missing)


def _counts_length(array: object) -> np.ndarray:
    return np.asarray(pc.utf8_length(array).to_numpy(zero_copy_only=False), dtype="float64")


class WordCount(Descriptor):
    """Words made of ASCII letters: other characters are deleted, then the text is split at spaces."""

    default_name = "Word Count for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        text = texts(data, column)
        # a space-separated chunk is a word once its non-letters are deleted iff it holds a letter
        return _numbers(_counts(text.array, r"[a-zA-Z][^ ]*"), text.missing)


class SentenceCount(Descriptor):
    """Sentences: pieces between a "." or "?" and the whitespace after it (not after initials or "Mr.")."""

    default_name = "Sentence Count for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        text = texts(data, column)
        splits = (
            _counts(text.array, _SPLIT_CANDIDATE)
            - _counts(text.array, _SPLIT_AFTER_INITIALS)
            - _counts(text.array, _SPLIT_AFTER_TITLE)
        )
        counts = _in_python(text.array, splits + 1, lambda t: len(_SENTENCE_SPLIT.split(t)))
        return _numbers(counts, text.missing)


class NonLetterCharacterPercentage(Descriptor):
    """Percent of characters that are neither letters (``str.isalpha``) nor spaces; 0 for an empty text."""

    default_name = "Non Letter Character % for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        text = texts(data, column)
        length = _counts_length(text.array)
        other = _counts(text.array, r"[^\p{L} ]")
        with np.errstate(invalid="ignore", divide="ignore"):
            percent = np.where(length > 0, 100 * other / length, 0.0)
        percent = _in_python(text.array, percent, _non_letter_percent)
        return _numbers(percent, text.missing, "float64")


def _non_letter_percent(text: str) -> float:
    return 100 * sum(1 for ch in text if not ch.isalpha() and ch != " ") / len(text) if text else 0.0

"""Text statistics: length, words, sentences and the share of non-letter characters (vectorised).

Each equals Evidently's per-row Python on every text; regexes run on Arrow (RE2) with character
classes spelled out to match Python's Unicode ``\\s``, ``\\w`` and ``str.isalpha``. A missing value
counts 0, as in Evidently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
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
        return _numbers(splits + 1, text.missing)


class NonLetterCharacterPercentage(Descriptor):
    """Percent of characters that are neither letters (``str.isalpha``) nor spaces; 0 for an empty text."""

    default_name = "Non Letter Character % for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        text = texts(data, column)
        length = _counts_length(text.array)
        other = _counts(text.array, r"[^\p{L} ]")
        with np.errstate(invalid="ignore", divide="ignore"):
            percent = np.where(length > 0, 100 * other / length, 0.0)
        return _numbers(percent, text.missing, "float64")

"""Pattern descriptors: regular expressions, prefixes and suffixes, contained items, links, equality.

Matching follows Evidently (Python's ``re`` for regexes, ``str.casefold`` when not case-sensitive);
where Evidently fails on a missing text the value here is missing (None), listed in ``docs/text.md``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from monitorflow._types import ColumnName, ColumnReader
from monitorflow.descriptors.base import Descriptor, PairDescriptor, as_bool_object, check_mode
from monitorflow.descriptors.text import as_items, texts
from monitorflow.errors import ConfigurationError


def _compile(pattern: str, flags: int, owner: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ConfigurationError(f"{owner}: invalid regular expression {pattern!r}: {exc}") from None


def _strings(data: ColumnReader, column: ColumnName | None) -> list[str | None]:
    return data.memo(("strings", column), lambda: texts(data, column).array.to_pylist())


class RegExp(Descriptor):
    """1 if the whole text matches ``reg_exp`` (Python ``re.fullmatch``), else 0; a missing value is read as
    "None"/"nan"."""

    reg_exp: str
    column_type = "cat"
    default_name = "RegExp '{reg_exp}' Match for column {column}"

    def model_post_init(self, context: Any) -> None:
        _compile(self.reg_exp, 0, "RegExp")

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        pattern = _compile(self.reg_exp, 0, "RegExp")
        raw = data.column(column).tolist()  # as pandas' astype(str): None -> "None", NaN -> "nan"
        return pd.Series(
            [int(pattern.fullmatch(v if isinstance(v, str) else str(v)) is not None) for v in raw]
        )


class _TextPart(Descriptor):
    case_sensitive: bool = True
    column_type = "cat"
    #: The field holding the part, and the str method testing it.
    part_field: ClassVar[str]
    method: ClassVar[str]

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        text = texts(data, column)
        part = getattr(self, self.part_field)
        if self.case_sensitive:
            kernel = getattr(pc, self.method.replace("with", "_with"))
            found = np.asarray(kernel(text.array, pattern=part).to_numpy(zero_copy_only=False)) == True  # noqa: E712
        else:
            folded = part.casefold()
            found = [
                t is not None and getattr(t.casefold(), self.method)(folded) for t in _strings(data, column)
            ]
        return as_bool_object(found, text.missing)


class BeginsWith(_TextPart):
    """True if the text starts with ``prefix``."""

    prefix: str
    part_field = "prefix"
    method = "startswith"
    default_name = "Text Begins with [{prefix}] for {column}"


class EndsWith(_TextPart):
    """True if the text ends with ``suffix``."""

    suffix: str
    part_field = "suffix"
    method = "endswith"
    default_name = "Text Ends with [{suffix}] for {column}"


class _Items(Descriptor):
    items: list[str]
    mode: str = "any"
    case_sensitive: bool = True
    column_type = "cat"
    negate: ClassVar[bool] = False

    def model_post_init(self, context: Any) -> None:
        check_mode(self.mode, ("any", "all"), type(self).__name__)
        _compile("|".join(self.items), 0, type(self).__name__)

    def title(self, column: ColumnName | None) -> str:
        if self.display_name:
            return self.display_name
        verb = "Does Not Contain" if self.negate else "Contains"
        return f"Text {verb} of {self.mode} [{', '.join(self.items)}] for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        strings = _strings(data, column)
        if self.mode == "any":  # Evidently: the items joined as one regex
            flags = 0 if self.case_sensitive else re.IGNORECASE
            pattern = _compile("|".join(self.items), flags, type(self).__name__)
            found = [None if t is None else pattern.search(t) is not None for t in strings]
        else:
            items = self.items if self.case_sensitive else [i.casefold() for i in self.items]
            fold = (lambda t: t) if self.case_sensitive else str.casefold
            found = [None if t is None else all(i in fold(t) for i in items) for t in strings]
        if self.negate:
            found = [None if f is None else not f for f in found]
        if self.negate and self.mode == "all":  # Evidently: a missing text lacks every item
            found = [bool(self.items) if f is None else f for f in found]
        return pd.Series(found, dtype=object)


class Contains(_Items):
    """True if the text contains any (``mode="any"``: the items are one regex) or all of ``items``."""


class DoesNotContain(_Items):
    """True if the text contains none (``mode="all"``, the default) or not all (``"any"``) of ``items``.

    As in Evidently, ``"all"`` means "not all items are present" and ``"any"`` means "no item is".
    """

    mode: str = "all"
    negate: ClassVar[bool] = True


class _ItemsOfRow(PairDescriptor):
    """Items of the list in ``with_column`` of the same row, searched as substrings of the text."""

    mode: str = "any"
    case_sensitive: bool = True
    column_type = "cat"
    negate: ClassVar[bool] = False

    def model_post_init(self, context: Any) -> None:
        check_mode(self.mode, ("any", "all"), type(self).__name__)

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        result: list[bool | None] = []
        for text, items in zip(_strings(data, column), data.column(self.with_column).tolist(), strict=True):
            if text is None:
                result.append(None)
                continue
            listed = as_items(items)
            if not self.case_sensitive:
                text, listed = text.casefold(), [i.casefold() for i in listed]
            hits = (i in text for i in listed)
            found = all(hits) if self.mode == "all" else any(hits)
            result.append(not found if self.negate else found)
        return pd.Series(result, dtype=object)


class ItemMatch(_ItemsOfRow):
    """True if the text contains any/all of the items listed in ``with_column``."""

    default_name = "Text contains {mode} of defined items"


class ItemNoMatch(_ItemsOfRow):
    """True if the text lacks any/all of the items listed in ``with_column``."""

    negate: ClassVar[bool] = True
    default_name = "Text does not contain {mode} of defined items"


class ExactMatch(PairDescriptor):
    """True where the value equals ``with_column``'s (pandas ``==``: missing equals nothing)."""

    column_type = "cat"
    default_name = "Exact Match for {column} {with_column}."

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        left = data.column(column).reset_index(drop=True)
        right = data.column(self.with_column).reset_index(drop=True)
        try:
            return (left == right).astype(bool)
        except (TypeError, ValueError):  # values pandas cannot compare as arrays
            return pd.Series([_equal(a, b) for a, b in zip(left, right, strict=True)], dtype=bool)


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) and not pd.isna(a)
    except (TypeError, ValueError):
        return False


def _has_link(text: str) -> bool:
    for word in text.split():
        try:
            parsed = urlparse(word)
        except ValueError:  # e.g. an unclosed IPv6 bracket
            continue
        if parsed.scheme and parsed.netloc:
            return True
    return False


class ContainsLink(Descriptor):
    """True if a whitespace-separated word is a URL with a scheme and a host (``urlparse``)."""

    column_type = "cat"
    default_name = "{column} contains link"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        text = texts(data, column)
        # a scheme and a host need "://" in the word: only those rows are parsed
        candidates = np.asarray(pc.match_substring(text.array, "://").to_numpy(zero_copy_only=False)) == True  # noqa: E712
        found = np.zeros(len(text), dtype=bool)
        rows = np.flatnonzero(candidates)
        if len(rows):
            values = text.array.take(rows).to_pylist()
            found[rows] = [_has_link(v) for v in values]
        return pd.Series(found)

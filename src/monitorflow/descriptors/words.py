"""Word descriptors: out-of-vocabulary share, trigger words, included/excluded words (vectorised).

Words are Evidently's: characters other than ASCII letters, digits and spaces are deleted, the text is
split at spaces and each word lower-cased (and lemmatised as a noun with WordNet, when asked). Each
distinct word is looked up once; the per-row results are sums over the flat token arrays.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, ColumnReader
from monitorflow.descriptors.base import Descriptor, PairDescriptor, check_mode
from monitorflow.descriptors.lexicons import english_words, lemmatize
from monitorflow.descriptors.text import Tokens, as_items, texts, word_tokens


def normalised_words(
    data: ColumnReader, column: ColumnName | None, lemmatized: bool
) -> tuple[Tokens, list[str]]:
    """The column's word tokens and, per vocabulary entry, the lower-cased (lemmatised) word."""

    def compute() -> list[str]:
        lower = [w.lower() for w in word_tokens(data, column).vocabulary]
        return [lemmatize(w) for w in lower] if lemmatized else lower

    return word_tokens(data, column), data.memo(("normalised-words", column, lemmatized), compute)


class OOV(Descriptor):
    """Percent of words that are not English words (NLTK's list, after lemmatising); 0 without words."""

    ignore_words: tuple[str, ...] = ()
    default_name = "OOV Words % for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        tokens, lower = normalised_words(data, column, lemmatized=False)
        lemmas = normalised_words(data, column, lemmatized=True)[1]
        known = english_words()
        ignored = set(self.ignore_words)
        oov = np.array(
            [w not in ignored and lemma not in known for w, lemma in zip(lower, lemmas, strict=True)],
            dtype="float64",
        )
        counts = tokens.counts
        with np.errstate(invalid="ignore", divide="ignore"):
            percent = np.where(counts > 0, 100 * tokens.per_row(oov) / counts, 0.0)
        return pd.Series(percent)


def _listed(tokens: Tokens, words: list[str], listed: set[str]) -> np.ndarray:
    """Per row: how many distinct listed words occur (the vocabulary entries normalised as ``words``)."""
    is_listed = np.array([w in listed for w in words], dtype=bool)
    if not is_listed.any():
        return np.zeros(len(tokens.counts), dtype=np.int64)
    wanted = is_listed[tokens.codes]
    ids = pd.factorize(np.array(words, dtype=object))[0][tokens.codes[wanted]]
    pairs = pd.unique(tokens.rows[wanted] * (int(ids.max()) + 1) + ids)
    return np.bincount(pairs // (int(ids.max()) + 1), minlength=len(tokens.counts))


class TriggerWordsPresence(Descriptor):
    """1 if any word (lower-cased, lemmatised if asked) is in ``words_list``, else 0."""

    words_list: list[str]
    lemmatize: bool = True
    column_type = "cat"
    default_name = "TriggerWordsPresent [words: {words_list}, lemmatize: {lemmatize}] for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        tokens, words = normalised_words(data, column, self.lemmatize)
        found = _listed(tokens, words, set(self.words_list)) > 0
        return pd.Series(found.astype(np.int64))


class _WordsPresence(Descriptor):
    words_list: list[str]
    mode: str = "any"
    lemmatize: bool = True
    column_type = "cat"
    #: "includes" or "excludes"
    check: ClassVar[str] = "includes"

    def model_post_init(self, context: Any) -> None:
        check_mode(self.mode.removeprefix(f"{self.check}_"), ("any", "all"), type(self).__name__)

    def title(self, column: ColumnName | None) -> str:
        if self.display_name:
            return self.display_name
        mode = f"{self.check}_{self.mode.removeprefix(f'{self.check}_')}"
        verb = self.check.capitalize()
        return f"Text {verb} {mode} words [{self.words_list}], lemmatize: {self.lemmatize}] for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        tokens, words = normalised_words(data, column, self.lemmatize)
        listed = set(self.words_list)
        present = _listed(tokens, words, listed)
        every = self.mode.endswith("all") if self.check == "includes" else self.mode.endswith("any")
        result = present == len(listed) if every else present > 0
        if self.check == "excludes":
            result = ~result
        result[texts(data, column).missing] = False  # Evidently: a missing text is False in every mode
        return pd.Series(result)


class IncludesWords(_WordsPresence):
    """True if the text holds any (``mode="any"``) or all (``"all"``) of ``words_list``."""

    check: ClassVar[str] = "includes"


class ExcludesWords(_WordsPresence):
    """True if the text holds none (``mode="all"``, the default) or not all (``"any"``) of ``words_list``."""

    mode: str = "all"
    check: ClassVar[str] = "excludes"


class _RowWords(PairDescriptor):
    """Words of the text against the list of words in ``with_column`` of the same row."""

    mode: str = "any"
    lemmatize: bool = True
    column_type = "cat"
    check: ClassVar[str] = "includes"

    def model_post_init(self, context: Any) -> None:
        check_mode(self.mode, ("any", "all"), type(self).__name__)

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        tokens, words = normalised_words(data, column, self.lemmatize)
        missing = texts(data, column).missing
        expected = data.column(self.with_column).tolist()
        by_row: list[set[str]] = [set() for _ in range(len(missing))]
        for row, code in zip(tokens.rows.tolist(), tokens.codes.tolist(), strict=True):
            by_row[row].add(words[code])
        result = []
        for present, listed in zip(by_row, expected, strict=True):
            wanted = set(as_items(listed))
            hits = len(wanted & present)
            # as Evidently: "all" for includes and "any" for excludes ask whether every word is present
            every = (self.mode == "all") == (self.check == "includes")
            found = hits == len(wanted) if every else hits > 0
            result.append(not found if self.check == "excludes" else found)
        return pd.Series(result, dtype=bool)


class WordMatch(_RowWords):
    """True if the text holds any/all of the words listed in ``with_column`` (a missing text is "")."""

    default_name = "Text contains {mode} defined words"


class WordNoMatch(_RowWords):
    """True if the text lacks any/all of the words listed in ``with_column``."""

    check: ClassVar[str] = "excludes"
    default_name = "Text does not contain {mode} defined words"

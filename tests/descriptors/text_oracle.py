"""Evidently's descriptors, row by row in plain Python: the reference the vectorised ones must equal.

Written from Evidently's documented behaviour (``shared/reference/descriptors-facts.md``), one value at a
time with the standard library; sentiment and lemmas use NLTK itself (with the lexicon and WordNet
data of ``text_nltk_data``), so they are independent of monitorflow's code.
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.support.text_nltk_data import build, missing_wordnet

SENTENCE_SPLIT = re.compile(r"(?<!\w\.\w.)(?<![A-Z][a-z]\.)(?<=\.|\?)\s")


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def text_length(value: str | None) -> int:
    return 0 if missing(value) else len(value)


def word_count(value: str | None) -> int:
    return 0 if missing(value) else len(re.sub(r"[^a-zA-Z ]+", "", value).split())


def sentence_count(value: str | None) -> int:
    return 0 if missing(value) else max(1, len(SENTENCE_SPLIT.split(value)))


def non_letter_percent(value: str | None) -> float:
    if missing(value):
        return 0
    if not value:
        return 0.0  # Evidently divides by zero here
    return 100 * sum(1 for ch in value if not ch.isalpha() and ch != " ") / len(value)


def words(value: str) -> list[str]:
    return re.sub("[^A-Za-z0-9 ]+", "", value).split()


@cache
def nltk_tools(root: str) -> tuple[Any, Any, set[str]]:
    """NLTK's lemmatizer, VADER analyser and word set, reading the data built in ``root``."""
    import nltk
    from nltk.corpus.reader import WordListCorpusReader
    from nltk.corpus.reader.wordnet import WordNetCorpusReader
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    nltk.data.path.insert(0, root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available": not used here
        wordnet = WordNetCorpusReader(str(Path(root) / "corpora" / "wordnet"), None)
    analyser = SentimentIntensityAnalyzer(
        lexicon_file="sentiment/vader_lexicon.zip/vader_lexicon/vader_lexicon.txt"
    )
    english = set(WordListCorpusReader(str(Path(root) / "corpora" / "words"), ["en"]).words())
    return wordnet, analyser, english


def lemmatize(wordnet: Any, word: str) -> str:
    lemmas = wordnet._morphy(word, "n")  # what WordNetLemmatizer().lemmatize(word) does
    return min(lemmas, key=len) if lemmas else word


@pytest.fixture(scope="session")
def nltk_root(tmp_path_factory: pytest.TempPathFactory) -> str:
    """NLTK data built from the packages and Debian's WordNet (``make system-deps`` installs it)."""
    absent = missing_wordnet()
    if absent:
        pytest.fail(f"Debian's WordNet is missing {absent}: apt-get install wordnet-base wordnet-sense-index")
    return str(build(tmp_path_factory.mktemp("nltk_data")))


class Oracle:
    """Per-row Evidently semantics, with NLTK's tools."""

    def __init__(self, root: str):
        self.wordnet, self.analyser, self.english = nltk_tools(root)

    def oov(self, value: str | None, ignore: tuple[str, ...] = ()) -> float:
        if missing(value):
            return 0
        tokens = words(value)
        if not tokens:
            return 0
        oov = sum(
            1
            for w in tokens
            if w.lower() not in ignore and lemmatize(self.wordnet, w.lower()) not in self.english
        )
        return 100 * oov / len(tokens)

    def sentiment(self, value: str | None) -> float:
        return 0 if missing(value) else self.analyser.polarity_scores(value)["compound"]

    def trigger(self, value: str | None, listed: list[str], lemmatized: bool = True) -> int:
        if missing(value):
            return 0
        for w in words(value):
            w = w.lower()
            if (lemmatize(self.wordnet, w) if lemmatized else w) in listed:
                return 1
        return 0

    def word_presence(self, value: str | None, listed: list[str], mode: str, lemmatized: bool = True) -> bool:
        """Evidently's include/exclude words, ``mode`` like "includes_any"."""
        if missing(value):
            return False
        remaining, result = set(listed), False
        for w in words(value):
            w = w.lower()
            w = lemmatize(self.wordnet, w) if lemmatized else w
            if w in remaining:
                if mode in ("includes_all", "excludes_any"):
                    remaining.discard(w)
                else:
                    result = True
        if mode in ("includes_all", "excludes_any"):
            result = not remaining
        return not result if mode.startswith("excludes") else result

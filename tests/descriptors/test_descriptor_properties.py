"""Vectorised descriptors equal Evidently's per-row definitions on any text (hypothesis).

The reference (``text_oracle``) is Evidently's behaviour written out row by row, with NLTK's own VADER
and WordNet lemmatizer. Texts mix ASCII, punctuation VADER knows, sentiment words, capitals, every
kind of Unicode whitespace, accented and non-Latin letters, digits in other scripts and emoji.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from monitorflow.descriptors import (
    OOV,
    ExcludesWords,
    IncludesWords,
    NonLetterCharacterPercentage,
    SentenceCount,
    Sentiment,
    TextLength,
    TriggerWordsPresence,
    WordCount,
)
from tests.descriptors import text_oracle as ref
from tests.descriptors.text_helpers import run

WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
WORDS = [
    "good",
    "great",
    "love",
    "hate",
    "bad",
    "not",
    "never",
    "so",
    "this",
    "but",
    "kind",
    "of",
    "sort",
    "least",
    "at",
    "very",
    "the",
    "shit",
    "bomb",
    "kiss",
    "death",
    "extremely",
    "barely",
    "kinda",
    "isn't",
    "don't",
    "without",
    "GOOD",
    "BAD",
    "VERY",
    "Mr",
    "Dr",
    "cats",
    "geese",
    "children",
    "was",
    "running",
    "boxes",
    "wolves",
    "ok",
    "lol",
    ":)",
    ":(",
    ":-)",
    "<3",
    "!!",
    "???",
    "...",
    "e.g.",
    "U.S.",
    "cafe",
    "café",
    "naïve",
]
FRAGMENTS = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=string.ascii_letters + string.digits + string.punctuation, max_size=6),
    st.text(alphabet=WHITESPACE, min_size=1, max_size=3),
    st.text(max_size=4),  # any code points, emoji and right-to-left scripts included
)
TEXTS = st.lists(FRAGMENTS, max_size=25).map(
    lambda parts: "".join(p if p.strip() == "" else p + " " for p in parts)
)
COLUMNS = st.lists(st.one_of(TEXTS, st.none()), min_size=1, max_size=12)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(COLUMNS)
@example(["\U00031350 a. b"])  # a letter of Unicode 15 (CJK Ext. H): Arrow knows it, Python 3.11 does not
def test_text_statistics_equal_the_per_row_definitions(values):
    assert run(TextLength(), values) == [ref.text_length(v) for v in values]
    assert run(WordCount(), values) == [ref.word_count(v) for v in values]
    assert run(SentenceCount(), values) == [ref.sentence_count(v) for v in values]
    assert run(NonLetterCharacterPercentage(), values) == [ref.non_letter_percent(v) for v in values]


@SETTINGS
@given(COLUMNS)
def test_sentiment_equals_nltk_vader(oracle, values):
    assert run(Sentiment(), values) == [oracle.sentiment(v) for v in values]


@SETTINGS
@given(COLUMNS, st.lists(st.sampled_from(["ok", "lol", "cafe", "e"]), max_size=2))
def test_oov_equals_nltk_words_and_wordnet(oracle, values, ignore):
    ignored = tuple(ignore)
    assert run(OOV(ignore_words=ignored), values) == [oracle.oov(v, ignored) for v in values]


@SETTINGS
@given(
    COLUMNS,
    st.lists(st.sampled_from(["cat", "goose", "child", "good", "was", "wa", "box"]), max_size=3),
    st.booleans(),
)
def test_word_lists_equal_evidently(oracle, values, listed, lemmatized):
    assert run(TriggerWordsPresence(words_list=listed, lemmatize=lemmatized), values) == [
        oracle.trigger(v, listed, lemmatized) for v in values
    ]
    for mode in ("any", "all"):
        assert run(IncludesWords(words_list=listed, mode=mode, lemmatize=lemmatized), values) == [
            oracle.word_presence(v, listed, f"includes_{mode}", lemmatized) for v in values
        ]
        assert run(ExcludesWords(words_list=listed, mode=mode, lemmatize=lemmatized), values) == [
            oracle.word_presence(v, listed, f"excludes_{mode}", lemmatized) for v in values
        ]

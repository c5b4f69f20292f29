"""Descriptor values on hand-picked texts (Evidently's verified outputs), and on hostile input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitorflow import descriptors as d
from monitorflow.errors import ConfigurationError, MissingDependencyError
from tests.descriptors.text_helpers import run
from tests.support.paths import REPO


def test_text_statistics_of_evidently_examples():
    texts = [
        "Hello world. How are you? Fine!",
        "One! Two! Three!",
        "Hi.  There",
        "Mr. Smith went. Done.",
        "Hello. ",
        "",
        "   ",
        None,
    ]
    assert run(d.SentenceCount(), texts) == [3, 1, 1, 2, 2, 1, 1, 0]
    assert run(d.WordCount(), ["don't stop-me now 42x café", "hello\nworld", None]) == [5, 1, 0]
    assert run(d.TextLength(), ["héllo 👋", "", None]) == [7, 0, 0]
    assert run(d.NonLetterCharacterPercentage(), ["ab 1!", "", "\t"]) == [40.0, 0.0, 100.0]


def test_sentiment_and_oov_of_known_texts():
    assert run(d.Sentiment(), ["I love this product! It is great :)", "", None]) == [0.9117, 0.0, 0]
    # "geese" lemmatises to "goose"; "Zentrix" (a brand), "ok" and "42"
    # are out of vocabulary
    values = run(d.OOV(), ["The geese met Zentrix ok 42", "", None])
    assert values == [pytest.approx(100 * 3 / 6), 0, 0]
    assert run(d.OOV(ignore_words=("ok",)), ["The geese met Zentrix ok 42"]) == [pytest.approx(100 * 2 / 6)]


def test_pattern_descriptors_follow_evidently():
    assert run(d.RegExp(reg_exp=r"\d+"), ["123", "12a", None]) == [1, 0, 0]
    assert run(d.RegExp(reg_exp="None"), [None]) == [1]  # Evidently matches str(None)
    assert run(d.Contains(items=["a.c"]), ["xabcx", "ac", None]) == [True, False, None]  # items are regex
    assert run(d.Contains(items=["A", "b"], mode="all", case_sensitive=False), ["ab", "a"]) == [True, False]
    assert run(d.DoesNotContain(items=["a", "b"]), ["ab", "a", "zz", None]) == [False, True, True, True]
    assert run(d.DoesNotContain(items=["a", "b"], mode="any"), ["ab", "a", "zz"]) == [False, False, True]
    assert run(d.BeginsWith(prefix="He"), ["Hello", "hello", None]) == [True, False, None]
    assert run(d.BeginsWith(prefix="STRASSE", case_sensitive=False), ["straße 1"]) == [True]  # casefold
    assert run(d.EndsWith(suffix="!"), ["hi!", "hi"]) == [True, False]
    links = [
        "see https://x.org/a now",
        "www.x.com",
        "mailto:a@b.c",
        "http:/x",
        "ftp://x.org/a",
        None,
        "http://[::1",
    ]
    assert run(d.ContainsLink(), links) == [True, False, False, False, True, False, False]


def test_pair_descriptors_read_the_other_column():
    frame_items = pd.Series([["cat", "dog"], ["cat"], None, np.array(["x"])], dtype=object)
    texts = ["a cat and a dog", "a dog", "cat", None]
    assert run(d.ItemMatch(with_column="items"), texts, items=frame_items) == [True, False, False, None]
    assert run(d.ItemMatch(with_column="items", mode="all"), texts, items=frame_items) == [
        True,
        False,
        True,
        None,
    ]
    assert run(d.ItemNoMatch(with_column="items"), texts, items=frame_items) == [False, True, True, None]
    words = pd.Series([["cat"], ["geese"], None, ["x", "y"]], dtype=object)
    assert run(d.WordMatch(with_column="w"), ["Cats!", "one goose", "z", None], w=words) == [
        True,
        False,
        False,
        False,
    ]
    assert run(d.WordNoMatch(with_column="w", mode="all"), ["Cats!", "one goose", "z", None], w=words) == [
        False,
        True,
        True,  # "all" of WordNoMatch: none of the words is present
        True,
    ]
    assert run(d.ExactMatch(with_column="o"), ["a", "b", None], o=["a", "c", None]) == [True, False, False]


def test_validity_descriptors():
    assert run(d.IsValidJSON(), ['{"a": 1}', "1", "null", "", "   ", "{", None]) == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    schema = d.JSONSchemaMatch(expected_schema={"a": int, "b": str}, validate_types=True)
    values = [
        '{"a": 1, "b": "x"}',
        '{"a": "1", "b": "x"}',
        '{"a": 1}',
        "[1]",
        '{"a": 1, "b": "x", "c": 0}',
        None,
    ]
    assert run(schema, values) == [True, False, False, False, True, False]
    exact = d.JSONSchemaMatch(expected_schema={"a": int, "b": str}, exact_match=True)
    assert run(exact, values) == [True, False, False, False, False, False]
    assert schema.params()["expected_schema"] == {"a": "int", "b": "str"}  # stored by type name
    assert d.JSONSchemaMatch(**schema.params()) == schema
    assert run(
        d.JSONMatch(with_column="o"), ['{"a": 1, "b": 2}', "[1]", None], o=['{"b": 2, "a": 1.0}', "[2]", None]
    ) == [
        True,
        False,
        False,
    ]
    assert run(d.IsValidPython(), ["x = 1", "", "word", "def (", "a\x00b", None]) == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert run(d.IsValidSQL(), ["SELECT a FROM t; SELECT 1", "DELETE FROM t", "", None]) == [
        True,
        False,
        True,
        False,
    ]


def test_custom_descriptors():
    length = d.CustomColumnEval(func=lambda s: s.str.len(), display_name="chars", feature_type="num")
    assert run(length, ["ab", "c"]) == [2, 1]
    both = d.CustomPairColumnEval(
        func=lambda a, b: a + b,
        display_name="joined",
        first_column="text",
        second_column="o",
        feature_type="cat",
    )
    column = both.as_column()
    assert str(column) == "joined" and column.derivation.sources == ("text", "o")
    with pytest.raises(ConfigurationError, match="feature_type"):
        d.CustomColumnEval(func=len, display_name="x", feature_type="date")


def test_display_names_are_evidentlys():
    assert d.TextLength().on("r") == "Text Length for r"
    assert d.OOV().on("r") == "OOV Words % for r"
    assert (
        d.TriggerWordsPresence(words_list=["a"]).on("r")
        == "TriggerWordsPresent [words: ['a'], lemmatize: True] for r"
    )
    assert (
        d.IncludesWords(words_list=["a"]).on("r")
        == "Text Includes includes_any words [['a']], lemmatize: True] for r"
    )
    assert (
        d.ExcludesWords(words_list=["a"]).on("r")
        == "Text Excludes excludes_all words [['a']], lemmatize: True] for r"
    )
    assert d.DoesNotContain(items=["a", "b"]).on("r") == "Text Does Not Contain of all [a, b] for r"
    assert d.RegExp(reg_exp="x").on("r") == "RegExp 'x' Match for column r"
    assert d.ContainsLink().on("r") == "r contains link"
    assert d.TextLength(display_name="Length").for_column("r") == "Length"


def test_bad_parameters_are_configuration_errors():
    with pytest.raises(ConfigurationError, match="invalid regular expression"):
        d.RegExp(reg_exp="(")
    with pytest.raises(ConfigurationError, match="mode must be one of"):
        d.Contains(items=["a"], mode="some")
    with pytest.raises(ConfigurationError, match="colour: Extra inputs are not permitted"):
        d.TextLength(colour="red")


@pytest.mark.parametrize(
    "module, package",
    [
        ("english_words", "english-words"),
        ("spacy_lookups_data", "spacy-lookups-data"),
        ("vaderSentiment", "vaderSentiment"),
    ],
)
def test_missing_data_package_names_the_extra(monkeypatch, module, package):
    from monitorflow.descriptors import lexicons

    for cached in (lexicons.english_words, lexicons.noun_lemmas, lexicons.vader_lexicon):
        cached.cache_clear()
    monkeypatch.setitem(__import__("sys").modules, module, None)
    descriptor = {"english_words": d.OOV(), "spacy_lookups_data": d.OOV(), "vaderSentiment": d.Sentiment()}[
        module
    ]
    try:
        with pytest.raises(MissingDependencyError) as caught:
            run(descriptor, ["some words"])
        assert caught.value.package == package
        assert "pip install 'monitorflow[text]'" in str(caught.value)
    finally:
        for cached in (lexicons.english_words, lexicons.noun_lemmas, lexicons.vader_lexicon):
            cached.cache_clear()


def test_the_text_extra_lists_every_package_the_hints_name():
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    listed = " ".join(extras["text"])
    for package in ("english-words", "spacy-lookups-data", "vaderSentiment", "sqlvalidator"):
        assert package in listed
    assert "sentence-transformers" in " ".join(extras["models"]) and "transformers" in " ".join(
        extras["models"]
    )


HOSTILE = st.one_of(
    st.none(),
    st.just(math.nan),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.binary(max_size=20),  # invalid UTF-8 included
    st.text(max_size=30),  # emoji, right-to-left scripts, controls
    st.text(alphabet="\ud800\udfffab \u202e\u05d0\u0627😀", max_size=10),  # lone surrogates
    st.just("word " * 5000),  # very long
    st.lists(st.text(max_size=3), max_size=3),
)
SINGLE = [
    d.TextLength(),
    d.WordCount(),
    d.SentenceCount(),
    d.NonLetterCharacterPercentage(),
    d.OOV(),
    d.Sentiment(),
    d.TriggerWordsPresence(words_list=["word"]),
    d.IncludesWords(words_list=["word"]),
    d.ExcludesWords(words_list=["x"]),
    d.RegExp(reg_exp="w.*"),
    d.BeginsWith(prefix="w"),
    d.EndsWith(suffix="d", case_sensitive=False),
    d.Contains(items=["or"]),
    d.Contains(items=["or"], mode="all"),
    d.DoesNotContain(items=["or"]),
    d.DoesNotContain(items=["or"], mode="any"),
    d.IsValidJSON(),
    d.JSONSchemaMatch(expected_schema={"a": None}),
    d.IsValidPython(),
    d.ContainsLink(),
]
PAIRED = [
    d.ItemMatch(with_column="o"),
    d.ItemNoMatch(with_column="o", mode="all"),
    d.WordMatch(with_column="o"),
    d.WordNoMatch(with_column="o"),
    d.ExactMatch(with_column="o"),
    d.JSONMatch(with_column="o"),
]


@settings(max_examples=60, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=8), st.lists(HOSTILE, min_size=8, max_size=8))
def test_any_value_gives_a_value_or_nan_never_an_error(values, others):
    for descriptor in [*SINGLE, *PAIRED]:
        result = run(descriptor, values, o=pd.Series(others[: len(values)], dtype=object))
        assert len(result) == len(values)
        if descriptor.column_type == "num":
            assert all(isinstance(v, int | float) for v in result), descriptor
            assert all(
                v >= 0 for v in result if not math.isnan(v) and not isinstance(descriptor, d.Sentiment)
            )
        else:
            assert all(v is None or isinstance(v, bool | int | np.bool_) for v in result), descriptor

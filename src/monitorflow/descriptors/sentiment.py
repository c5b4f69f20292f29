"""Sentiment: VADER's compound score as NLTK computes it (Evidently's ``Sentiment``), vectorised.

The rules are VADER's (Hutto and Gilbert, 2014) with NLTK's reading of them, including its quirks:
a repeated token is scored in the context of its first occurrence, idioms and "never so" compare
tokens case-sensitively, and ``!``/``?`` are counted over the whole text. The lexicon comes from the
``vaderSentiment`` package (see :mod:`monitorflow.descriptors.lexicons`).

Work per row is done on flat token arrays: every distinct token is classified once in Python, then
the context rules (caps, boosters, negations, "least", "but", idioms) are array operations over the
tokens that carry a valence. Floating-point operations happen in NLTK's order, so scores are equal.
"""

from __future__ import annotations

import string
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from monitorflow._types import ColumnName, ColumnReader
from monitorflow.descriptors.base import Descriptor
from monitorflow.descriptors.lexicons import vader_lexicon
from monitorflow.descriptors.text import Tokens, texts, whitespace_tokens

BOOST = 0.293
CAPS_BOOST = 0.733
NEGATION_SCALAR = -0.74
NORMALISATION_ALPHA = 15

NEGATIONS = frozenset(
    [
        "aint",
        "arent",
        "cannot",
        "cant",
        "couldnt",
        "darent",
        "didnt",
        "doesnt",
        "ain't",
        "aren't",
        "can't",
        "couldn't",
        "daren't",
        "didn't",
        "doesn't",
        "dont",
        "hadnt",
        "hasnt",
        "havent",
        "isnt",
        "mightnt",
        "mustnt",
        "neither",
        "don't",
        "hadn't",
        "hasn't",
        "haven't",
        "isn't",
        "mightn't",
        "mustn't",
        "neednt",
        "needn't",
        "never",
        "none",
        "nope",
        "nor",
        "not",
        "nothing",
        "nowhere",
        "oughtnt",
        "shant",
        "shouldnt",
        "uhuh",
        "wasnt",
        "werent",
        "oughtn't",
        "shan't",
        "shouldn't",
        "uh-uh",
        "wasn't",
        "weren't",
        "without",
        "wont",
        "wouldnt",
        "won't",
        "wouldn't",
        "rarely",
        "seldom",
        "despite",
    ]
)
_INCREASING = [
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormously",
    "entirely",
    "especially",
    "exceptionally",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fucking",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredibly",
    "intensely",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "totally",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utterly",
    "very",
]
_DECREASING = [
    "almost",
    "barely",
    "hardly",
    "kinda",
    "kindof",
    "kind-of",
    "less",
    "little",
    "marginally",
    "occasionally",
    "partly",
    "scarcely",
    "slightly",
    "somewhat",
    "sorta",
    "sortof",
    "sort-of",
]
#: Intensifiers (single tokens) and their boost.
BOOSTERS = {**dict.fromkeys(_INCREASING, BOOST), **dict.fromkeys(_DECREASING, -BOOST)}
#: Two-token dampeners, matched just before a sentiment word.
BOOSTER_PAIRS = (("just", "enough"), ("kind", "of"), ("sort", "of"))
#: Idioms whose valence replaces the word's.
IDIOMS = {
    ("the", "shit"): 3.0,
    ("the", "bomb"): 3.0,
    ("bad", "ass"): 1.5,
    ("yeah", "right"): -2.0,
    ("cut", "the", "mustard"): 2.0,
    ("kiss", "of", "death"): -1.5,
    ("hand", "to", "mouth"): -2.0,
}
#: Punctuation stripped from a word's start or end when it is exactly one of these.
EDGE_PUNCTUATION = frozenset(
    [".", "!", "?", ",", ";", ":", "-", "'", '"', "!!", "!!!", "??", "???", "?!?", "!?!", "?!?!", "!?!?"]
)
_PUNCTUATION = frozenset(string.punctuation)


def strip_edge_punctuation(token: str) -> str:
    """A token without its leading or trailing punctuation, when VADER strips it (see EDGE_PUNCTUATION)."""
    if token[:1] not in _PUNCTUATION and token[-1:] not in _PUNCTUATION:
        return token  # the common case, quickly
    lead = len(token) - len(token.lstrip(string.punctuation))
    trail = len(token) - len(token.rstrip(string.punctuation))
    if lead and not trail:
        edge, rest = token[:lead], token[lead:]
    elif trail and not lead:
        edge, rest = token[-trail:], token[:-trail]
    else:
        return token
    if edge in EDGE_PUNCTUATION and len(rest) > 1 and not _PUNCTUATION.intersection(rest):
        return rest
    return token


class _Vocabulary:
    """What VADER needs to know about each distinct token, as arrays indexed by token id."""

    def __init__(self, words: list[str], lexicon: dict[str, float]):
        lower = [w.lower() for w in words]

        def flags(values: list[bool]) -> np.ndarray:
            return np.array(values, dtype=bool)

        self.words = words
        self.valence = np.array([lexicon.get(w, np.nan) for w in lower], dtype="float64")
        self.in_lexicon = ~np.isnan(self.valence)
        self.boost = np.array([BOOSTERS.get(w, 0.0) for w in lower], dtype="float64")
        self.is_booster = flags([w in BOOSTERS for w in lower])
        self.upper = flags([w.isupper() for w in words])
        self.negation = flags([w in NEGATIONS or "n't" in w for w in lower])
        self.so_or_this = flags([w in ("so", "this") for w in words])
        self.never = flags([w == "never" for w in words])
        names = ("kind", "of", "least", "at", "very", "but")
        self.lower_is = {key: flags([w == key for w in lower]) for key in names}
        ids = {w: i for i, w in enumerate(words)}
        self.id_of = lambda word: ids.get(word, -1)


def _vader_tokens(tokens: Tokens) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """VADER's words: tokens longer than one character, edge punctuation stripped; (codes, rows, words)."""
    keep_word = np.array([len(w) > 1 for w in tokens.vocabulary], dtype=bool)
    stripped = [strip_edge_punctuation(w) for w in tokens.vocabulary]
    codes, words = pd.factorize(np.array(stripped, dtype=object))
    keep = keep_word[tokens.codes]
    return np.asarray(codes, dtype=np.int64)[tokens.codes[keep]], tokens.rows[keep], list(words)


def compound_scores(array: object, tokens: Tokens, lexicon: dict[str, float]) -> np.ndarray:
    """VADER's compound score of each row, rounded to 4 decimals as NLTK does."""
    n_rows = len(tokens.counts)
    codes, rows, words = _vader_tokens(tokens)
    vocab = _Vocabulary(words, lexicon)
    counts = np.bincount(rows, minlength=n_rows)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    position = np.arange(len(codes)) - starts[rows]
    uppers = np.bincount(rows, weights=vocab.upper[codes], minlength=n_rows)
    caps_differ = (counts - uppers > 0) & (counts - uppers < counts)

    scored = np.flatnonzero(vocab.in_lexicon[codes] & ~vocab.is_booster[codes])
    # NLTK scores a repeated token where it first occurs in the text
    key = rows[scored] * (len(words) + 1) + codes[scored]
    _, first, back = np.unique(key, return_index=True, return_inverse=True)
    at = scored[first]
    valence = _valence_at(at, codes, rows, position, counts, caps_differ, vocab)
    sentiments = valence[back.reshape(-1)]

    # "but": halve what comes before the first "but", add half to what comes after
    is_but = vocab.lower_is["but"][codes]
    first_but = np.full(n_rows, np.iinfo(np.int64).max)
    np.minimum.at(first_but, rows[is_but], position[is_but])
    but_at = first_but[rows[scored]]
    has_but = but_at != np.iinfo(np.int64).max
    where = position[scored]
    sentiments = np.where(has_but & (where < but_at), sentiments * 0.5, sentiments)
    sentiments = np.where(has_but & (where > but_at), sentiments * 1.5, sentiments)

    total = _sequential_sums(rows[scored], sentiments, n_rows)
    exclamations = np.minimum(_count(array, "!"), 4) * 0.292
    questions = _count(array, "?")
    questions = np.where(questions > 1, np.where(questions <= 3, questions * 0.18, 0.96), 0)
    emphasis = exclamations + questions
    total = np.where(total > 0, total + emphasis, np.where(total < 0, total - emphasis, total))
    compound = total / np.sqrt(total * total + NORMALISATION_ALPHA)
    return np.array([round(c, 4) for c in compound.tolist()])


def _count(array: object, character: str) -> np.ndarray:
    counted = pc.count_substring(array, character)
    return np.nan_to_num(np.asarray(counted.to_numpy(zero_copy_only=False), dtype="float64"))


def _sequential_sums(rows: np.ndarray, values: np.ndarray, n_rows: int) -> np.ndarray:
    """Per-row sums added left to right, as Python's ``sum`` does (zeros skipped: they change nothing).

    Step r adds every row's r-th value at once (rows are sorted, so a row occurs once per step).
    """
    nonzero = values != 0
    rows, values = rows[nonzero], values[nonzero]
    total = np.zeros(n_rows)
    if not len(rows):
        return total
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    order = np.argsort(rank, kind="stable")
    bounds = np.searchsorted(rank[order], np.arange(int(rank.max()) + 2))
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        step = order[start:end]
        total[rows[step]] += values[step]
    return total


def _valence_at(
    at: np.ndarray,
    codes: np.ndarray,
    rows: np.ndarray,
    position: np.ndarray,
    counts: np.ndarray,
    caps_differ: np.ndarray,
    vocab: _Vocabulary,
) -> np.ndarray:
    """VADER's valence of the sentiment words at flat indices ``at``, in their context."""
    word = codes[at]
    i = position[at]
    n = counts[rows[at]]
    caps = caps_differ[rows[at]]

    def before(k: int) -> np.ndarray:
        return codes[np.maximum(at - k, 0)]

    def window(offsets: tuple[int, ...], phrase: tuple[str, ...]) -> np.ndarray:
        ids = [vocab.id_of(w) for w in phrase]
        found = np.zeros(len(at), dtype=bool)
        if min(ids) < 0:  # a word of the phrase occurs in no text
            return found
        candidates = np.arange(len(at))
        for offset, wanted in sorted(zip(offsets, ids, strict=True), key=lambda pair: pair[0] != 0):
            j = i[candidates] + offset  # the sentiment word itself (offset 0) first: it narrows most
            inside = (j >= 0) & (j < n[candidates])
            inside[inside] = codes[at[candidates[inside]] + offset] == wanted
            candidates = candidates[inside]
        found[candidates] = True
        return found

    kind_of = (
        vocab.lower_is["kind"][word]
        & (i < n - 1)
        & vocab.lower_is["of"][codes[np.minimum(at + 1, len(codes) - 1)]]
    )
    v = vocab.valence[word].copy()
    shout = vocab.upper[word] & caps
    v = np.where(shout, np.where(v > 0, v + CAPS_BOOST, v - CAPS_BOOST), v)
    for k in range(3):
        prior = before(k + 1)
        active = (i > k) & ~vocab.in_lexicon[prior]
        boost = np.where(v < 0, -vocab.boost[prior], vocab.boost[prior])
        shouted = vocab.is_booster[prior] & vocab.upper[prior] & caps
        boost = np.where(shouted, np.where(v > 0, boost + CAPS_BOOST, boost - CAPS_BOOST), boost)
        if k > 0:
            boost = np.where(boost != 0, boost * (0.95 if k == 1 else 0.9), boost)
        updated = v + boost
        if k == 0:
            updated = np.where(vocab.negation[prior], updated * NEGATION_SCALAR, updated)
        elif k == 1:
            never_so = vocab.never[before(2)] & vocab.so_or_this[before(1)]
            updated = np.where(
                never_so,
                updated * 1.5,
                np.where(vocab.negation[before(2)], updated * NEGATION_SCALAR, updated),
            )
        else:
            so = (vocab.never[before(3)] & vocab.so_or_this[before(2)]) | vocab.so_or_this[before(1)]
            updated = np.where(
                so, updated * 1.25, np.where(vocab.negation[before(3)], updated * NEGATION_SCALAR, updated)
            )
            updated = _idioms(updated, window)
        v = np.where(active, updated, v)
    least = ~vocab.in_lexicon[before(1)] & vocab.lower_is["least"][before(1)]
    not_at_very = ~vocab.lower_is["at"][before(2)] & ~vocab.lower_is["very"][before(2)]
    v = np.where((i > 1) & least & not_at_very, v * NEGATION_SCALAR, v)
    v = np.where((i == 1) & least, v * NEGATION_SCALAR, v)
    return np.where(kind_of, 0.0, v)


#: ``window(offsets, words)``: the rows whose words at those offsets from the sentiment word are ``words``.
PhraseWindow = Callable[[tuple[int, ...], tuple[str, ...]], np.ndarray]


def _idioms(v: np.ndarray, window: PhraseWindow) -> np.ndarray:
    """VADER's idiom rules (checked with three words before the sentiment word)."""
    matched = np.zeros(len(v), dtype=bool)
    for offsets in ((-1, 0), (-2, -1, 0), (-2, -1), (-3, -2, -1), (-3, -2)):  # NLTK's order; first wins
        for phrase, value in IDIOMS.items():
            if len(phrase) == len(offsets):
                hit = ~matched & window(offsets, phrase)
                v = np.where(hit, value, v)
                matched |= hit
    for offsets in ((0, 1), (0, 1, 2)):  # idioms that start at the word override
        for phrase, value in IDIOMS.items():
            if len(phrase) == len(offsets):
                v = np.where(window(offsets, phrase), value, v)
    dampened = np.zeros(len(v), dtype=bool)
    for pair in BOOSTER_PAIRS:
        dampened |= window((-3, -2), pair) | window((-2, -1), pair)
    return np.where(dampened, v - BOOST, v)


class Sentiment(Descriptor):
    """VADER's compound sentiment in [-1, 1] (NLTK's analyser, as Evidently uses it); 0 when missing."""

    default_name = "Sentiment for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        text = texts(data, column)
        scores = compound_scores(text.array, whitespace_tokens(data, column), vader_lexicon())
        scores[text.missing] = 0.0
        return pd.Series(scores)

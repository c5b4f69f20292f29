"""NLTK data for Evidently (and the NLTK reference in tests)'s interpreter, built from what is on this
machine (Evidently would download it).

- ``sentiment/vader_lexicon.zip`` and ``corpora/words/en``: from the packages monitorflow itself reads
  (``vaderSentiment``, ``english-words``, patched to NLTK's copies; see monitorflow.descriptors.lexicons).
  These match NLTK's files, so the parity tests compare the algorithms on equal data.
- ``corpora/wordnet``: WordNet 3.0 from Debian (``wordnet-base`` and ``wordnet-sense-index``, installed by
  ``make system-deps``), plus its standard ``lexnames`` list. This is an independent copy of the data
  monitorflow takes from ``spacy-lookups-data``.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from monitorflow.descriptors.lexicons import english_words, vader_lexicon

DEBIAN_WORDNET = Path("/usr/share/wordnet")
WORDNET_FILES = [
    *(f"{kind}.{pos}" for kind in ("index", "data") for pos in ("noun", "verb", "adj", "adv")),
    *(f"{pos}.exc" for pos in ("noun", "verb", "adj", "adv")),
    "index.sense",
]
LEXNAMES = [
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
]
_POS_NUMBER = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}


def missing_wordnet() -> list[str]:
    return [name for name in WORDNET_FILES if not (DEBIAN_WORDNET / name).exists()]


def build(root: Path) -> Path:
    """Write the NLTK data folder under ``root``; returns it (pass it as NLTK_DATA)."""
    sentiment = root / "sentiment"
    sentiment.mkdir(parents=True)
    lines = "\n".join(f"{word}\t{value}" for word, value in vader_lexicon().items())
    with zipfile.ZipFile(sentiment / "vader_lexicon.zip", "w") as archive:
        archive.writestr("vader_lexicon/vader_lexicon.txt", lines)
    words = root / "corpora" / "words"
    words.mkdir(parents=True)
    (words / "en").write_text("\n".join(sorted(english_words())) + "\n")
    wordnet = root / "corpora" / "wordnet"
    wordnet.mkdir(parents=True)
    for name in WORDNET_FILES:
        shutil.copyfile(DEBIAN_WORDNET / name, wordnet / name)
    (wordnet / "lexnames").write_text(
        "".join(f"{i:02d}\t{name}\t{_POS_NUMBER[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES))
    )
    return root

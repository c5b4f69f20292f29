"""TextEvals with its default descriptors on review-like text, against Evidently's legacy API.

Reference and current each hold N reviews (100k; ``--quick``: 10k) of 1-6 sentences drawn from common
words, sentiment words of VADER's lexicon, boosters, negations, "but", capitals, "!"/"?", numbers and
made-up product names (out of vocabulary). Evidently's NLTK data (which it would download) is built
from the same packages monitorflow uses plus Debian's WordNet (``tests/support/text_nltk_data.py``).
Prints median wall and CPU seconds per side, the ratio peer/ours, and each descriptor's mean on both
sides (they must agree).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from common import REPO, peer_python, run_child

sys.path.insert(0, str(REPO))  # the test helpers, as the package tests.support
from tests.support.text_nltk_data import build as build_nltk_data  # noqa: E402

CHILD = Path(__file__).resolve().parent / "child_text.py"

COMMON = [
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "for",
    "with",
    "it",
    "this",
    "that",
    "was",
    "is",
    "are",
    "be",
    "have",
    "has",
    "had",
    "i",
    "you",
    "we",
    "they",
    "my",
    "our",
    "your",
    "product",
    "item",
    "order",
    "delivery",
    "price",
    "quality",
    "service",
    "app",
    "phone",
    "battery",
    "screen",
    "size",
    "color",
    "box",
    "customer",
    "support",
    "day",
    "week",
    "time",
    "use",
    "used",
    "using",
    "works",
    "worked",
    "after",
    "before",
    "really",
    "very",
    "so",
    "just",
    "too",
    "not",
    "never",
    "no",
    "but",
    "also",
    "only",
    "still",
    "again",
    "more",
    "most",
    "some",
    "any",
    "all",
    "one",
    "two",
    "three",
    "would",
    "could",
    "should",
    "will",
    "can",
    "did",
    "do",
    "does",
    "got",
    "get",
    "bought",
    "buy",
    "return",
    "returned",
    "arrived",
    "came",
    "shipping",
    "seller",
    "packaging",
]
BOOSTERS = [
    "extremely",
    "really",
    "very",
    "so",
    "totally",
    "absolutely",
    "barely",
    "slightly",
    "kinda",
    "somewhat",
]
NEGATIONS = ["not", "never", "isn't", "don't", "didn't", "wasn't", "without"]
NAMES = ["Zentrix", "Qorvo", "XT-500", "Lumio", "Brakk", "Vexor", "Plimm", "Toralux", "Snazzo", "Kwikfit"]


def _vocabulary(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    from monitorflow.descriptors.lexicons import vader_lexicon

    sentiment = sorted(w for w in vader_lexicon() if w.isalpha())
    words = np.array(COMMON + BOOSTERS + NEGATIONS + NAMES + sentiment, dtype=object)
    weights = np.concatenate(
        [
            np.full(len(COMMON), 30.0),
            np.full(len(BOOSTERS), 6.0),
            np.full(len(NEGATIONS), 6.0),
            np.full(len(NAMES), 2.0),
            1.0 / np.arange(1, len(sentiment) + 1) ** 0.5 * 8,
        ]
    )
    return words, weights / weights.sum()


def reviews(n: int, seed: int) -> pd.DataFrame:
    """``n`` review-like texts (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    words, p = _vocabulary(np.random.default_rng(0))
    sentences = rng.integers(1, 7, n)
    lengths = rng.integers(4, 16, int(sentences.sum()))
    drawn = words[rng.choice(len(words), int(lengths.sum()), p=p)]
    caps = rng.random(len(drawn)) < 0.03
    drawn[caps] = [w.upper() for w in drawn[caps]]
    ends = rng.choice([".", ".", ".", "!", "?", "!!", "..."], len(lengths))
    out, at, sentence = [], 0, 0
    for k in sentences.tolist():
        parts = []
        for _ in range(k):
            m = lengths[sentence]
            text = " ".join(drawn[at : at + m])
            parts.append(text[:1].upper() + text[1:] + ends[sentence])
            at, sentence = at + m, sentence + 1
        out.append(" ".join(parts))
    frame = pd.DataFrame({"review": pd.Series(out, dtype=object)})
    frame.loc[rng.random(n) < 0.01, "review"] = None
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k reviews per side instead of 100k")
    parser.add_argument("--rows", type=int, default=None, help="reviews per side")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    n = args.rows or (10_000 if args.quick else 100_000)
    with tempfile.TemporaryDirectory(prefix="mf-bench-text-") as tmp:
        t0 = time.perf_counter()
        reviews(n, 1).to_parquet(Path(tmp) / "reference.parquet")
        reviews(n, 2).to_parquet(Path(tmp) / "current.parquet")
        os.environ["NLTK_DATA"] = str(build_nltk_data(Path(tmp) / "nltk_data"))
        print(
            f"== text: TextEvals on {n:,} + {n:,} reviews (data ready in {time.perf_counter() - t0:.1f} s, "
            f"peer={peer_python() or 'none'}, load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
        sides = ["ours"] if args.no_peer else ["ours", "peer"]
        runs: dict[str, list[dict]] = {s: [] for s in sides}
        for i in range(args.repeats):
            for side in sides:
                result = run_child(side, CHILD, [side, tmp], args.timeout)
                runs[side].append(result)
                shown = (
                    f"{result['total_s']:.2f} s (cpu {result['cpu_s']:.2f})"
                    if result["status"] == "ok"
                    else result
                )
                print(f"  run {i + 1} {side}: {shown}", flush=True)
    print(report(runs))


def report(runs: dict[str, list[dict]]) -> str:
    ok = {side: [r for r in rs if r.get("status") == "ok"] for side, rs in runs.items()}
    lines = [f"{'side':6} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}  version"]
    med = {}
    for side, rs in ok.items():
        if not rs:
            lines.append(f"{side:6} failed: {runs[side][0].get('error')}")
            continue
        med[side] = {k: statistics.median(r[k] for r in rs) for k in ("total_s", "cpu_s", "peak_mb")}
        lines.append(
            f"{side:6} {med[side]['total_s']:8.2f} {med[side]['cpu_s']:8.2f} {med[side]['peak_mb']:8.0f}  "
            f"{rs[-1]['version']}"
        )
    if "ours" in med and "peer" in med:
        lines.append(
            f"peer/ours: wall {med['peer']['total_s'] / med['ours']['total_s']:.1f}x, "
            f"cpu {med['peer']['cpu_s'] / med['ours']['cpu_s']:.1f}x (medians of {len(ok['ours'])} and "
            f"{len(ok['peer'])} runs)"
        )
        lines.append("descriptor means, current (ours | peer):")
        ours, peer = ok["ours"][-1]["means"], ok["peer"][-1]["means"]
        for name in ours:
            lines.append(f"  {name:40} {ours[name]!r:>22} | {peer.get(name)!r}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

"""``jensenshannon``: Jensen-Shannon distance (natural log, range [0, sqrt(ln 2)]) over the shared bins, no smoothing.

The default for large categorical columns and low-cardinality numerical ones.
"""

from __future__ import annotations

import numpy as np

from .binning import binned
from .registry import StatTest, register_stattest


def _relative_entropy(p: np.ndarray, m: np.ndarray) -> float:
    """``sum(scipy.special.rel_entr(p, m))`` where ``m > 0`` wherever ``p > 0`` (the mixture)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p / m), 0.0)
    return float(np.sum(terms))


def _jensenshannon(ref, cur):
    """``scipy.spatial.distance.jensenshannon(ref, cur)`` in numpy (no scipy import: the drift run
    needs no other part of scipy, which costs tens of MB)."""
    p = np.asarray(ref, dtype=np.float64)
    q = np.asarray(cur, dtype=np.float64)
    p, q = p / np.sum(p), q / np.sum(q)
    m = (p + q) / 2.0
    return float(np.sqrt((_relative_entropy(p, m) + _relative_entropy(q, m)) / 2.0))


jensenshannon_stat_test = register_stattest(
    StatTest(
        "jensenshannon",
        "Jensen-Shannon distance",
        "distance",
        frozenset({"cat", "num"}),
        0.1,
        inclusive=True,
        **binned(_jensenshannon, fill=False),
    )
)

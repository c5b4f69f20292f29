"""``hellinger``: Hellinger distance ``sqrt(1 - BC)`` from the Bhattacharyya coefficient BC.

Categorical: BC over per-value shares. Numerical, with Evidently's quirk kept for comparable scores:
sturges edges are built from the *distinct* values of reference ∪ current (not from all values),
and BC sums ``sqrt(density_ref * density_cur) * bin_width``.
"""

from __future__ import annotations

import numpy as np

from .binning import sturges_edges
from .ecdf import pooled_distinct_count
from .registry import StatTest, register_stattest
from .utils import counted, on_sorted


def _hellinger_numbers(reference, current):
    low, high = min(reference.min, current.min), max(reference.max, current.max)
    edges = sturges_edges(pooled_distinct_count(reference, current), low, high)
    widths = np.diff(edges)
    ref_counts, cur_counts = reference.histogram(edges), current.histogram(edges)
    bin_width = (edges[-1] - edges[0]) / (len(edges) - 1)
    # sum sqrt(density_ref * density_cur) * bin_width, with density = share / width (no overflow)
    shares = np.sqrt(ref_counts / ref_counts.sum() * (cur_counts / cur_counts.sum()))
    coefficient = np.sum(shares * (bin_width / widths))
    return np.sqrt(1 - np.clip(coefficient, 0, 1))


def _hellinger_counts(counts, column_type):
    ref = counts.reference / counts.n_reference
    cur = counts.current / counts.n_current
    # sqrt(1 - BC) written as sqrt(sum((sqrt p - sqrt q)^2) / 2): the same number, but exactly 0 for equal
    # shares in any value order (1 - BC can round to 2e-16, whose square root is 1.5e-8)
    return np.sqrt(np.sum((np.sqrt(ref) - np.sqrt(cur)) ** 2) / 2)


hellinger_stat_test = register_stattest(
    StatTest(
        "hellinger",
        "Hellinger distance",
        "distance",
        frozenset({"cat", "num"}),
        0.1,
        on_sorted(_hellinger_numbers, other=counted(_hellinger_counts)),
        inclusive=True,
        counts_func=_hellinger_counts,
        sorted_func=_hellinger_numbers,
    )
)

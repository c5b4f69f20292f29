"""``fisher_exact``: Fisher's exact test p-value on the 2x2 table of counts (reference / current x two
categories).

Deliberate difference: Evidently requires both samples to have the same length. Here the table holds
the counts of each category on each side, which is the standard test for unequal sizes too. More than
two categories over reference and current together raise a per-column error.
"""

from __future__ import annotations

import numpy as np

from .registry import StatTest, register_stattest
from .utils import counted


def _fisher_exact_pvalue(counts, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    keys = counts.keys
    if len(keys) > 2:
        shown = ", ".join(repr(k) for k in keys[:5])
        raise ValueError(
            f"it needs a binary column but found {len(keys)} categories "
            f"({shown}{', ...' if len(keys) > 5 else ''}); use 'chisquare' or 'jensenshannon' for more "
            "categories"
        )
    table = np.zeros((2, 2), dtype=np.int64)
    table[0, : len(keys)] = counts.reference
    table[1, : len(keys)] = counts.current
    return stats.fisher_exact(table).pvalue


fisher_exact_test = register_stattest(
    StatTest(
        "fisher_exact",
        "Fisher's Exact test",
        "p_value",
        frozenset({"cat"}),
        0.1,
        counted(_fisher_exact_pvalue),
        counts_func=_fisher_exact_pvalue,
    )
)

"""``ks``: two-sided two-sample Kolmogorov-Smirnov p-value, the default for small numerical columns.

Computed as scipy's ``ks_2samp`` with ``method="auto"``: the exact distribution while both samples
have at most 10,000 values (they are then small enough to hold), else Smirnov's asymptotic
distribution of the statistic, which is streamed from the sorted values (:mod:`.ecdf`).
"""

from __future__ import annotations

import numpy as np

from monitorflow.sorted_values import materialize

from .ecdf import ks_distance
from .registry import StatTest, register_stattest
from .utils import on_sorted

#: scipy's ``MAX_AUTO_N``: the exact distribution up to this many values per sample.
EXACT_MAX_SIZE = 10_000


def _ks_pvalue(reference, current):
    from scipy import stats  # lazy: scipy is slow to import

    n1, n2 = reference.finite_count, current.finite_count
    if max(n1, n2) <= EXACT_MAX_SIZE:
        ref, cur = materialize(reference.sorted_finite), materialize(current.sorted_finite)
        return stats.ks_2samp(ref, cur).pvalue
    d = ks_distance(reference, current)
    m, n = sorted([float(n1), float(n2)], reverse=True)
    return float(np.clip(stats.kstwo.sf(d, np.round(m * n / (m + n))), 0, 1))


ks_stat_test = register_stattest(
    StatTest(
        "ks",
        "K-S p_value",
        "p_value",
        frozenset({"num"}),
        0.05,
        on_sorted(_ks_pvalue),
        inclusive=True,
        sorted_func=_ks_pvalue,
    )
)

"""``z``: two-proportion z-test of "smallest value" versus "any other value" (binary columns).

Both sides constant with the same value gives p = 1. The p-value is ``2 * norm.sf(|z|)``, which
equals Evidently's ``2 * (1 - norm.cdf(|z|))`` but keeps precision for very small p-values.
"""

from __future__ import annotations

import math

from .registry import StatTest, register_stattest
from .utils import counted, smallest_key_position


def _z_pvalue(counts, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    if len(counts.keys) == 1:
        return 1.0
    first = smallest_key_position(counts.keys)
    n1, n2 = counts.n_reference, counts.n_current
    p1, p2 = 1 - counts.reference[first] / n1, 1 - counts.current[first] / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 2 * stats.norm.sf(abs(z))


z_stat_test = register_stattest(
    StatTest(
        "z", "Z-test p_value", "p_value", frozenset({"cat"}), 0.05, counted(_z_pvalue), counts_func=_z_pvalue
    )
)

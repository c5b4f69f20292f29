"""``mannw``: one-sided Mann-Whitney U p-value (alternative "less": reference stochastically smaller than
current).

One-sided as in Evidently, so a current sample shifted *down* is not flagged. Computed as scipy's
``mannwhitneyu`` with ``method="auto"``: the exact distribution when a sample has at most 8 values and
there are no ties (then scipy itself is called), else the normal approximation with tie and
continuity corrections, whose rank sum and tie term are streamed from the sorted values.
"""

from __future__ import annotations

import math

from monitorflow.sorted_values import materialize

from .ecdf import rank_sum_and_ties
from .registry import StatTest, register_stattest
from .utils import on_sorted

#: scipy's choice: the exact distribution only when a sample has at most this many values.
EXACT_MAX_SIZE = 8


def _mannw_pvalue(reference, current):
    from scipy import special, stats  # lazy: scipy is slow to import

    n1, n2 = reference.finite_count, current.finite_count
    rank_sum, tie_term, ties = rank_sum_and_ties(reference, current)
    if min(n1, n2) <= EXACT_MAX_SIZE and not ties:
        ref, cur = materialize(reference.sorted_finite), materialize(current.sorted_finite)
        return stats.mannwhitneyu(ref, cur, alternative="less").pvalue
    u1 = rank_sum - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1  # alternative "less": the survival function of U2
    n = n1 + n2
    s = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    numerator = u2 - n1 * n2 / 2 - 0.5
    z = numerator / s if s else math.copysign(math.inf, numerator) if numerator else math.nan
    return min(max(float(special.ndtr(-z)), 0.0), 1.0)


mann_whitney_u_stat_test = register_stattest(
    StatTest(
        "mannw",
        "Mann-Whitney U-rank test",
        "p_value",
        frozenset({"num"}),
        0.05,
        on_sorted(_mannw_pvalue),
        sorted_func=_mannw_pvalue,
    )
)

"""``mannw``: one-sided Mann-Whitney U p-value (alternative "less": reference stochastically smaller than current).

One-sided as in Evidently, so a current sample shifted *down* is not flagged.
"""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import as_float


def _mannw_pvalue(reference, current, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    return stats.mannwhitneyu(as_float(reference), as_float(current), alternative="less").pvalue


mann_whitney_u_stat_test = register_stattest(
    StatTest("mannw", "Mann-Whitney U-rank test", "p_value", frozenset({"num"}), 0.05, _mannw_pvalue)
)

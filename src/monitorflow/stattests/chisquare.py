"""``chisquare``: Pearson chi-square p-value of current counts against reference counts scaled to the current
size.

A category that appears only in current gives p = 0 (always drift), as in Evidently.
"""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import counted, counts_pvalue


def _chisquare_pvalue(counts, column_type):
    return counts_pvalue(counts, "pearson")


chi_stat_test = register_stattest(
    StatTest(
        "chisquare",
        "chi-square p_value",
        "p_value",
        frozenset({"cat"}),
        0.05,
        counted(_chisquare_pvalue),
        counts_func=_chisquare_pvalue,
    )
)

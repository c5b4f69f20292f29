"""``g_test``: G-test (log-likelihood ratio) p-value of current counts against scaled reference counts.

Deliberate difference: Evidently passes unscaled reference counts as expected frequencies, which
scipy rejects when the two samples differ in size. Here the expected counts are reference counts
scaled to the current size (as in ``chisquare``), so unequal sizes work; for equal sizes the result
is Evidently's.
"""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import counted, counts_pvalue


def _g_test_pvalue(counts, column_type):
    return counts_pvalue(counts, "log-likelihood")


g_test = register_stattest(
    StatTest(
        "g_test",
        "g_test",
        "p_value",
        frozenset({"cat"}),
        0.1,
        counted(_g_test_pvalue),
        counts_func=_g_test_pvalue,
    )
)

"""``g_test``: G-test (log-likelihood ratio) p-value of current counts against scaled reference counts.

Deliberate difference: Evidently passes unscaled reference counts as expected frequencies, which
scipy rejects when the two samples differ in size. Here the expected counts are reference counts
scaled to the current size (as in ``chisquare``), so unequal sizes work; for equal sizes the result
is Evidently's.
"""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import counts_pvalue


def _g_test_pvalue(reference, current, column_type):
    return counts_pvalue(reference, current, "log-likelihood")


g_test = register_stattest(StatTest("g_test", "g_test", "p_value", frozenset({"cat"}), 0.1, _g_test_pvalue))

"""``t_test``: Student's two-sample t-test p-value (equal variances) on the means.

Both samples equal to one constant (a 0/0 statistic in scipy) give p = 1.
"""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import as_float, same_constant


def _t_test_pvalue(reference, current, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    ref, cur = as_float(reference), as_float(current)
    if len(ref) + len(cur) < 3:
        raise ValueError("it needs at least 3 values in total")
    if same_constant(ref, cur):
        return 1.0
    return stats.ttest_ind(ref, cur).pvalue


t_test = register_stattest(StatTest("t_test", "t_test", "p_value", frozenset({"num"}), 0.05, _t_test_pvalue))

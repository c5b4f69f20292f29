"""``t_test``: Student's two-sample t-test p-value (equal variances) on the means.

From each side's count, mean and standard deviation (scipy's ``ttest_ind_from_stats``, which is
``ttest_ind``'s own formula), so it needs no values in memory. Both samples equal to one constant
(a 0/0 statistic in scipy) give p = 1.
"""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import on_sorted, same_constant_stats


def _t_test_pvalue(reference, current):
    from scipy import stats  # lazy: scipy is slow to import

    n1, n2 = reference.finite_count, current.finite_count
    if n1 + n2 < 3:
        raise ValueError("it needs at least 3 values in total")
    if same_constant_stats(reference, current):
        return 1.0
    std1 = reference.std if n1 > 1 else 0.0
    std2 = current.std if n2 > 1 else 0.0
    return stats.ttest_ind_from_stats(reference.mean, std1, n1, current.mean, std2, n2).pvalue


t_test = register_stattest(
    StatTest(
        "t_test",
        "t_test",
        "p_value",
        frozenset({"num"}),
        0.05,
        on_sorted(_t_test_pvalue),
        sorted_func=_t_test_pvalue,
    )
)

"""``ks``: two-sided two-sample Kolmogorov-Smirnov p-value, the default for small numerical columns."""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import as_float


def _ks_pvalue(reference, current, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    return stats.ks_2samp(as_float(reference), as_float(current)).pvalue


ks_stat_test = register_stattest(
    StatTest("ks", "K-S p_value", "p_value", frozenset({"num"}), 0.05, _ks_pvalue, inclusive=True)
)

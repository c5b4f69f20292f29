"""``cramer_von_mises``: two-sample Cramér-von Mises p-value.

Exact when both samples have at most 20 values, else the asymptotic (Csörgő-Faraway) approximation;
scipy's ``cramervonmises_2samp`` implements exactly the algorithm Evidently ships as its own copy.
"""

from __future__ import annotations

from .registry import StatTest, register_stattest
from .utils import as_float

EXACT_MAX_SIZE = 20


def _cvm_pvalue(reference, current, column_type):
    from scipy import stats  # lazy: scipy is slow to import

    ref, cur = as_float(reference), as_float(current)
    if min(len(ref), len(cur)) < 2:
        raise ValueError("it needs at least 2 values in each sample")
    method = "exact" if max(len(ref), len(cur)) <= EXACT_MAX_SIZE else "asymptotic"
    return stats.cramervonmises_2samp(ref, cur, method=method).pvalue


cramer_von_mises = register_stattest(
    StatTest(
        "cramer_von_mises",
        "Cramer-von Mises",
        "p_value",
        frozenset({"num"}),
        0.1,
        _cvm_pvalue,
        inclusive=True,
    )
)

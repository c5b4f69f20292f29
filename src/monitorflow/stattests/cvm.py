"""``cramer_von_mises``: two-sample Cramér-von Mises p-value.

Exact when both samples have at most 20 values (scipy is then called on them), else the asymptotic
(Csörgő-Faraway) approximation of scipy's ``cramervonmises_2samp``, the algorithm Evidently ships as
its own copy; the statistic is streamed from the sorted values with midranks for ties (:mod:`.ecdf`).
"""

from __future__ import annotations

import math

from monitorflow.sorted_values import materialize

from .ecdf import cramer_von_mises_u
from .registry import StatTest, register_stattest
from .utils import on_sorted

EXACT_MAX_SIZE = 20


def _cvm_pvalue(reference, current):
    from scipy import stats  # lazy: scipy is slow to import
    from scipy.stats._hypotests import _cdf_cvm_inf  # lazy: scipy is slow to import

    nx, ny = reference.finite_count, current.finite_count
    if min(nx, ny) < 2:
        raise ValueError("it needs at least 2 values in each sample")
    if max(nx, ny) <= EXACT_MAX_SIZE:
        ref, cur = materialize(reference.sorted_finite), materialize(current.sorted_finite)
        return stats.cramervonmises_2samp(ref, cur, method="exact").pvalue
    u = cramer_von_mises_u(reference, current)
    k, n = nx * ny, nx + ny
    t = u / (k * n) - (4 * k - 1) / (6 * n)
    # scipy's asymptotic p-value: T normalised by its expected value and variance (eq. 11-15 of Anderson 1962)
    expected = (1 + 1 / n) / 6
    variance = (n + 1) * (4 * k * n - 3 * (nx**2 + ny**2) - 2 * k) / (45 * n**2 * 4 * k)
    normalised = 1 / 6 + (t - expected) / math.sqrt(45 * variance)
    if normalised < 0.003:
        return 1.0
    return max(1.0 - float(_cdf_cvm_inf(normalised)), 0.0)


cramer_von_mises = register_stattest(
    StatTest(
        "cramer_von_mises",
        "Cramer-von Mises",
        "p_value",
        frozenset({"num"}),
        0.1,
        on_sorted(_cvm_pvalue),
        inclusive=True,
        sorted_func=_cvm_pvalue,
    )
)

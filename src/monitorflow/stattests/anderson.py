"""``anderson``: k-sample Anderson-Darling p-value (midrank variant) of reference versus current.

scipy's ``anderson_ksamp(variant="midrank")`` for two samples: the statistic is streamed from the
sorted values (:mod:`.ecdf`); its standardisation needs sums over 1..N, taken in blocks; the p-value
is scipy's interpolation in Scholz and Stephens' table, clipped to [0.001, 0.25] (scipy warns
about the clipping; it is silent here). Both samples equal to one constant (which scipy rejects)
give p = 1.
"""

from __future__ import annotations

import math

import numpy as np

from .ecdf import anderson_darling_midrank
from .registry import StatTest, register_stattest
from .utils import on_sorted, same_constant_stats

#: Table 2 of Scholz and Stephens (1987): interpolation coefficients and significance levels.
_B0 = np.array([0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085])
_B1 = np.array([-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615])
_B2 = np.array([-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154])
_SIGNIFICANCE = np.array([0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001])
_BLOCK = 1 << 20


def _harmonic_sums(total: int) -> tuple[float, float]:
    """scipy's h and g for N = ``total``: with hs = cumsum(1 / (N-1, N-2, ..., 2)),
    h = hs[-1] + 1 and g = Σ hs[j] / (j + 2); in blocks, so memory stays flat at any N."""
    running, g = 0.0, 0.0
    for start in range(0, max(total - 2, 0), _BLOCK):
        j = np.arange(start, min(start + _BLOCK, total - 2), dtype=np.float64)
        partial = np.cumsum(1.0 / (total - 1 - j)) + running
        g += float(np.sum(partial / (j + 2)))
        running = float(partial[-1])
    return running + 1, g


def _anderson_pvalue(reference, current):
    if same_constant_stats(reference, current):
        return 1.0
    if reference.finite_count + current.finite_count < 4:
        raise ValueError("it needs at least 4 values in total")
    a2kn = anderson_darling_midrank(reference, current)
    sizes = np.array([reference.finite_count, current.finite_count], dtype=np.float64)
    n, k = np.float64(sizes.sum()), 2
    big_h = float((1.0 / sizes).sum())
    h, g = _harmonic_sums(int(n))
    np_err = np.errstate(divide="ignore", invalid="ignore")
    a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * big_h
    b = (2 * g - 4) * k**2 + 8 * h * k + (2 * g - 14 * h - 4) * big_h - 8 * h + 4 * g - 6
    c = (6 * h + 2 * g - 2) * k**2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * big_h + 4 * h
    d = (2 * h + 6) * k**2 - 4 * h * k
    with np_err:
        sigma_sq = (a * n**3 + b * n**2 + c * n + d) / ((n - 1.0) * (n - 2.0) * (n - 3.0))
    m = k - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        a2 = (a2kn - m) / np.sqrt(sigma_sq)
    critical = _B0 + _B1 / math.sqrt(m) + _B2 / m
    if a2 < critical.min():
        return float(_SIGNIFICANCE.max())
    if a2 > critical.max():
        return float(_SIGNIFICANCE.min())
    fit = np.polyfit(critical, np.log(_SIGNIFICANCE), 2)
    return math.exp(np.polyval(fit, a2))


anderson_darling_test = register_stattest(
    StatTest(
        "anderson",
        "Anderson-Darling",
        "p_value",
        frozenset({"num"}),
        0.1,
        on_sorted(_anderson_pvalue),
        sorted_func=_anderson_pvalue,
    )
)

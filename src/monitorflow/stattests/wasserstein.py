"""``wasserstein``: 1-D Wasserstein distance divided by the reference's population std (floored at 0.001).

The default for large numerical columns: a scale-free distance that does not shrink to "always drift"
as n grows, unlike p-values.

The distance is the area between the two quantile functions. On sorted samples (the drift metrics
pass the sorted finite values they already have) it needs no further sort: the breakpoints of both
step functions are exact integers over the denominator n_u·n_v, so every interval's width and
quantiles come from integer arithmetic, linear in the sample sizes. The result equals scipy's
``wasserstein_distance``.
"""

from __future__ import annotations

import numpy as np

from .registry import StatTest, register_stattest
from .utils import as_float


def sorted_values(values: np.ndarray) -> np.ndarray:
    """``values`` sorted ascending (a no-op check when they already are)."""
    if values.size > 1 and not bool(np.all(values[1:] >= values[:-1])):
        return np.sort(values)
    return values


def _weighted_sum(weights: np.ndarray, values: np.ndarray) -> float:
    """sum(weights * values), overwriting ``values``; not ``np.dot``, whose threaded BLAS call costs
    milliseconds on a busy 2-core machine for what is a microsecond of arithmetic."""
    return float(np.multiply(values, weights, out=values).sum())


def wasserstein_distance_sorted(u: np.ndarray, v: np.ndarray) -> float:
    """W1 between two sorted, non-empty samples, as the integral of |F_u^-1(q) - F_v^-1(q)| dq.

    The quantile functions are steps with breakpoints q = i/nu and q = j/nv, written as integers
    b = i*nv and b = j*nu over nu*nv. Each interval (previous breakpoint, b] has a width and constant
    quantiles, u[ceil(b/nv) - 1] and v[ceil(b/nu) - 1]; no merge is needed. Arrays are updated in
    place: on these machines a fresh large temporary costs more than the arithmetic.
    """
    nu, nv = u.size, v.size
    if nu == nv:
        diff = np.subtract(u, v)
        return float(np.abs(diff, out=diff).sum() / nu)
    # u's breakpoints: v's quantile index (b - 1) // nu; the interval starts at the later of u's
    # previous breakpoint (b - nv) and v's ((b - 1) // nu * nu).
    b = np.arange(nv, nv * nu + 1, nv, dtype=np.int64)
    iv = b - 1
    iv //= nu
    width = iv * nu
    np.minimum(np.subtract(b, width, out=width), nv, out=width)
    diff = v[iv]
    total = _weighted_sum(width, np.abs(np.subtract(u, diff, out=diff), out=diff))
    # v's breakpoints: u's index b // nv; a breakpoint shared with u (b % nv == 0) gets width 0.
    b = np.arange(nu, nu * nv + 1, nu, dtype=np.int64)
    iu = b // nv
    width = iu * nv
    np.minimum(np.subtract(b, width, out=width), nu, out=width)
    diff = u[np.minimum(iu, nu - 1, out=iu)]
    total += _weighted_sum(width, np.abs(np.subtract(diff, v, out=diff), out=diff))
    return float(total / (nu * nv))


def _wasserstein_normed(reference, current, column_type):
    ref = sorted_values(as_float(reference))
    cur = sorted_values(as_float(current))
    return wasserstein_distance_sorted(ref, cur) / max(np.std(ref), 0.001)


wasserstein_stat_test = register_stattest(
    StatTest(
        "wasserstein",
        "Wasserstein distance (normed)",
        "distance",
        frozenset({"num"}),
        0.1,
        _wasserstein_normed,
        inclusive=True,
    )
)

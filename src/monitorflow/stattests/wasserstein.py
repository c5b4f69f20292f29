"""``wasserstein``: 1-D Wasserstein distance divided by the reference's population std (floored at 0.001).

The default for large numerical columns: a scale-free distance that does not shrink to "always drift"
as n grows, unlike p-values.

The distance is the area between the two quantile functions. On sorted samples (the drift metrics
pass the sorted finite values they already have) it needs no further sort: the breakpoints of both
step functions are merged exactly in integer arithmetic (i·n_v and j·n_u over the denominator
n_u·n_v), which is linear for two sorted runs. The result equals scipy's ``wasserstein_distance``.
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


def wasserstein_distance_sorted(u: np.ndarray, v: np.ndarray) -> float:
    """W1 between two sorted, non-empty samples, as the integral of |F_u^-1(q) - F_v^-1(q)| dq."""
    nu, nv = u.size, v.size
    # Breakpoints q = i/nu and j/nv as integers over the common denominator nu*nv.
    breaks = np.concatenate([np.arange(1, nu + 1, dtype=np.int64) * nv, np.arange(1, nv + 1, dtype=np.int64) * nu])
    breaks.sort(kind="stable")  # two ascending runs: a linear merge
    widths = np.diff(breaks, prepend=0)
    # On (q_prev, q], the quantile functions take the values at ranks ceil(q*n) - 1.
    iu = (breaks + nv - 1) // nv - 1
    iv = (breaks + nu - 1) // nu - 1
    return float(np.dot(widths, np.abs(u[iu] - v[iv])) / (nu * nv))


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

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


#: Elements per step: temporaries of 64 KiB stay in cache and in malloc's free lists. Whole-array
#: temporaries (800 KB at 100k rows) are fresh mappings that page-fault on every call, which costs
#: more than the arithmetic on these machines.
BLOCK = 8192


def _blocks(n: int) -> range:
    return range(0, n, BLOCK)


def _breakpoint_sum(own: np.ndarray, other: np.ndarray, shared: int) -> float:
    """Σ width · |own[i-1] - other[k]| over own's breakpoints b = i·n_other (i = 1..n_own).

    On (previous breakpoint, b] the other quantile index is k = (b - shared) // n_own: ``shared=1``
    counts breakpoints both samples have here, ``shared=0`` gives them width 0 (counted once, by
    the other call). The interval starts at the later of own's previous breakpoint (b - n_other) and
    the other's (k · n_own), so width = min(b - k·n_own, n_other).
    """
    n_own, n_other = own.size, other.size
    total = 0.0
    for start in _blocks(n_own):
        stop = min(start + BLOCK, n_own)
        b = np.arange(start + 1, stop + 1, dtype=np.int64)
        b *= n_other
        k = b - shared
        k //= n_own
        width = k * n_own
        np.minimum(np.subtract(b, width, out=width), n_other, out=width)
        diff = other[np.minimum(k, n_other - 1, out=k)]
        np.abs(np.subtract(own[start:stop], diff, out=diff), out=diff)
        # multiply-and-sum, not np.dot: the threaded BLAS call costs milliseconds on a busy machine
        total += float(np.multiply(diff, width, out=diff).sum())
    return total


def wasserstein_distance_sorted(u: np.ndarray, v: np.ndarray) -> float:
    """W1 between two sorted, non-empty samples, as the integral of |F_u^-1(q) - F_v^-1(q)| dq.

    The quantile functions are steps with breakpoints q = i/nu and q = j/nv, written as integers
    b = i·nv and b = j·nu over nu·nv. Each interval (previous breakpoint, b] has a width and constant
    quantiles, so the integral is a sum over both samples' breakpoints; no merge is needed.
    """
    return (_breakpoint_sum(u, v, shared=1) + _breakpoint_sum(v, u, shared=0)) / (u.size * v.size)


def population_std(values: np.ndarray) -> float:
    """``np.std(values)`` (ddof 0), in blocks (see :data:`BLOCK`)."""
    mean = values.mean()
    squares = 0.0
    for start in _blocks(values.size):
        centred = values[start : start + BLOCK] - mean
        squares += float(np.multiply(centred, centred, out=centred).sum())
    return float(np.sqrt(squares / values.size))


def _wasserstein_normed(reference, current, column_type):
    ref = sorted_values(as_float(reference))
    cur = sorted_values(as_float(current))
    return wasserstein_distance_sorted(ref, cur) / max(population_std(ref), 0.001)


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

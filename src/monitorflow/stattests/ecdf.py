"""ECDF statistics of two samples from their sorted values, streamed in bounded memory.

Every statistic here is a sum (or maximum) over the distinct values of the pooled sample of a
function of the two cumulative counts and the two tie counts at that value. The pooled distinct
values are produced in ascending chunks by merging the two samples' runs
(:meth:`~monitorflow.column_stats.NumericalStats.run_chunks`), so a sample may be an in-memory array
or a sorted column on disk: one implementation serves the in-memory and the out-of-core engine.
Each function equals scipy's statistic (tested), up to the order of floating-point additions.

>>> from monitorflow.column_stats import NumericalStats
>>> a, b = NumericalStats(np.array([1.0, 2.0, 3.0])), NumericalStats(np.array([2.0, 4.0]))
>>> float(ks_distance(a, b)), float(wasserstein_distance(a, b))
(0.5, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from monitorflow.sorted_values import read_block


def _merge_distinct(
    av: np.ndarray, ac: np.ndarray, bv: np.ndarray, bc: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of two ascending distinct arrays with each side's count at every value (0 if absent).

    A stable sort of the two runs side by side is one merge (timsort finds the runs)."""
    pooled = np.concatenate((av, bv))
    order = np.argsort(pooled, kind="stable")
    values = pooled[order]
    from_b = order >= av.size
    counts = np.concatenate((ac, bc))[order]
    a_counts, b_counts = np.where(from_b, 0, counts), np.where(from_b, counts, 0)
    if values.size < 2:
        return values, a_counts, b_counts
    new = np.concatenate(([True], values[1:] != values[:-1]))
    if new.all():
        return values, a_counts, b_counts
    starts = np.flatnonzero(new)
    return values[starts], np.add.reduceat(a_counts, starts), np.add.reduceat(b_counts, starts)


def pooled_runs(a: Any, b: Any) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Distinct values of ``a`` and ``b`` together, ascending in chunks, with each sample's count.

    ``a`` and ``b`` give ``run_chunks()``: ascending (values, counts) chunks that never split a value,
    so a value at or below the last value of each side's current chunk is complete on both sides.
    """
    runs_a, runs_b = a.run_chunks(), b.run_chunks()
    empty = (np.zeros(0), np.zeros(0, dtype=np.int64))
    buf_a, buf_b = next(runs_a, None), next(runs_b, None)
    while buf_a is not None or buf_b is not None:
        av, ac = buf_a if buf_a is not None else empty
        bv, bc = buf_b if buf_b is not None else empty
        if buf_a is not None and buf_b is not None:
            cutoff = min(av[-1], bv[-1])
            ka, kb = int(np.searchsorted(av, cutoff, "right")), int(np.searchsorted(bv, cutoff, "right"))
        else:
            ka, kb = av.size, bv.size
        yield _merge_distinct(av[:ka], ac[:ka], bv[:kb], bc[:kb])
        buf_a = (av[ka:], ac[ka:]) if ka < av.size else next(runs_a, None)
        buf_b = (bv[kb:], bc[kb:]) if kb < bv.size else next(runs_b, None)


def ecdf_chunks(
    a: Any, b: Any
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """(values, a counts, b counts, a cumulative counts, b cumulative counts) per chunk of pooled
    distinct values; cumulative counts include the value itself (``searchsorted(..., 'right')``)."""
    a_before = b_before = 0
    for values, a_counts, b_counts in pooled_runs(a, b):
        a_cum = np.cumsum(a_counts) + a_before
        b_cum = np.cumsum(b_counts) + b_before
        yield values, a_counts, b_counts, a_cum, b_cum
        a_before, b_before = int(a_cum[-1]), int(b_cum[-1])


def ks_distance(a: Any, b: Any) -> float:
    """Two-sided KS statistic ``max |F_a - F_b|`` (``scipy.stats.ks_2samp(...).statistic``)."""
    n, m = a.finite_count, b.finite_count
    largest = 0.0
    for _, _, _, a_cum, b_cum in ecdf_chunks(a, b):
        largest = max(largest, float(np.max(np.abs(a_cum / n - b_cum / m))))
    return largest


def cdf_distance(a: Any, b: Any, p: int) -> float:
    """``(∫ |F_a - F_b|^p dx)^(1/p)`` (scipy's ``_cdf_distance``): p=1 is the Wasserstein distance."""
    n, m = a.finite_count, b.finite_count
    total = 0.0
    last_value, last_gap = None, 0.0
    for values, _, _, a_cum, b_cum in ecdf_chunks(a, b):
        gaps = np.abs(a_cum / n - b_cum / m)
        if p == 2:
            gaps = gaps * gaps
        if last_value is not None:
            total += last_gap * (values[0] - last_value)
        total += float(np.sum(gaps[:-1] * np.diff(values)))
        last_value, last_gap = values[-1], float(gaps[-1])
    return total if p == 1 else math.sqrt(total)


#: Values per step of the Wasserstein sums (temporaries small enough to stay in cache).
W1_BLOCK = 8192
#: Values of the other sample read at once by the Wasserstein sums.
W1_READ = 1 << 20


def _breakpoint_sum(own: Any, other: Any, shared: int) -> float:
    """Σ width · |own[i-1] - other[k]| over own's quantile breakpoints b = i·n_other (i = 1..n_own).

    On (previous breakpoint, b] the other quantile index is k = (b - shared) // n_own: ``shared=1``
    counts breakpoints both samples have there, ``shared=0`` gives them width 0 (counted once, by
    the other call). The interval starts at the later of own's previous breakpoint (b - n_other)
    and the other's (k · n_own), so width = min(b - k·n_own, n_other). k only grows with i, so both
    samples are read forward in blocks.
    """
    n_own, n_other = own.finite_count, other.finite_count
    step = max(1, min(W1_READ, W1_READ * n_own // max(n_other, 1)))  # the other's slice stays ~W1_READ
    total = 0.0
    for outer in range(0, n_own, step):
        own_block = read_block(own.sorted_finite, outer, min(step, n_own - outer))
        first = (((outer + 1) * n_other) - shared) // n_own
        last = min((((outer + own_block.size) * n_other) - shared) // n_own, n_other - 1)
        other_block = read_block(
            other.sorted_finite, min(first, n_other - 1), last - min(first, n_other - 1) + 1
        )
        base = min(first, n_other - 1)
        for start in range(0, own_block.size, W1_BLOCK):
            stop = min(start + W1_BLOCK, own_block.size)
            b = np.arange(outer + start + 1, outer + stop + 1, dtype=np.int64)
            b *= n_other
            k = b - shared
            k //= n_own
            width = k * n_own
            np.minimum(np.subtract(b, width, out=width), n_other, out=width)
            np.minimum(k, n_other - 1, out=k)
            k -= base
            diff = other_block[k]
            np.abs(np.subtract(own_block[start:stop], diff, out=diff), out=diff)
            # multiply and sum, not np.dot: threaded BLAS stalls for milliseconds on a busy machine
            total += float(np.multiply(diff, width, out=diff).sum())
    return total


def wasserstein_distance(a: Any, b: Any) -> float:
    """First Wasserstein distance (``scipy.stats.wasserstein_distance``), as the integral of
    |F_a^-1(q) - F_b^-1(q)| dq: the quantile functions are steps with breakpoints at integers over
    n_a·n_b, so the integral is a sum over both samples' breakpoints, linear, with no merge."""
    n, m = a.finite_count, b.finite_count
    return (_breakpoint_sum(a, b, shared=1) + _breakpoint_sum(b, a, shared=0)) / (n * m)


def energy_distance(a: Any, b: Any) -> float:
    """Energy distance (``scipy.stats.energy_distance``): ``sqrt(2) * sqrt(∫ (F_a - F_b)^2 dx)``."""
    return math.sqrt(2) * cdf_distance(a, b, 2)


def _before(cumulative: np.ndarray, counts: np.ndarray) -> np.ndarray:
    return (cumulative - counts).astype(np.float64)


def cramer_von_mises_u(a: Any, b: Any) -> float:
    """U of the two-sample Cramér-von Mises test with midranks (scipy's ``cramervonmises_2samp``).

    U = nx Σ (r_i - i)² + ny Σ (s_j - j)². A value held ca times by x and cb times by y, after
    ``a_before`` x and ``b_before`` y values, has midrank ``a_before + b_before + (ca + cb + 1) / 2``;
    the x indices there average ``a_before + (ca + 1) / 2``, so the x terms add
    ``ca (b_before + cb / 2)² + (ca³ - ca) / 12`` (no cancellation at any size).
    """
    nx, ny = a.finite_count, b.finite_count
    total_x = total_y = 0.0
    for _, ca, cb, a_cum, b_cum in ecdf_chunks(a, b):
        fa, fb = ca.astype(np.float64), cb.astype(np.float64)
        shift_x = _before(b_cum, cb) + fb / 2
        shift_y = _before(a_cum, ca) + fa / 2
        total_x += float(np.sum(fa * shift_x * shift_x + (fa**3 - fa) / 12))
        total_y += float(np.sum(fb * shift_y * shift_y + (fb**3 - fb) / 12))
    return nx * total_x + ny * total_y


def anderson_darling_midrank(a: Any, b: Any) -> float:
    """A²akN of the k-sample Anderson-Darling test, midrank variant, for k = 2 (scipy's
    ``_anderson_ksamp_midrank``)."""
    sizes = (a.finite_count, b.finite_count)
    total_n = float(sum(sizes))
    sums = [0.0, 0.0]
    for _, ca, cb, a_cum, b_cum in ecdf_chunks(a, b):
        ties = (ca + cb).astype(np.float64)
        below = _before(a_cum, ca) + _before(b_cum, cb)
        bj = below + ties / 2.0
        denominator = bj * (total_n - bj) - total_n * ties / 4.0
        for i, (cum, counts) in enumerate(((a_cum, ca), (b_cum, cb))):
            mij = cum.astype(np.float64) - counts / 2.0
            inner = ties / total_n * (total_n * mij - bj * sizes[i]) ** 2 / denominator
            sums[i] += float(inner.sum())
    return (sums[0] / sizes[0] + sums[1] / sizes[1]) * (total_n - 1.0) / total_n


def rank_sum_and_ties(a: Any, b: Any) -> tuple[float, float, bool]:
    """(sum of the midranks of ``a`` in the pooled sample, Σ(t³ - t) over tie groups, any ties)."""
    twice_rank_sum = 0  # 2 × midrank is an integer: sum exactly
    tie_term = 0.0
    ties = False
    for _, ca, cb, a_cum, b_cum in ecdf_chunks(a, b):
        t = ca + cb
        before = (a_cum - ca) + (b_cum - cb)
        twice_rank_sum += int(np.sum(ca * (2 * before + t + 1), dtype=np.int64))
        ft = t.astype(np.float64)
        tie_term += float(np.sum(ft**3 - ft))
        ties = ties or bool(np.any(t > 1))
    return twice_rank_sum / 2, tie_term, ties


def pooled_distinct_count(a: Any, b: Any) -> int:
    """Number of distinct values of the two samples together."""
    return sum(int(values.size) for values, _, _ in pooled_runs(a, b))

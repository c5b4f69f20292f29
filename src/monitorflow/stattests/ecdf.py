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
(0.5, 0.8333333333333333)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np


def _merge_distinct(
    av: np.ndarray, ac: np.ndarray, bv: np.ndarray, bc: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of two ascending distinct arrays with each side's count at every value (0 if absent)."""
    pos_a = np.arange(av.size) + np.searchsorted(bv, av, side="left")
    pos_b = np.arange(bv.size) + np.searchsorted(av, bv, side="right")
    size = av.size + bv.size
    values = np.empty(size, dtype=np.float64)
    values[pos_a], values[pos_b] = av, bv
    a_counts, b_counts = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    a_counts[pos_a], b_counts[pos_b] = ac, bc
    if size < 2:
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


def wasserstein_distance(a: Any, b: Any) -> float:
    """First Wasserstein distance (``scipy.stats.wasserstein_distance``)."""
    return cdf_distance(a, b, 1)


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

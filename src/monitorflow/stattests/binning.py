"""Binning shared by psi, kl_div and jensenshannon (Evidently's ``get_binned_data``).

Numerical columns with more than 20 distinct reference values use numpy "sturges" edges over
reference and current together; everything else uses per-value shares over the union of values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.column_stats import NumericalStats

from .utils import CategoryCounts, as_float, category_counts

MAX_VALUES_AS_CATEGORIES = 20


def sturges_edges(n: int, low: float, high: float) -> np.ndarray:
    """``np.histogram_bin_edges(values, bins="sturges")`` of ``n`` values from ``low`` to ``high``
    (numpy's own steps, so that only the count and the range of the values are needed)."""
    first, last = np.float64(low), np.float64(high)
    width = (last - first) / (np.log2(n) + 1.0)
    if first == last:
        first, last = first - 0.5, last + 0.5
    bins = int(np.ceil((last - first) / width)) if width else 1
    edges = np.linspace(first, last, bins + 1, endpoint=True, dtype=np.float64)
    if np.any(edges[:-1] >= edges[1:]):
        raise ValueError(f"Too many bins for data range. Cannot create {bins} finite-sized bins.")
    return edges


def fill_zeroes(shares: np.ndarray) -> np.ndarray:
    """Replace empty bins by m/1e6 if the smallest non-zero share m <= 1e-4, else by 1e-4."""
    smallest = shares[shares > 0].min()
    return np.where(shares == 0, smallest / 1e6 if smallest <= 1e-4 else 1e-4, shares)


def get_binned_data(
    reference: pd.Series, current: pd.Series, column_type: str, fill: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Shares per bin (or per value) of reference and current; ``fill`` applies :func:`fill_zeroes` per side.

    >>> r, c = get_binned_data(pd.Series(["a", "a", "b"]), pd.Series(["a", "c"]), "cat", fill=False)
    >>> r.round(3).tolist(), c.tolist()
    ([0.667, 0.333, 0.0], [0.5, 0.0, 0.5])
    """
    if column_type == "num" and reference.nunique() > MAX_VALUES_AS_CATEGORIES:
        return binned_numbers(NumericalStats(as_float(reference)), NumericalStats(as_float(current)), fill)
    counts = category_counts(reference, current)
    return _shares(counts.reference, counts.current, fill)


def binned_numbers(reference: Any, current: Any, fill: bool) -> tuple[np.ndarray, np.ndarray]:
    """:func:`get_binned_data` of a numerical column from both sides' statistics: per-value shares
    up to 20 distinct reference values, else shares of sturges bins over both sides' range."""
    if not reference.has_more_distinct_than(MAX_VALUES_AS_CATEGORIES):
        counts = CategoryCounts.from_value_counts(reference.counts_by_value(), current.counts_by_value())
        return value_shares(counts, fill)
    n = reference.finite_count + current.finite_count
    edges = sturges_edges(n, min(reference.min, current.min), max(reference.max, current.max))
    return _shares(reference.histogram(edges), current.histogram(edges), fill)


def value_shares(counts: CategoryCounts, fill: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Per-value shares of reference and current: :func:`get_binned_data` for counted values."""
    return _shares(counts.reference, counts.current, fill)


def binned(score: Callable[[np.ndarray, np.ndarray], float], fill: bool) -> dict[str, Any]:
    """``func``, ``counts_func``, ``counts_max_num_values`` and ``sorted_func`` of a StatTest
    scoring binned shares."""
    return {
        "func": lambda reference, current, column_type: score(
            *get_binned_data(reference, current, column_type, fill)
        ),
        "counts_func": lambda counts, column_type: score(*value_shares(counts, fill)),
        "counts_max_num_values": MAX_VALUES_AS_CATEGORIES,
        "sorted_func": lambda reference, current: score(*binned_numbers(reference, current, fill)),
    }


def _shares(ref_counts: np.ndarray, cur_counts: np.ndarray, fill: bool) -> tuple[np.ndarray, np.ndarray]:
    ref_shares, cur_shares = ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum()
    if fill:
        return fill_zeroes(ref_shares), fill_zeroes(cur_shares)
    return ref_shares, cur_shares

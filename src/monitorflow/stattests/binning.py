"""Binning shared by psi, kl_div and jensenshannon (Evidently's ``get_binned_data``).

Numerical columns with more than 20 distinct reference values use numpy "sturges" edges over
reference and current together; everything else uses per-value shares over the union of values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .utils import CategoryCounts, as_float, category_counts

MAX_VALUES_AS_CATEGORIES = 20


def sturges_counts(
    reference: np.ndarray, current: np.ndarray, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Counts per bin of equal-width ``edges`` (numpy's uniform fast path: no sort, same bins as ``edges``)."""
    bins, span = len(edges) - 1, (edges[0], edges[-1])
    return np.histogram(reference, bins=bins, range=span)[0], np.histogram(current, bins=bins, range=span)[0]


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
        ref, cur = as_float(reference), as_float(current)
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        return _shares(*sturges_counts(ref, cur, edges), fill)
    counts = category_counts(reference, current)
    return _shares(counts.reference, counts.current, fill)


def value_shares(counts: CategoryCounts, fill: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Per-value shares of reference and current: :func:`get_binned_data` for counted values."""
    return _shares(counts.reference, counts.current, fill)


def binned(score: Callable[[np.ndarray, np.ndarray], float], fill: bool) -> dict[str, Any]:
    """``func``, ``counts_func`` and ``counts_max_num_values`` of a StatTest scoring binned shares."""
    return {
        "func": lambda reference, current, column_type: score(
            *get_binned_data(reference, current, column_type, fill)
        ),
        "counts_func": lambda counts, column_type: score(*value_shares(counts, fill)),
        "counts_max_num_values": MAX_VALUES_AS_CATEGORIES,
    }


def _shares(ref_counts: np.ndarray, cur_counts: np.ndarray, fill: bool) -> tuple[np.ndarray, np.ndarray]:
    ref_shares, cur_shares = ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum()
    if fill:
        return fill_zeroes(ref_shares), fill_zeroes(cur_shares)
    return ref_shares, cur_shares

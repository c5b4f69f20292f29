"""``TVD``: permutation-test p-value of the total variation distance between category shares.

A random split of the pooled sample into groups of the reference and current sizes gives reference
counts that are multivariate-hypergeometric, so each of the 1000 permutations is drawn from that
distribution directly (O(categories), not O(rows)). The generator is seeded locally; numpy's global
state is untouched (Evidently reseeds it).
"""

from __future__ import annotations

import numpy as np

from .registry import StatTest, register_stattest
from .utils import counted

PERMUTATIONS = 1000
SEED = 0
_MAX_BLOCK_CELLS = 5_000_000  # bounds the memory of one block of permuted count rows


def total_variation(ref_counts: np.ndarray, cur_counts: np.ndarray) -> np.ndarray:
    """Row-wise ``0.5 * sum |r / sum(r) - c / sum(c)|`` of count matrices."""
    ref_shares = ref_counts / ref_counts.sum(axis=-1, keepdims=True)
    cur_shares = cur_counts / cur_counts.sum(axis=-1, keepdims=True)
    return 0.5 * np.abs(ref_shares - cur_shares).sum(axis=-1)


def _tvd_pvalue(counts, column_type):
    counts = counts.sorted()  # the draws below follow the order of the categories
    ref_counts, cur_counts = counts.reference, counts.current
    observed = total_variation(ref_counts[None, :], cur_counts[None, :])[0]
    pooled = ref_counts + cur_counts
    rng = np.random.default_rng(SEED)
    block = max(1, _MAX_BLOCK_CELLS // len(pooled))
    at_least_observed = 0
    for start in range(0, PERMUTATIONS, block):
        size = min(block, PERMUTATIONS - start)
        perm_ref = rng.multivariate_hypergeometric(pooled, counts.n_reference, size=size)
        at_least_observed += int(np.sum(observed <= total_variation(perm_ref, pooled - perm_ref)))
    return at_least_observed / PERMUTATIONS


tvd_test = register_stattest(
    StatTest(
        "TVD",
        "Total-Variation-Distance",
        "p_value",
        frozenset({"cat"}),
        0.1,
        counted(_tvd_pvalue),
        counts_func=_tvd_pvalue,
    )
)

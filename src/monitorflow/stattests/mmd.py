"""``empirical_mmd``: permutation-test p-value of the unbiased RBF-kernel maximum mean discrepancy.

Kernel ``exp(-d² / median(reference pairwise d²))`` (Evidently's sigma), 100 permutations from a locally
seeded generator. The kernel matrix is quadratic in size, so each side is first subsampled (without
replacement, same seed) to at most 1000 values; all permutations are then scored with one matrix product.
"""

from __future__ import annotations

import numpy as np

from .registry import StatTest, register_stattest
from .utils import as_float

PERMUTATIONS = 100
MAX_SAMPLE = 1000
SEED = 0


def rbf_kernel(ref: np.ndarray, cur: np.ndarray) -> np.ndarray:
    """Kernel matrix of ref+cur pooled, bandwidth from the reference, diagonal set to 0."""
    ref_sq = (ref[:, None] - ref[None, :]) ** 2
    sigma_sq = 0.5 * np.percentile(ref_sq, 50, method="nearest")
    sigma_sq = sigma_sq if sigma_sq > 0 else 0.5
    pooled = np.concatenate([ref, cur])
    kernel = np.exp(-((pooled[:, None] - pooled[None, :]) ** 2) / (2.0 * sigma_sq))
    np.fill_diagonal(kernel, 0.0)
    return kernel


def mmd_squared(kernel: np.ndarray, in_ref: np.ndarray) -> np.ndarray:
    """Unbiased MMD² for each column of the 0/1 matrix ``in_ref`` (pooled items x splits)."""
    n_ref = in_ref[:, 0].sum()
    n_cur = len(kernel) - n_ref
    in_cur = 1.0 - in_ref
    k_ref = kernel @ in_ref
    k_cur = kernel.sum(axis=1, keepdims=True) - k_ref
    within_ref = np.einsum("ij,ij->j", in_ref, k_ref)
    within_cur = np.einsum("ij,ij->j", in_cur, k_cur)
    between = np.einsum("ij,ij->j", in_ref, k_cur)
    return (
        within_ref / (n_ref * (n_ref - 1))
        + within_cur / (n_cur * (n_cur - 1))
        - 2.0 * between / (n_ref * n_cur)
    )


def _mmd_pvalue(reference, current, column_type):
    rng = np.random.default_rng(SEED)
    ref, cur = as_float(reference), as_float(current)
    if min(len(ref), len(cur)) < 2:
        raise ValueError("it needs at least 2 values in each sample")
    if len(ref) > MAX_SAMPLE:
        ref = rng.choice(ref, MAX_SAMPLE, replace=False)
    if len(cur) > MAX_SAMPLE:
        cur = rng.choice(cur, MAX_SAMPLE, replace=False)
    kernel = rbf_kernel(ref, cur)
    total = len(ref) + len(cur)
    orders = rng.permuted(np.tile(np.arange(total), (PERMUTATIONS, 1)), axis=1)
    in_ref = np.zeros((total, PERMUTATIONS + 1))
    in_ref[: len(ref), 0] = 1.0
    in_ref[orders[:, : len(ref)], np.arange(1, PERMUTATIONS + 1)[:, None]] = 1.0
    scores = mmd_squared(kernel, in_ref)
    return np.mean(scores[0] <= scores[1:])


empirical_mmd = register_stattest(
    StatTest("empirical_mmd", "empirical_mmd", "p_value", frozenset({"num"}), 0.1, _mmd_pvalue)
)

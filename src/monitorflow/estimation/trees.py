"""A gradient-boosted tree ensemble as plain arrays: fitted by scikit-learn, stored as JSON, scored
with numpy (no scikit-learn needed to score, and no pickle in the workspace).

The arrays come from a fitted ``HistGradientBoostingRegressor`` (its per-iteration predictors; the
learning rate is already folded into their leaf values). A split sends a row left when its value
is at most the threshold; a missing value goes where the split sends missing values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from monitorflow.errors import EstimatorStateError

#: Rows scored at once (bounds the (rows x trees) index arrays).
BLOCK_ROWS = 8192
#: A leaf's threshold (finite, so it survives JSON): every row stays on the leaf either way.
LEAF_THRESHOLD = float(np.finfo(np.float64).max)


class TreeEnsemble(BaseModel):
    """Every tree's nodes in flat arrays; ``roots[t]`` is tree t's first node. Leaves point to
    themselves, so ``depth`` steps from the roots end on a leaf for every row."""

    model_config = ConfigDict(frozen=True)

    baseline: float
    roots: list[int]
    depth: int
    feature: list[int]
    threshold: list[float]
    missing_left: list[bool]
    left: list[int]
    right: list[int]
    value: list[float]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Sum of the trees' leaf values plus the baseline, for each row of ``X`` (rows x features)."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        feature = np.asarray(self.feature, dtype=np.int64)
        threshold = np.asarray(self.threshold)
        missing_left = np.asarray(self.missing_left, dtype=bool)
        children = np.stack([np.asarray(self.left), np.asarray(self.right)], axis=1).ravel()
        value = np.asarray(self.value)
        roots = np.asarray(self.roots, dtype=np.int64)
        has_missing = bool(np.isnan(X).any())
        out = np.empty(X.shape[0])
        width = X.shape[1]
        for start in range(0, X.shape[0], BLOCK_ROWS):
            block = X[start : start + BLOCK_ROWS]
            flat = block.ravel()
            offsets = (np.arange(block.shape[0]) * width)[:, None]
            node = np.broadcast_to(roots, (block.shape[0], roots.size)).copy()
            for _ in range(self.depth):
                x = flat[offsets + feature[node]]
                go_left = x <= threshold[node]
                if has_missing:
                    go_left |= np.isnan(x) & missing_left[node]
                node = children[2 * node + (~go_left)]
            out[start : start + block.shape[0]] = value[node].sum(axis=1) + self.baseline
        return out


def from_sklearn(model: Any) -> TreeEnsemble:
    """The arrays of a fitted ``HistGradientBoostingRegressor`` (numeric splits only)."""
    try:
        trees = [predictors[0].nodes for predictors in model._predictors]
        baseline = float(np.ravel(model._baseline_prediction)[0])
    except (AttributeError, IndexError, TypeError) as exc:  # a scikit-learn whose internals moved
        raise EstimatorStateError(
            f"cannot read the trees of this scikit-learn's HistGradientBoostingRegressor ({exc}); "
            "install a scikit-learn version monitorflow supports: pip install 'monitorflow[estimation]'"
        ) from exc
    feature: list[int] = []
    threshold: list[float] = []
    missing_left: list[bool] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0
    for nodes in trees:
        if nodes["is_categorical"].any():
            raise EstimatorStateError("categorical splits are not supported; encode categories as numbers")
        offset = len(feature)
        roots.append(offset)
        leaf = nodes["is_leaf"].astype(bool)
        own = np.arange(nodes.size) + offset
        feature += np.where(leaf, 0, nodes["feature_idx"]).tolist()
        threshold += np.where(leaf, LEAF_THRESHOLD, nodes["num_threshold"]).tolist()
        missing_left += nodes["missing_go_to_left"].astype(bool).tolist()
        left += np.where(leaf, own, nodes["left"].astype(np.int64) + offset).tolist()
        right += np.where(leaf, own, nodes["right"].astype(np.int64) + offset).tolist()
        value += np.where(leaf, nodes["value"], 0.0).tolist()
        depth = max(depth, int(nodes["depth"].max()))
    return TreeEnsemble(
        baseline=baseline,
        roots=roots,
        depth=depth,
        feature=feature,
        threshold=threshold,
        missing_left=missing_left,
        left=left,
        right=right,
        value=value,
    )


__all__ = ["TreeEnsemble", "from_sklearn"]

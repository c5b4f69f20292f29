"""Frames with item features and training data, and the beyond-accuracy metrics computed with plain loops.

The loops follow the definitions (Evidently's formulas) user by user, with scikit-learn's cosine
distances; they share nothing with monitorflow's vectorised code.
"""

from __future__ import annotations

import math
from itertools import combinations, product

import numpy as np
import pandas as pd
from sklearn.metrics.pairwise import cosine_distances

FEATURES = ["f1", "f2", "f3"]


def catalogue(seed: int, n_items: int = 40) -> pd.DataFrame:
    """Item features (small integers, so that some items share a direction and some are all zeros)."""
    rng = np.random.default_rng(seed)
    features = rng.integers(0, 3, (n_items, len(FEATURES))).astype("float64")
    return pd.DataFrame(features, columns=FEATURES).assign(
        item_id=np.arange(n_items), genre=rng.choice(list("abc"), n_items)
    )


def interactions(
    seed: int,
    n_users: int = 12,
    per_user: tuple[int, int] = (3, 8),
    n_items: int = 40,
    catalogue_seed: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(recommendations, training interactions), both carrying the item features of one catalogue
    (``catalogue(catalogue_seed)``, by default ``catalogue(seed)``)."""
    rng = np.random.default_rng(seed)
    items = catalogue(seed if catalogue_seed is None else catalogue_seed, n_items)
    recs, train = [], []
    for u in range(n_users):
        n = int(rng.integers(per_user[0], per_user[1] + 1))
        for i in rng.choice(n_items, n, replace=False):
            recs.append((f"u{u}", int(i), int(rng.random() < 0.4), float(rng.integers(0, 5)), 20 + u))
        if u % 5 != 4:  # some users have no training history
            for i in rng.choice(n_items, int(rng.integers(1, 6)), replace=True):
                train.append((f"u{u}", int(i), 20 + u))
    train.append(("stranger", int(rng.integers(0, n_items)), 99))
    columns = ["user_id", "item_id", "target", "prediction", "age"]
    current = pd.DataFrame(recs, columns=columns).merge(items, on="item_id", how="left")
    training = pd.DataFrame(train, columns=["user_id", "item_id", "age"]).merge(
        items, on="item_id", how="left"
    )
    return current, training


def average_ranks(frame: pd.DataFrame) -> pd.Series:
    """Per row: 1 + items of the user scored higher + (ties - 1) / 2."""
    out = {}
    for _, rows in frame.groupby("user_id"):
        for index, p in rows["prediction"].items():
            higher = (rows["prediction"] > p).sum()
            ties = (rows["prediction"] == p).sum()
            out[index] = higher + (ties + 1) / 2
    return pd.Series(out).reindex(frame.index)


def top_k(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    return frame[average_ranks(frame) <= k]


def _distance(features: pd.DataFrame) -> dict:
    first = features.drop_duplicates("item_id")
    matrix = cosine_distances(first[FEATURES].to_numpy())
    position = {item: n for n, item in enumerate(first["item_id"])}
    return lambda a, b: 0.0 if a == b else matrix[position[a], position[b]]


def expected_diversity(frame: pd.DataFrame, k: int) -> float:
    distance = _distance(frame)
    values = []
    for _, rows in top_k(frame, k).groupby("user_id"):
        items = list(rows["item_id"])
        values.append(sum(distance(a, b) for a, b in combinations(items, 2)) / len(items))
    return float(np.mean(values)) if values else math.nan


def expected_serendipity(frame: pd.DataFrame, train: pd.DataFrame, k: int) -> float:
    distance = _distance(pd.concat([frame, train]))
    chosen = top_k(frame, k)
    chosen = chosen[chosen["target"] > 0]
    values = []
    for user in sorted(set(chosen["user_id"]) & set(train["user_id"])):
        history = list(train.loc[train["user_id"] == user, "item_id"])
        recs = list(chosen.loc[chosen["user_id"] == user, "item_id"])
        similar = sum(1 - distance(a, b) for a, b in product(history, recs))
        values.append(1 - similar / len(history))
    return float(np.mean(values)) if values else math.nan


def _users_per_item(train: pd.DataFrame) -> dict:
    return {item: len(set(rows["user_id"])) for item, rows in train.groupby("item_id")}


def expected_novelty(frame: pd.DataFrame, train: pd.DataFrame, k: int) -> float:
    seen = _users_per_item(train)
    n_users = len(set(train["user_id"]))
    per_user = []
    for _, rows in top_k(frame, k).groupby("user_id"):
        known = [-math.log2(seen[i] / n_users) for i in rows["item_id"] if i in seen]
        if known:
            per_user.append(np.mean(known))
    return float(np.mean(per_user))


def expected_popularity(frame: pd.DataFrame, train: pd.DataFrame, k: int, normalize: bool) -> dict:
    seen = _users_per_item(train)
    scale = max(seen.values()) if normalize else 1
    chosen = top_k(frame, k)
    per_user = []
    for _, rows in chosen.groupby("user_id"):
        known = [seen[i] / scale for i in rows["item_id"] if i in seen]
        if known:
            per_user.append(np.mean(known))
    counts = sorted(chosen["item_id"].value_counts())
    n = len(counts)
    # Gini as the mean absolute difference over all pairs, divided by twice the mean (n / (n - 1) corrected)
    mad = sum(abs(a - b) for a in counts for b in counts) / (n * n)
    gini = mad / (2 * np.mean(counts)) * n / (n - 1)
    return {
        "apr": float(np.mean(per_user)),
        "coverage": len(set(chosen["item_id"]) & set(seen)) / len(seen),
        "gini": gini,
    }

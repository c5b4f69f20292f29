"""Recommendation frames for the recsys tests, and the metrics computed user by user with plain loops."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from monitorflow import Report


def recommendations(
    seed: int,
    n_users: int = 30,
    sizes: tuple[int, int] = (12, 12),
    shuffle: bool = False,
    graded: bool = False,
    rank: bool = False,
) -> pd.DataFrame:
    """One row per (user, item); every 7th user has no relevant item; rows sorted by rank unless shuffled."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(n_users):
        n = int(rng.integers(sizes[0], sizes[1] + 1))
        score = rng.random(n)
        items = rng.choice(500, n, replace=False)
        relevance = rng.integers(0, 4, n) if graded else (rng.random(n) < 0.3).astype(int)
        if u % 7 == 0:
            relevance[:] = 0
        for position, i in enumerate(np.argsort(-score)):
            rows.append((f"u{u}", int(items[i]), int(relevance[i]), float(score[i]), position + 1))
    frame = pd.DataFrame(rows, columns=["user_id", "item_id", "target", "score", "rank"])
    if shuffle:
        frame = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    frame["prediction"] = frame["rank"] if rank else frame["score"]
    return frame.drop(columns=["score", "rank"])


def run_metric(metric, current, reference=None, mapping=None):
    report = Report(metrics=[metric])
    report.run(reference_data=reference, current_data=current, column_mapping=mapping)
    return report.result(metric)


def _ranks(predictions: list[float], by_score: bool) -> list[int]:
    """Rank of each item: 1 + items scored higher + ties averaged, truncated (by score), or as given."""
    if not by_score:
        return [int(p) for p in predictions]
    ranks = []
    for p in predictions:
        higher = sum(q > p for q in predictions)
        ties = sum(q == p for q in predictions)
        ranks.append(int(higher + (ties + 1) / 2))
    return ranks


def expected_curves(
    frame: pd.DataFrame, k: int, by_score: bool = True, min_rel_score=None, no_feedback_users=False, beta=1.0
) -> dict[str, float]:
    """Every top-k metric at ``k``, user by user (the definitions in docs/recsys.md)."""
    per_user: dict[str, list[float]] = {
        m: [] for m in ("precision", "recall", "map", "mar", "ndcg", "mrr", "hit_rate")
    }
    for _, rows in frame.groupby("user_id", sort=False):
        ranks = _ranks(rows["prediction"].tolist(), by_score)
        targets = rows["target"].tolist()
        if min_rel_score:
            targets = [float(t >= min_rel_score) for t in targets]
        relevant = [t > 0 for t in targets]
        total = sum(relevant)
        if total == 0 and not no_feedback_users:
            continue
        n = len(ranks)
        ranked = list(zip(ranks, relevant, targets, strict=True))

        def hits_at(j: int, ranked=ranked) -> int:
            return sum(1 for r, rel, _ in ranked if rel and r <= j)

        per_user["precision"].append(hits_at(k) / min(k, n))
        per_user["recall"].append(hits_at(k) / total if total else 0.0)
        on_top = [r for r, rel, _ in ranked if rel and r <= k]
        per_user["map"].append(sum(hits_at(r) / min(r, n) for r in on_top) / total if total else 0.0)
        per_user["mar"].append(sum(hits_at(r) / total for r in on_top) / total if total else 0.0)
        dcg = sum(t / math.log2(r + 1) for r, _, t in ranked if r <= k)
        ideal = sorted(targets, reverse=True)[:k]
        idcg = sum(t / math.log2(i + 2) for i, t in enumerate(ideal))
        per_user["ndcg"].append(dcg / idcg if idcg else 0.0)
        first = min(on_top) if on_top else None
        per_user["mrr"].append(1 / first if first else 0.0)
        per_user["hit_rate"].append(1.0 if first else 0.0)
    out = {m: float(np.mean(v)) for m, v in per_user.items()}
    p, r, b2 = out["precision"], out["recall"], beta**2
    out["f_beta"] = (1 + b2) * p * r / (b2 * p + r) if b2 * p + r else math.nan
    return out

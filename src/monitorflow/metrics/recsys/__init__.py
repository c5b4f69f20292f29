"""Recommender-system (ranking) quality: Evidently's legacy top-K metrics, vectorised over users.

Input: one row per (user, recommended item) with the user in ``ColumnMapping.user_id``, the
relevance (feedback) in ``target`` and the model's output in ``prediction``. With
``recommendations_type="score"`` (the default) a higher score ranks first; items of one user are
ranked by ``groupby(user).rank(method="average", ascending=False)`` truncated to an integer, as
Evidently does (tied items share a rank). With ``"rank"`` the prediction is the rank (1 = first).

Relevance: with ``min_rel_score`` an item is relevant when its target is at least that value
(Evidently skips a ``min_rel_score`` of 0); otherwise when the target is above 0. NDCG uses the
graded target as gain. A missing target is not relevant (gain 0).

Users: ``no_feedback_users=False`` (the default) averages over users with at least one relevant
item; ``True`` averages over every user (a user without feedback scores 0).

Every metric returns its curve for k = 1 .. length, where length is Evidently's (``max(k, 10)``
capped by the longest list, or by the largest rank for NDCG, MRR and hit rate), but at least ``k``.

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> data = pd.DataFrame({"user_id": [1, 1, 2, 2], "target": [1, 0, 0, 1], "prediction": [0.9, 0.1, 0.8, 0.2]})
>>> report = Report(metrics=[PrecisionTopKMetric(k=1)])
>>> report.run(current_data=data, column_mapping=ColumnMapping(task="recsys"))
>>> report.result(PrecisionTopKMetric(k=1)).current_value
0.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from pydantic import PositiveInt

from monitorflow._types import ColumnName, Float
from monitorflow.column_stats import histogram_edges
from monitorflow.context import RunContext, Side
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError, InputDataError
from monitorflow.metrics.base import Metric, MetricResult

#: Evidently computes every curve up to at least this k.
MIN_CURVE_LENGTH = 10
#: Items listed in PersonalizationMetric's table of most recommended items.
TOP_ITEMS = 10


# ------------------------------------------------------------------------------------ input


@dataclass(eq=False)
class Rankings:
    """One dataset's recommendations: per row the user (as a code), relevance, rank and score."""

    user: np.ndarray
    n_users: int
    relevance: np.ndarray
    rank: np.ndarray
    average_rank: np.ndarray
    score: np.ndarray

    def with_feedback(self) -> Rankings:
        """Only the users with at least one relevant item (user codes renumbered)."""
        has = (
            np.bincount(self.user, weights=(self.relevance > 0).astype("float64"), minlength=self.n_users) > 0
        )
        rows = has[self.user]
        codes = np.cumsum(has) - 1
        return Rankings(
            codes[self.user[rows]],
            int(has.sum()),
            self.relevance[rows],
            self.rank[rows],
            self.average_rank[rows],
            self.score[rows],
        )


def _role(ctx: RunContext, role: str, what: str) -> ColumnName:
    definition = ctx.definition
    column = getattr(definition, role)
    if column is None and role == "prediction" and definition.prediction_probas:
        column = definition.prediction_probas[0]
    if column is None:
        raise ColumnNotFoundError(
            role,
            f"column_mapping.{role} ({what}; set ColumnMapping({role}='your column'))",
            "current_data",
            definition.column_names,
        )
    return column


def _numbers(series: pd.Series, column: ColumnName, side: Side, what: str) -> np.ndarray:
    """Float values of a column, or a ColumnTypeError naming the first value that is not a number."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype="float64", na_value=np.nan)
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        fix = f"{what} must be numbers: convert it with pd.to_numeric(df[{column!r}])"
        raise ColumnTypeError(column, f"{side}_data", "numerical", series[bad].iloc[0], fix=fix)
    return converted.to_numpy(dtype="float64", na_value=np.nan)


def _check_complete(values: pd.Series | np.ndarray, column: ColumnName, side: Side, what: str) -> None:
    missing = int(pd.isna(values).sum())
    if missing:
        raise InputDataError(
            f"column {column!r} in {side}_data has {missing} missing values; every row needs {what}: "
            f"drop those rows (df.dropna(subset=[{column!r}])) or fill them"
        )


def _load(ctx: RunContext, side: Side, min_rel_score: float | None) -> Rankings:
    user_column = _role(ctx, "user_id", "recommender metrics group rows by user")
    target = ctx.definition.target
    prediction = _role(ctx, "prediction", "the score or rank of each recommended item")
    frame = ctx.data(side)
    users = frame[user_column]
    _check_complete(users, user_column, side, "a user id")
    relevance = (
        np.zeros(len(frame.index))
        if target is None
        else _numbers(frame[target], target, side, "relevance (target) values")
    )
    score = _numbers(frame[prediction], prediction, side, "scores or ranks")
    _check_complete(score, prediction, side, "a score or rank")
    if min_rel_score:  # Evidently ignores 0
        relevance = (relevance >= min_rel_score).astype("float64")
    relevance = np.nan_to_num(relevance, nan=0.0)
    codes, uniques = pd.factorize(users)
    if ctx.definition.recommendations_type == "score":
        average = pd.Series(score).groupby(codes).rank(method="average", ascending=False).to_numpy()
        rank = np.floor(average)
    else:
        if (score < 1).any():
            raise InputDataError(
                f"column {prediction!r} in {side}_data holds ranks (recommendations_type='rank') but has "
                f"{score[score < 1][0]!r}; ranks start at 1: pass 1-based ranks, or scores with "
                "recommendations_type='score'"
            )
        rank = average = score
    return Rankings(codes.astype(np.int64), len(uniques), relevance, rank, average, score)


def rankings(ctx: RunContext, side: Side, min_rel_score: float | None = None) -> Rankings:
    """The dataset's rankings, computed once per run."""
    return ctx.memo(("recsys-rankings", side, min_rel_score), lambda: _load(ctx, side, min_rel_score))


# ------------------------------------------------------------------------------------ curves


def _per_rank(r: Rankings, values: np.ndarray, length: int) -> np.ndarray:
    """``out[user, j]``: sum of ``values`` over the user's rows ranked j+1 (rank rounded up), j < length."""
    position = np.maximum(np.ceil(r.rank), 1)
    keep = position <= length
    cells = r.user[keep] * length + position[keep].astype(np.int64) - 1
    flat = np.bincount(cells, weights=values[keep], minlength=r.n_users * length)
    return flat.reshape(r.n_users, length)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b with 0 where b is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1), 0.0)


def _mean(per_user: np.ndarray) -> np.ndarray:
    """Mean over users (rows); NaN for each k when there is no user."""
    if per_user.shape[0] == 0:
        return np.full(per_user.shape[1], math.nan)
    return per_user.mean(axis=0)


def precision_recall_curves(r: Rankings, k: int, no_feedback_users: bool) -> dict[str, np.ndarray]:
    """Precision, recall, MAP and MAR at 1..length (length from the longest list of any user).

    Precision divides the hits in the top k by ``min(k, items of the user)``; MAP and MAR sum the
    precision (recall) at the rank of each relevant item and divide by the user's relevant items.
    """
    hit = (r.relevance > 0).astype("float64")
    sizes = np.bincount(r.user, minlength=r.n_users)
    relevant = np.bincount(r.user, weights=hit, minlength=r.n_users)
    longest = int(sizes.max()) if r.n_users else k
    length = max(k, min(longest, max(k, MIN_CURVE_LENGTH)))
    hits_at = _per_rank(r, hit, length)
    tp = np.cumsum(hits_at, axis=1)
    precision = tp / np.minimum(sizes[:, None], np.arange(1, length + 1))
    recall = _ratio(tp, relevant[:, None])
    average_precision = _ratio(np.cumsum(precision * hits_at, axis=1), relevant[:, None])
    average_recall = _ratio(np.cumsum(recall * hits_at, axis=1), relevant[:, None])
    users = slice(None) if no_feedback_users else relevant > 0
    return {
        "precision": _mean(precision[users]),
        "recall": _mean(recall[users]),
        "map": _mean(average_precision[users]),
        "mar": _mean(average_recall[users]),
    }


def rank_length(r: Rankings, k: int) -> int:
    """Curve length of NDCG, MRR and hit rate: ``max(k, 10)`` capped by the largest rank, at least k."""
    largest = float(r.rank.max()) if r.rank.size else k
    return max(k, int(min(largest, max(k, MIN_CURVE_LENGTH))))


def ndcg_curve(r: Rankings, k: int) -> np.ndarray:
    """Mean NDCG at 1..length with the graded relevance as gain and ``log2(rank + 1)`` as discount."""
    length = rank_length(r, k)
    dcg = np.cumsum(_per_rank(r, r.relevance / np.log2(r.rank + 1), length), axis=1)
    order = np.lexsort((-r.relevance, r.user))
    users, gains = r.user[order], r.relevance[order]
    starts = np.flatnonzero(np.r_[True, users[1:] != users[:-1]]) if users.size else np.array([], int)
    position = np.arange(users.size) - np.repeat(starts, np.diff(np.r_[starts, users.size]))
    keep = position < length
    ideal = np.zeros(r.n_users * length)
    ideal[users[keep] * length + position[keep]] = gains[keep] / np.log2(position[keep] + 2)
    idcg = np.cumsum(ideal.reshape(r.n_users, length), axis=1)
    return _mean(_ratio(dcg, idcg))


def mrr_hit_rate_curves(r: Rankings, length: int) -> dict[str, np.ndarray]:
    """Mean reciprocal rank of the first relevant item, and the share of users with a hit, at 1..length."""
    hit = r.relevance > 0
    first = np.sort(pd.Series(r.rank[hit]).groupby(r.user[hit]).min().to_numpy())
    below = np.searchsorted(first, np.arange(1, length + 1), side="right")
    reciprocal = np.r_[0.0, np.cumsum(1.0 / first)]
    n_users = r.n_users if r.n_users else math.nan
    return {"mrr": reciprocal[below] / n_users, "hit_rate": below / n_users}


def _curves(
    ctx: RunContext, side: Side, k: int, min_rel_score: float | None, no_feedback_users: bool
) -> dict[str, np.ndarray]:
    _role(ctx, "target", "the relevance of each recommended item")
    every = rankings(ctx, side, min_rel_score)
    users = every if no_feedback_users else every.with_feedback()
    curves = precision_recall_curves(every, k, no_feedback_users)
    curves["ndcg"] = ndcg_curve(users, k)
    current = rankings(ctx, "current", min_rel_score)  # Evidently: MRR and hit rate use current's length
    length = rank_length(current if no_feedback_users else current.with_feedback(), k)
    curves.update(mrr_hit_rate_curves(users, length))
    return curves


def recsys_curves(
    ctx: RunContext, side: Side, k: int, min_rel_score: float | None, no_feedback_users: bool
) -> dict[str, np.ndarray]:
    """Every top-k curve of one dataset, computed once per run and parameters."""
    key = ("recsys-curves", side, k, min_rel_score, no_feedback_users)
    return ctx.memo(key, lambda: _curves(ctx, side, k, min_rel_score, no_feedback_users))


# ------------------------------------------------------------------------------------ top-k metrics


class TopKMetricResult(MetricResult):
    """The metric at every k from 1 (``current``/``reference``) and at the requested k (``*_value``)."""

    k: int
    current: dict[int, Float]
    current_value: Float
    reference: dict[int, Float] | None = None
    reference_value: Float | None = None


def _as_curve(values: np.ndarray) -> dict[int, float]:
    return {i + 1: float(v) for i, v in enumerate(values)}


class _TopKBase(Metric[TopKMetricResult]):
    """One of the eight top-k metrics: a curve of :func:`recsys_curves` by name."""

    result_type = TopKMetricResult
    group = "recsys"
    curve: ClassVar[str]
    if TYPE_CHECKING:  # fields are declared by the subclasses, in Evidently's positional order
        k: int
        min_rel_score: float | None
        no_feedback_users: bool

    def values(self, ctx: RunContext, side: Side) -> np.ndarray:
        return recsys_curves(ctx, side, self.k, self.min_rel_score, self.no_feedback_users)[self.curve]

    def calculate(self, ctx: RunContext) -> TopKMetricResult:
        current = self.values(ctx, "current")
        reference = self.values(ctx, "reference") if ctx.has_reference else None
        return TopKMetricResult(
            k=self.k,
            current=_as_curve(current),
            current_value=float(current[self.k - 1]),
            reference=_as_curve(reference) if reference is not None else None,
            reference_value=float(reference[self.k - 1]) if reference is not None else None,
        )


class _TopKMetric(_TopKBase):
    """Positional arguments as in Evidently: ``(k, min_rel_score, no_feedback_users)``."""

    k: PositiveInt
    min_rel_score: float | None = None
    no_feedback_users: bool = False


class PrecisionTopKMetric(_TopKMetric):
    """Share of relevant items among each user's top k (at most the user's items), averaged over users."""

    curve = "precision"


class RecallTopKMetric(_TopKMetric):
    """Share of each user's relevant items that are in the top k, averaged over users."""

    curve = "recall"


class FBetaTopKMetric(_TopKBase):
    """F-beta of the mean precision and mean recall at each k (NaN where both are 0).

    Positional arguments as in Evidently: ``(k, beta, min_rel_score, no_feedback_users)``.
    """

    curve = "f_beta"

    k: PositiveInt
    beta: float = 1.0
    min_rel_score: float | None = None
    no_feedback_users: bool = False

    def values(self, ctx: RunContext, side: Side) -> np.ndarray:
        curves = recsys_curves(ctx, side, self.k, self.min_rel_score, self.no_feedback_users)
        precision, recall, b2 = curves["precision"], curves["recall"], self.beta**2
        with np.errstate(divide="ignore", invalid="ignore"):
            return (1 + b2) * precision * recall / (b2 * precision + recall)


class MAPKMetric(_TopKMetric):
    """Mean average precision: per user, precision at each relevant item's rank, summed / relevant items."""

    curve = "map"


class MARKMetric(_TopKMetric):
    """Mean average recall: per user, recall at each relevant item's rank, summed / relevant items."""

    curve = "mar"


class NDCGKMetric(_TopKMetric):
    """Normalised discounted cumulative gain with the target as graded gain."""

    curve = "ndcg"


class MRRKMetric(_TopKMetric):
    """Mean reciprocal rank of the first relevant item in the top k (0 for users without one)."""

    curve = "mrr"


class HitRateKMetric(_TopKMetric):
    """Share of users with at least one relevant item in the top k."""

    curve = "hit_rate"


# ------------------------------------------------------------------------------------ beyond accuracy


class ScoreBins(MetricResult):
    """Counts of scores over equal-width bins."""

    edges: list[float]
    counts: list[int]


class ScoreDistributionResult(MetricResult):
    k: int
    current_top_k_distr: ScoreBins
    current_other_distr: ScoreBins | None = None
    current_entropy: Float
    reference_top_k_distr: ScoreBins | None = None
    reference_other_distr: ScoreBins | None = None
    reference_entropy: Float | None = None


def _entropy_of_softmax(scores: np.ndarray) -> float:
    """Entropy (natural log) of the softmax of the scores."""
    if scores.size == 0:
        return math.nan
    shifted = np.exp(scores - scores.max())
    p = shifted / shifted.sum()
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


class ScoreDistribution(Metric[ScoreDistributionResult]):
    """Scores of the top-k items vs the others, and the entropy of the softmax of the top-k scores."""

    result_type = ScoreDistributionResult
    group = "recsys"

    k: PositiveInt

    def _side(self, ctx: RunContext, side: Side) -> tuple[ScoreBins, ScoreBins, float]:
        r = rankings(ctx, side)
        top = r.average_rank <= self.k
        top_scores, other_scores = np.sort(r.score[top]), np.sort(r.score[~top])
        edges = histogram_edges(top_scores, other_scores)

        def bins(values: np.ndarray) -> ScoreBins:
            return ScoreBins(edges=edges.tolist(), counts=np.histogram(values, edges)[0].tolist())

        return bins(top_scores), bins(other_scores), _entropy_of_softmax(top_scores)

    def calculate(self, ctx: RunContext) -> ScoreDistributionResult:
        if ctx.definition.recommendations_type != "score":
            raise ConfigurationError(
                "ScoreDistribution needs scores, but ColumnMapping(recommendations_type='rank') says the "
                "prediction holds ranks; use it with recommendations_type='score'",
                argument="recommendations_type",
            )
        top, other, entropy = self._side(ctx, "current")
        out: dict[str, Any] = {
            "current_top_k_distr": top,
            "current_other_distr": other,
            "current_entropy": entropy,
        }
        if ctx.has_reference:
            top, other, entropy = self._side(ctx, "reference")
            out |= {
                "reference_top_k_distr": top,
                "reference_other_distr": other,
                "reference_entropy": entropy,
            }
        return ScoreDistributionResult(k=self.k, **out)


class PersonalizationMetricResult(MetricResult):
    k: int
    current_value: Float
    current_table: dict[str, int]
    reference_value: Float | None = None
    reference_table: dict[str, int] | None = None


class PersonalizationMetric(Metric[PersonalizationMetricResult]):
    """Mean inter-list diversity: 1 - the mean share of top-k items two users have in common.

    ``*_table`` holds the most frequent items of the dataset (all its rows) with their counts.
    """

    result_type = PersonalizationMetricResult
    group = "recsys"

    k: PositiveInt

    def _side(self, ctx: RunContext, side: Side) -> tuple[float, dict[str, int]]:
        item_column = _role(ctx, "item_id", "personalization compares the items recommended to users")
        r = rankings(ctx, side)
        items = ctx.data(side)[item_column]
        table = {str(item): int(count) for item, count in items.value_counts().iloc[:TOP_ITEMS].items()}
        top = r.average_rank <= self.k
        counts = items[top].value_counts().to_numpy(dtype="float64")
        n_users = np.unique(r.user[top]).size
        pairs = n_users**2 - n_users
        shared = (np.sum(counts**2) - n_users * self.k) / self.k
        value = (pairs - shared) / pairs if pairs else math.nan
        return float(value), table

    def calculate(self, ctx: RunContext) -> PersonalizationMetricResult:
        value, table = self._side(ctx, "current")
        out: dict[str, Any] = {"current_value": value, "current_table": table}
        if ctx.has_reference:
            value, table = self._side(ctx, "reference")
            out |= {"reference_value": value, "reference_table": table}
        return PersonalizationMetricResult(k=self.k, **out)


__all__ = [
    "FBetaTopKMetric",
    "HitRateKMetric",
    "MAPKMetric",
    "MARKMetric",
    "MRRKMetric",
    "NDCGKMetric",
    "PersonalizationMetric",
    "PersonalizationMetricResult",
    "PrecisionTopKMetric",
    "RecallTopKMetric",
    "ScoreBins",
    "ScoreDistribution",
    "ScoreDistributionResult",
    "TopKMetricResult",
]

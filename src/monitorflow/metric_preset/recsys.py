"""RecsysPreset: Evidently's recommender-system composition, in Evidently's order.

Always: precision, recall, F-beta, MAP, NDCG, MRR and hit rate at k, ``RecCasesTable``,
``ScoreDistribution`` (scores only) and ``PersonalizationMetric``. With training interactions in
``additional_data={"current_train_data": ...}``: ``PopularityBias``, ``NoveltyMetric``, and one
``ItemBiasMetric`` / ``UserBiasMetric`` per ``item_bias_columns`` / ``user_bias_columns``. With
``item_features``: ``DiversityMetric`` (and ``SerendipityMetric`` when training data is given).
Without an item column ``RecCasesTable`` and ``PersonalizationMetric`` are left out (Evidently fails).
"""

from __future__ import annotations

from typing import Any

from pydantic import PositiveInt

from monitorflow._types import ColumnName
from monitorflow.column_mapping import DataDefinition
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.metrics.recsys import (
    FBetaTopKMetric,
    HitRateKMetric,
    MAPKMetric,
    MRRKMetric,
    NDCGKMetric,
    PersonalizationMetric,
    PrecisionTopKMetric,
    RecallTopKMetric,
    ScoreDistribution,
)
from monitorflow.metrics.recsys.diversity import DiversityMetric
from monitorflow.metrics.recsys.item_bias import ItemBiasMetric
from monitorflow.metrics.recsys.novelty import NoveltyMetric
from monitorflow.metrics.recsys.popularity_bias import PopularityBias
from monitorflow.metrics.recsys.rec_examples import RecCasesTable
from monitorflow.metrics.recsys.serendipity import SerendipityMetric
from monitorflow.metrics.recsys.train_data import TRAIN_KEYS
from monitorflow.metrics.recsys.user_bias import UserBiasMetric

TOP_K = (
    PrecisionTopKMetric,
    RecallTopKMetric,
    FBetaTopKMetric,
    MAPKMetric,
    NDCGKMetric,
    MRRKMetric,
    HitRateKMetric,
)


class RecsysPreset(MetricPreset):
    """Ranking quality at k, plus the beyond-accuracy metrics the given inputs allow.

    >>> [m.type_name for m in RecsysPreset(k=5).generate_metrics(DataDefinition(item_id="item"))][-3:]
    ['RecCasesTable', 'ScoreDistribution', 'PersonalizationMetric']
    """

    k: PositiveInt
    min_rel_score: float | None = None
    no_feedback_users: bool = False
    normalize_arp: bool = False
    user_ids: list[int | str] | None = None
    display_features: list[ColumnName] | None = None
    item_features: list[ColumnName] | None = None
    user_bias_columns: list[ColumnName] | None = None
    item_bias_columns: list[ColumnName] | None = None

    def generate_metrics(
        self, definition: DataDefinition, additional_data: dict[str, Any] | None = None
    ) -> list[Metric[Any]]:
        k = self.k
        train = TRAIN_KEYS["current"] in (additional_data or {})
        top_k = {"k": k, "min_rel_score": self.min_rel_score, "no_feedback_users": self.no_feedback_users}
        metrics: list[Metric[Any]] = [metric(**top_k) for metric in TOP_K]
        if train:
            metrics.append(PopularityBias(k=k, normalize_arp=self.normalize_arp))
        items = definition.item_id is not None  # Evidently fails without items; here they are left out
        if items:
            metrics.append(RecCasesTable(user_ids=self.user_ids, display_features=self.display_features))
        if definition.recommendations_type == "score":
            metrics.append(ScoreDistribution(k=k))
        if items:
            metrics.append(PersonalizationMetric(k=k))
        if self.item_features is not None:
            metrics.append(DiversityMetric(k=k, item_features=self.item_features))
            if train:
                metrics.append(SerendipityMetric(k=k, item_features=self.item_features))
        if train:
            metrics.append(NoveltyMetric(k=k))
            metrics += [ItemBiasMetric(k=k, column_name=c) for c in self.item_bias_columns or []]
            metrics += [UserBiasMetric(column_name=c) for c in self.user_bias_columns or []]
        return metrics

    def expand(self, definition: DataDefinition, additional_data: dict[str, Any]) -> list[Metric[Any]]:
        return self.generate_metrics(definition, additional_data)

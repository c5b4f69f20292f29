"""RecsysPreset: the part of Evidently's recsys composition that needs no training data.

Evidently's preset also adds ``RecCasesTable`` (raw rows; snapshots hold no rows) and, with
``additional_data`` (training data, item features), ``PopularityBias``, ``DiversityMetric``,
``SerendipityMetric``, ``NoveltyMetric``, ``ItemBiasMetric`` and ``UserBiasMetric``: monitorflow
has none of these yet, so the arguments that configure them are not accepted.
"""

from __future__ import annotations

from typing import Any

from pydantic import PositiveInt

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


class RecsysPreset(MetricPreset):
    """Precision, recall, F-beta, MAP, NDCG, MRR, hit rate at k; score distribution (scores only);
    personalization.

    >>> [m.type_name for m in RecsysPreset(k=5).generate_metrics(DataDefinition())][:2]
    ['PrecisionTopKMetric', 'RecallTopKMetric']
    """

    k: PositiveInt
    min_rel_score: float | None = None
    no_feedback_users: bool = False

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        args = {"k": self.k, "min_rel_score": self.min_rel_score, "no_feedback_users": self.no_feedback_users}
        metrics: list[Metric[Any]] = [
            metric(**args)
            for metric in (
                PrecisionTopKMetric,
                RecallTopKMetric,
                FBetaTopKMetric,
                MAPKMetric,
                NDCGKMetric,
                MRRKMetric,
                HitRateKMetric,
            )
        ]
        if definition.recommendations_type == "score":
            metrics.append(ScoreDistribution(k=self.k))
        if definition.item_id is not None:
            metrics.append(PersonalizationMetric(k=self.k))
        return metrics

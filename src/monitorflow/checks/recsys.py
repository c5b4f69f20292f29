"""Tests of recommender quality: one number of a recsys metric at ``k`` against a condition.

Default condition as in Evidently: with reference data the value must be within 10% of the
reference value (``eq approx(reference, relative=0.1)``); without it, above 0 (the Gini index: below 1).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import PositiveInt

from monitorflow._types import ColumnName
from monitorflow.checks.base import ConditionTest, fixed, near_reference
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.metrics.recsys import (
    FBetaTopKMetric,
    HitRateKMetric,
    MAPKMetric,
    MARKMetric,
    MRRKMetric,
    NDCGKMetric,
    PersonalizationMetric,
    PrecisionTopKMetric,
    RecallTopKMetric,
    ScoreDistribution,
)
from monitorflow.metrics.recsys.diversity import DiversityMetric
from monitorflow.metrics.recsys.novelty import NoveltyMetric
from monitorflow.metrics.recsys.popularity_bias import PopularityBias
from monitorflow.metrics.recsys.serendipity import SerendipityMetric

#: Relative tolerance of the reference-derived condition.
REFERENCE_TOLERANCE = 0.1


class _TopKTest(ConditionTest):
    group = "recsys"
    metric_type: ClassVar[type[Any]]
    reference_rule = near_reference(REFERENCE_TOLERANCE)
    default_rule = fixed(gt=0)

    k: PositiveInt
    min_rel_score: float | None = None
    no_feedback_users: bool = False

    def metric(self) -> Any:
        return self.metric_type(
            k=self.k, min_rel_score=self.min_rel_score, no_feedback_users=self.no_feedback_users
        )

    def measure(self, ctx: RunContext, side: Side) -> float:
        result = ctx.result(self.metric())
        value = result.current_value if side == "current" else result.reference_value
        if value is None:
            raise ReferenceRequired(
                "reference_data is needed for this computation; pass reference_data to run()"
            )
        return value

    def what(self) -> str:
        users = "included" if self.no_feedback_users else "excluded"
        return f"{self.name.split(' (')[0]}@{self.k} (no feedback users {users})"


class TestPrecisionTopK(_TopKTest):
    name = "Precision (top-k)"
    metric_type = PrecisionTopKMetric


class TestRecallTopK(_TopKTest):
    name = "Recall (top-k)"
    metric_type = RecallTopKMetric


class TestFBetaTopK(_TopKTest):
    """F-beta with beta = 1, as in Evidently (which offers no beta on the test)."""

    name = "F_beta (top-k)"
    metric_type = FBetaTopKMetric


class TestMAPK(_TopKTest):
    name = "MAP (top-k)"
    metric_type = MAPKMetric


class TestMARK(_TopKTest):
    name = "MAR (top-k)"
    metric_type = MARKMetric


class TestNDCGK(_TopKTest):
    name = "NDCG (top-k)"
    metric_type = NDCGKMetric


class TestMRRK(_TopKTest):
    name = "MRR (top-k)"
    metric_type = MRRKMetric


class TestHitRateK(_TopKTest):
    name = "Hit Rate (top-k)"
    metric_type = HitRateKMetric


class _ResultFieldTest(ConditionTest):
    """A number of a recsys metric's result: ``<side>_<field>`` (e.g. ``current_apr``)."""

    group = "recsys"
    reference_rule = near_reference(REFERENCE_TOLERANCE)
    default_rule = fixed(gt=0)
    field: ClassVar[str] = "value"

    k: PositiveInt

    def metric(self) -> Any:
        raise NotImplementedError

    def measure(self, ctx: RunContext, side: Side) -> float:
        value = getattr(ctx.result(self.metric()), f"{side}_{self.field}")
        if value is None:
            raise ReferenceRequired(
                "reference_data is needed for this computation; pass reference_data to run()"
            )
        return float(value)

    def what(self) -> str:
        return f"{self.name.split(' (')[0]} (top-{self.k})"


class _BeyondAccuracyTest(_ResultFieldTest):
    """Evidently's positional arguments: ``(k, min_rel_score, item_features)``."""

    min_rel_score: float | None = None
    item_features: list[ColumnName] | None = None

    def what(self) -> str:
        return f"{self.name.split(' (')[0]}@{self.k}"


class TestNovelty(_BeyondAccuracyTest):
    """Mean novelty of the top-k items (needs ``current_train_data``)."""

    name = "Novelty (top-k)"

    def metric(self) -> Any:
        return NoveltyMetric(k=self.k)


class TestDiversity(_BeyondAccuracyTest):
    """Mean intra-list diversity over ``item_features``."""

    name = "Diversity (top-k)"

    def metric(self) -> Any:
        return DiversityMetric(k=self.k, item_features=self.item_features or [])


class TestSerendipity(_BeyondAccuracyTest):
    """Mean serendipity over ``item_features`` (needs ``current_train_data``)."""

    name = "Serendipity (top-k)"

    def metric(self) -> Any:
        return SerendipityMetric(
            k=self.k, item_features=self.item_features or [], min_rel_score=self.min_rel_score
        )


class TestPersonalization(_BeyondAccuracyTest):
    name = "Personalization (top-k)"

    def metric(self) -> Any:
        return PersonalizationMetric(k=self.k)


class TestARP(_ResultFieldTest):
    """Average recommendation popularity (needs ``current_train_data``)."""

    name = "ARP (top-k)"
    field = "apr"

    normalize_arp: bool = False

    def metric(self) -> Any:
        return PopularityBias(k=self.k, normalize_arp=self.normalize_arp)


class TestGiniIndex(_ResultFieldTest):
    """Gini index of how often items are recommended; below 1 without reference."""

    name = "Gini Index (top-k)"
    field = "gini"
    default_rule = fixed(lt=1)

    def metric(self) -> Any:
        return PopularityBias(k=self.k)


class TestCoverage(_ResultFieldTest):
    """Share of the training items recommended in any top-k list."""

    name = "Coverage (top-k)"
    field = "coverage"

    def metric(self) -> Any:
        return PopularityBias(k=self.k)


class TestScoreEntropy(_ResultFieldTest):
    """Entropy of the softmax of the top-k scores."""

    name = "Score Entropy (top-k)"
    field = "entropy"

    def metric(self) -> Any:
        return ScoreDistribution(k=self.k)


__all__ = [
    "TestARP",
    "TestCoverage",
    "TestDiversity",
    "TestFBetaTopK",
    "TestGiniIndex",
    "TestHitRateK",
    "TestMAPK",
    "TestMARK",
    "TestMRRK",
    "TestNDCGK",
    "TestNovelty",
    "TestPersonalization",
    "TestPrecisionTopK",
    "TestRecallTopK",
    "TestScoreEntropy",
    "TestSerendipity",
]

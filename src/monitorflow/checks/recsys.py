"""Tests of recommender (ranking) quality: one top-k metric at ``k`` against a condition.

Default condition as in Evidently: with reference data the value must be within 10% of the
reference value (``eq approx(reference, relative=0.1)``); without it, above 0.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import PositiveInt

from monitorflow.checks.base import ConditionTest, fixed, near_reference
from monitorflow.context import ReferenceRequired, RunContext, Side
from monitorflow.metrics.recsys import (
    FBetaTopKMetric,
    HitRateKMetric,
    MAPKMetric,
    MARKMetric,
    MRRKMetric,
    NDCGKMetric,
    PrecisionTopKMetric,
    RecallTopKMetric,
)

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


__all__ = [
    "TestFBetaTopK",
    "TestHitRateK",
    "TestMAPK",
    "TestMARK",
    "TestMRRK",
    "TestNDCGK",
    "TestPrecisionTopK",
    "TestRecallTopK",
]

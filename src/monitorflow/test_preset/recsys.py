"""RecsysTestPreset, with Evidently's composition."""

from __future__ import annotations

from pydantic import PositiveInt

from monitorflow.checks.base import Test, TestPreset
from monitorflow.checks.recsys import TestHitRateK, TestMAPK, TestNDCGK, TestPrecisionTopK, TestRecallTopK
from monitorflow.column_mapping import DataDefinition


class RecsysTestPreset(TestPreset):
    """Precision, recall, MAP, NDCG and hit rate at k.

    >>> [t.type_name for t in RecsysTestPreset(k=3).generate_tests(DataDefinition())]
    ['TestPrecisionTopK', 'TestRecallTopK', 'TestMAPK', 'TestNDCGK', 'TestHitRateK']
    """

    k: PositiveInt
    min_rel_score: float | None = None
    no_feedback_users: bool = False

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        args = {"k": self.k, "min_rel_score": self.min_rel_score, "no_feedback_users": self.no_feedback_users}
        return [
            test(**args) for test in (TestPrecisionTopK, TestRecallTopK, TestMAPK, TestNDCGK, TestHitRateK)
        ]

"""Evidently's import path ``tests.recsys_tests``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.checks.recsys import (
    TestARP,
    TestCoverage,
    TestDiversity,
    TestFBetaTopK,
    TestGiniIndex,
    TestHitRateK,
    TestMAPK,
    TestMARK,
    TestMRRK,
    TestNDCGK,
    TestNovelty,
    TestPersonalization,
    TestPrecisionTopK,
    TestRecallTopK,
    TestScoreEntropy,
    TestSerendipity,
)

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

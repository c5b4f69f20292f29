"""Evidently's import path ``tests.recsys_tests``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.checks.recsys import (
    TestFBetaTopK,
    TestHitRateK,
    TestMAPK,
    TestMARK,
    TestMRRK,
    TestNDCGK,
    TestPrecisionTopK,
    TestRecallTopK,
)

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

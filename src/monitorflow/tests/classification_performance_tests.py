"""Evidently's import path ``tests.classification_performance_tests``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.checks.classification import (
    TestAccuracyScore,
    TestF1ByClass,
    TestF1Score,
    TestFNR,
    TestFPR,
    TestLogLoss,
    TestPrecisionByClass,
    TestPrecisionScore,
    TestRecallByClass,
    TestRecallScore,
    TestRocAuc,
    TestTNR,
    TestTPR,
)

__all__ = [
    "TestAccuracyScore",
    "TestF1ByClass",
    "TestF1Score",
    "TestFNR",
    "TestFPR",
    "TestLogLoss",
    "TestPrecisionByClass",
    "TestPrecisionScore",
    "TestRecallByClass",
    "TestRecallScore",
    "TestRocAuc",
    "TestTNR",
    "TestTPR",
]

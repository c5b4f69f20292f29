"""Evidently's import path ``tests.regression_performance_tests``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.checks.regression import (
    TestValueAbsMaxError,
    TestValueMAE,
    TestValueMAPE,
    TestValueMeanError,
    TestValueR2Score,
    TestValueRMSE,
)

__all__ = [
    "TestValueAbsMaxError",
    "TestValueMAE",
    "TestValueMAPE",
    "TestValueMeanError",
    "TestValueR2Score",
    "TestValueRMSE",
]

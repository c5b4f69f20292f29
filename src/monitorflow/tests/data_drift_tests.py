"""Evidently's import path ``tests.data_drift_tests``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.checks.data_drift import (
    TestAllFeaturesValueDrift,
    TestColumnDrift,
    TestCustomFeaturesValueDrift,
    TestEmbeddingsDrift,
    TestNumberOfDriftedColumns,
    TestShareOfDriftedColumns,
)

__all__ = [
    "TestAllFeaturesValueDrift",
    "TestColumnDrift",
    "TestCustomFeaturesValueDrift",
    "TestEmbeddingsDrift",
    "TestNumberOfDriftedColumns",
    "TestShareOfDriftedColumns",
]

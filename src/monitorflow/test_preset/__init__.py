"""Test presets (names as in Evidently's legacy API)."""

from monitorflow.test_preset.classification import (
    BinaryClassificationTestPreset,
    BinaryClassificationTopKTestPreset,
    MulticlassClassificationTestPreset,
)
from monitorflow.test_preset.data_drift import DataDriftTestPreset, NoTargetPerformanceTestPreset
from monitorflow.test_preset.data_quality import DataQualityTestPreset, DataStabilityTestPreset
from monitorflow.test_preset.estimation import (
    EstimatedClassificationTestPreset,
    EstimatedRegressionTestPreset,
)
from monitorflow.test_preset.recsys import RecsysTestPreset
from monitorflow.test_preset.regression import RegressionTestPreset

__all__ = [
    "BinaryClassificationTestPreset",
    "BinaryClassificationTopKTestPreset",
    "DataDriftTestPreset",
    "DataQualityTestPreset",
    "DataStabilityTestPreset",
    "EstimatedClassificationTestPreset",
    "EstimatedRegressionTestPreset",
    "MulticlassClassificationTestPreset",
    "NoTargetPerformanceTestPreset",
    "RecsysTestPreset",
    "RegressionTestPreset",
]

"""Test presets (names as in Evidently's legacy API)."""

from monitorflow.test_preset.data_drift import DataDriftTestPreset, NoTargetPerformanceTestPreset
from monitorflow.test_preset.data_quality import DataQualityTestPreset, DataStabilityTestPreset

__all__ = ["DataDriftTestPreset", "DataQualityTestPreset", "DataStabilityTestPreset", "NoTargetPerformanceTestPreset"]

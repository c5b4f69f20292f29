"""Metric presets (names as in Evidently's legacy API)."""

from monitorflow.metric_preset.data_drift import DataDriftPreset, TargetDriftPreset
from monitorflow.metric_preset.data_quality import DataQualityPreset

__all__ = ["DataDriftPreset", "DataQualityPreset", "TargetDriftPreset"]

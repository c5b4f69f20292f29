"""Metric presets (names as in Evidently's legacy API)."""

from monitorflow.metric_preset.classification import ClassificationPreset
from monitorflow.metric_preset.data_drift import DataDriftPreset, TargetDriftPreset
from monitorflow.metric_preset.data_quality import DataQualityPreset
from monitorflow.metric_preset.estimation import EstimatedClassificationPreset, EstimatedRegressionPreset
from monitorflow.metric_preset.recsys import RecsysPreset
from monitorflow.metric_preset.regression import RegressionPreset
from monitorflow.metric_preset.text_evals import TextEvals

__all__ = [
    "ClassificationPreset",
    "DataDriftPreset",
    "DataQualityPreset",
    "EstimatedClassificationPreset",
    "EstimatedRegressionPreset",
    "RecsysPreset",
    "RegressionPreset",
    "TargetDriftPreset",
    "TextEvals",
]

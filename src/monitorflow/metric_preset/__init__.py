"""Metric presets (names as in Evidently's legacy API); each imports its module on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitorflow._lazy import lazy_names

#: Module -> the presets it defines.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "monitorflow.metric_preset.classification": ("ClassificationPreset",),
    "monitorflow.metric_preset.data_drift": ("DataDriftPreset", "TargetDriftPreset"),
    "monitorflow.metric_preset.data_quality": ("DataQualityPreset",),
    "monitorflow.metric_preset.estimation": ("EstimatedClassificationPreset", "EstimatedRegressionPreset"),
    "monitorflow.metric_preset.recsys": ("RecsysPreset",),
    "monitorflow.metric_preset.regression": ("RegressionPreset",),
    "monitorflow.metric_preset.text_evals": ("TextEvals",),
}

if TYPE_CHECKING:  # what a type checker sees; at run time names load on first use
    from monitorflow.metric_preset.classification import ClassificationPreset
    from monitorflow.metric_preset.data_drift import DataDriftPreset, TargetDriftPreset
    from monitorflow.metric_preset.data_quality import DataQualityPreset
    from monitorflow.metric_preset.estimation import EstimatedClassificationPreset, EstimatedRegressionPreset
    from monitorflow.metric_preset.recsys import RecsysPreset
    from monitorflow.metric_preset.regression import RegressionPreset
    from monitorflow.metric_preset.text_evals import TextEvals

__getattr__, __dir__ = lazy_names(__name__, globals(), _EXPORTS)

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

"""Evidently's ``metrics.custom_metric`` path: ``CustomValueMetric`` (re-exports of
:mod:`monitorflow.metrics.custom`)."""

from monitorflow.metrics.custom import CustomCallableMetricResult, CustomValueMetric

__all__ = ["CustomCallableMetricResult", "CustomValueMetric"]

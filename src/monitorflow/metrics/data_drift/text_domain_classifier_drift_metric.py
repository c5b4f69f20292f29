"""Evidently's import path ``metrics.data_drift.text_domain_classifier_drift_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.data_drift.text_domain_classifier import (
    TextDomainClassifierDriftMetric,
    TextDomainClassifierDriftResult,
    TextDomainField,
)

__all__ = ["TextDomainClassifierDriftMetric", "TextDomainClassifierDriftResult", "TextDomainField"]

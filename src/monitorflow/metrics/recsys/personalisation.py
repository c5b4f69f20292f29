"""Evidently's import path ``metrics.recsys.personalisation``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import PersonalizationMetric, PersonalizationMetricResult

__all__ = ["PersonalizationMetric", "PersonalizationMetricResult"]

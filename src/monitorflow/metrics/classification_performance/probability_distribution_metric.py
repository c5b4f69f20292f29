"""Evidently's import path ``metrics.classification_performance.probability_distribution_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification_plots import (
    ClassificationProbDistribution,
    ClassificationProbDistributionResults,
)

__all__ = ["ClassificationProbDistribution", "ClassificationProbDistributionResults"]

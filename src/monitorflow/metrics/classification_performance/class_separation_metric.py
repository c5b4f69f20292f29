"""Evidently's import path ``metrics.classification_performance.class_separation_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.classification_plots import (
    ClassificationClassSeparationPlot,
    ClassificationClassSeparationPlotResults,
)

__all__ = ["ClassificationClassSeparationPlot", "ClassificationClassSeparationPlotResults"]

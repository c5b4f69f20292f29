"""Evidently's import path ``metrics.data_drift.column_interaction_plot``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.plots import ColumnInteractionPlot, ColumnInteractionPlotResults

__all__ = ["ColumnInteractionPlot", "ColumnInteractionPlotResults"]

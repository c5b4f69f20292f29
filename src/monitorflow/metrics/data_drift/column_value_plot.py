"""Evidently's import path ``metrics.data_drift.column_value_plot``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.plots import ColumnValuePlot, ColumnValuePlotResults

__all__ = ["ColumnValuePlot", "ColumnValuePlotResults"]

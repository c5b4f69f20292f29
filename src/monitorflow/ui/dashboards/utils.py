"""Evidently's ``ui.dashboards.utils`` path (re-exports of the panel enums)."""

from monitorflow.panels import CounterAgg, HistBarMode, PlotType, TestSuitePanelType

__all__ = ["CounterAgg", "HistBarMode", "PlotType", "TestSuitePanelType"]

"""Dashboard panels and their parts, at Evidently's ``ui.dashboards`` path (re-exports)."""

from monitorflow.dashboards import DashboardConfig, DashboardTab
from monitorflow.panels import (
    CounterAgg,
    DashboardPanel,
    DashboardPanelCounter,
    DashboardPanelDistribution,
    DashboardPanelHistogram,
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    DashboardPanelTestSuiteCounter,
    HistBarMode,
    PanelValue,
    PlotType,
    ReportFilter,
    TestFilter,
    TestSuitePanelType,
)

__all__ = [
    "CounterAgg",
    "DashboardConfig",
    "DashboardPanel",
    "DashboardPanelCounter",
    "DashboardPanelDistribution",
    "DashboardPanelHistogram",
    "DashboardPanelPlot",
    "DashboardPanelTestSuite",
    "DashboardPanelTestSuiteCounter",
    "DashboardTab",
    "HistBarMode",
    "PanelValue",
    "PlotType",
    "ReportFilter",
    "TestFilter",
    "TestSuitePanelType",
]

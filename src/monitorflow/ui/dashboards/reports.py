"""Evidently's ``ui.dashboards.reports`` path (re-exports)."""

from monitorflow.panels import (
    DashboardPanelCounter,
    DashboardPanelDistribution,
    DashboardPanelHistogram,
    DashboardPanelPlot,
)

__all__ = [
    "DashboardPanelCounter",
    "DashboardPanelDistribution",
    "DashboardPanelHistogram",
    "DashboardPanelPlot",
]

"""Evidently's ``ui.dashboards.base`` path (re-exports)."""

from monitorflow.dashboards import DashboardConfig, DashboardTab
from monitorflow.panels import DashboardPanel, PanelValue, ReportFilter

__all__ = ["DashboardConfig", "DashboardPanel", "DashboardTab", "PanelValue", "ReportFilter"]

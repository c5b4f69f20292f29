"""Evidently's ``ui.dashboards.test_suites`` path (re-exports)."""

from monitorflow.panels import DashboardPanelTestSuite, DashboardPanelTestSuiteCounter, TestFilter

__all__ = ["DashboardPanelTestSuite", "DashboardPanelTestSuiteCounter", "TestFilter"]

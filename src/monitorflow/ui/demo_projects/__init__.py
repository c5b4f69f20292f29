"""Evidently's ``ui.demo_projects``: the ``DemoProject`` shape (monitorflow's own demo is
``monitorflow demo``; Evidently's bikes, adult and reviews demos download their data)."""

from monitorflow.ui.demo_projects.base import DemoProject

__all__ = ["DemoProject"]

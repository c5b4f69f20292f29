"""Write a monitor's results: find or create its project, store each snapshot under its id.

Plain Python (no Prefect): :mod:`monitorflow.tasks.upload` wraps it, and the in-process demo uses it.
"""

from __future__ import annotations

from uuid import UUID

from monitorflow.dashboard_spec import DashboardSpec, apply_dashboard
from monitorflow.dashboards import DashboardConfig
from monitorflow.ids import stable_uuid
from monitorflow.monitoring.results import Evaluation
from monitorflow.workspace import Project, Workspace


def project_id(ws: Workspace, name: str, dashboard: DashboardSpec | None = None) -> UUID:
    """The oldest project named ``name``, else a new one with an id derived from the name (so two
    runs creating it at once write the same project, not two); with ``dashboard``, its declared
    panels are added or updated (saved only when that changes the project)."""
    found = ws.search_project(name)
    if found:
        project = min(found, key=lambda p: p.created_at)
    else:
        project = ws.add_project(
            Project(
                id=stable_uuid("monitorflow-project", name), name=name, dashboard=DashboardConfig(name=name)
            )
        )
    if dashboard is not None and apply_dashboard(project.dashboard, dashboard, name):
        ws.update_project(project)
    return project.id


def store(ws: Workspace, project: UUID, evaluation: Evaluation) -> None:
    """Add or atomically replace one snapshot (with its rows when ``evaluation.data`` is set)."""
    assert evaluation.snapshot is not None
    ws.add_snapshot(project, evaluation.snapshot, replace=True, current_data=evaluation.data)

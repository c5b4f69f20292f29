"""A project without panels is shown the dashboard :mod:`monitorflow.default_dashboard` generates from
its index (``Workspace.dashboard_data`` answers for it); keeping it stores it as the project's own."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from monitorflow.default_dashboard import generated_dashboard


def shown(ws: Any, project: Any) -> tuple[Any, bool]:
    """(the project as its dashboard page shows it, whether its dashboard is the generated one)."""
    config = generated_dashboard(ws, project)
    if config is None:
        return project, False
    return project.model_copy(update={"dashboard": config}), True


def keep(ws: Any, project_id: UUID) -> Any:
    """Store the generated dashboard as the project's own (nothing changes if it has panels)."""
    project = ws.get_project(project_id)
    config = generated_dashboard(ws, project)
    if config is not None:
        project.dashboard = config
        ws.update_project(project)
    return project

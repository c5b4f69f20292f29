"""A project without panels is shown the dashboard :mod:`monitorflow.default_dashboard` generates from
its index; keeping it stores it as the project's own dashboard (then edited like any other)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from monitorflow.dashboard_spec import apply_dashboard
from monitorflow.dashboards import DashboardConfig
from monitorflow.default_dashboard import generated_spec
from monitorflow.service import lookups


class WorkspaceCatalog:
    """The generator's questions, answered from the workspace index."""

    def __init__(self, ws: Any, project_id: UUID) -> None:
        self.ws, self.project_id = ws, project_id

    def fields(self, metric: str, pattern: str) -> list[str]:
        return lookups.matching_fields(self.ws, self.project_id, metric, None, pattern)

    def tags(self, prefix: str) -> list[str]:
        return lookups.tag_values(self.ws, self.project_id, prefix)

    def has_test_suites(self) -> bool:
        return bool(self.ws.list_snapshots(self.project_id, kind="test_suite", limit=1))


def generated_dashboard(ws: Any, project: Any) -> DashboardConfig | None:
    """The generated dashboard of ``project`` (None: it has panels of its own, or nothing to show)."""
    if project.dashboard.panels:
        return None
    spec = generated_spec(WorkspaceCatalog(ws, project.id))
    if spec is None:
        return None
    config = DashboardConfig(name=project.dashboard.name or project.name)
    apply_dashboard(config, spec, project.name)
    return config


def shown(ws: Any, project: Any) -> tuple[Any, bool]:
    """(the project as its dashboard shows it, whether the dashboard is the generated one)."""
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

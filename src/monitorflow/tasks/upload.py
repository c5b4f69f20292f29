"""Upload tasks: find or create the project, and store snapshots under their deterministic ids."""

from __future__ import annotations

from uuid import UUID

from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.dashboards import DashboardConfig
from monitorflow.ids import stable_uuid
from monitorflow.monitoring.results import Evaluation, WindowOutcome
from monitorflow.workspace import Project, Workspace


def project_id(ws: Workspace, name: str) -> UUID:
    """The oldest project named ``name``, else a new one with an id derived from the name (so two
    runs creating it at once write the same project, not two)."""
    found = ws.search_project(name)
    if found:
        return min(found, key=lambda p: p.created_at).id
    project = Project(
        id=stable_uuid("monitorflow-project", name), name=name, dashboard=DashboardConfig(name=name)
    )
    return ws.add_project(project).id


@task(name="ensure-project", cache_policy=NO_CACHE)
def ensure_project(workspace: str, name: str) -> UUID:
    """Open the workspace (creating it if needed) and return the project's id."""
    with Workspace.create(workspace) as ws:
        return project_id(ws, name)


def store(ws: Workspace, project: UUID, evaluation: Evaluation) -> None:
    """Add or atomically replace one snapshot (with its rows when ``evaluation.data`` is set)."""
    assert evaluation.snapshot is not None
    ws.add_snapshot(project, evaluation.snapshot, replace=True, current_data=evaluation.data)


@task(name="upload-snapshots", cache_policy=NO_CACHE)
def upload_snapshots(workspace: str, project: UUID, evaluations: list[Evaluation]) -> list[WindowOutcome]:
    """Store every computed snapshot (replacing earlier runs of the same window); return the outcomes."""
    with Workspace(workspace) as ws:
        for evaluation in evaluations:
            if evaluation.snapshot is not None:
                store(ws, project, evaluation)
    return [e.outcome for e in evaluations]

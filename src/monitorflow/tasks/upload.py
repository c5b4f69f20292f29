"""Upload tasks: find or create the project, and store snapshots under their deterministic ids."""

from __future__ import annotations

from uuid import UUID

from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.dashboard_spec import DashboardSpec
from monitorflow.monitoring.estimators import save_states
from monitorflow.monitoring.results import Evaluation, WindowOutcome
from monitorflow.monitoring.store import project_id, store
from monitorflow.workspace import Workspace

__all__ = ["ensure_project", "project_id", "store", "upload_snapshots"]


@task(name="ensure-project", cache_policy=NO_CACHE)
def ensure_project(workspace: str, name: str, dashboard: DashboardSpec | None = None) -> UUID:
    """Open the workspace (creating it if needed), give the project the monitor's declared dashboard
    panels, and return the project's id."""
    with Workspace.create(workspace) as ws:
        return project_id(ws, name, dashboard)


@task(name="upload-snapshots", cache_policy=NO_CACHE)
def upload_snapshots(workspace: str, project: UUID, evaluations: list[Evaluation]) -> list[WindowOutcome]:
    """Store every computed snapshot (replacing earlier runs of the same window) and the estimator states
    fitted for them; return the outcomes."""
    with Workspace(workspace) as ws:
        for evaluation in evaluations:
            if evaluation.snapshot is not None:
                store(ws, project, evaluation)
        save_states(ws, project, [state for e in evaluations for state in e.states])
    return [e.outcome for e in evaluations]

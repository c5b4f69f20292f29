"""Upload tasks: find or create the project, and store snapshots under their deterministic ids."""

from __future__ import annotations

import contextlib
from typing import Any
from uuid import UUID

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.dashboards import DashboardConfig
from monitorflow.errors import SnapshotNotFound
from monitorflow.ids import stable_uuid
from monitorflow.snapshot import Snapshot
from monitorflow.tasks.results import Evaluation, Outcome
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


class _WithData:
    """A snapshot with its rows, shaped like a run Report for ``Workspace.add_report(include_data=True)``."""

    def __init__(self, snapshot: Snapshot, current: pd.DataFrame) -> None:
        self._snapshot, self._current = snapshot, current

    def to_snapshot(self) -> Snapshot:
        return self._snapshot

    def datasets(self) -> tuple[pd.DataFrame, None]:
        return self._current, None


def store(ws: Workspace, project: UUID, evaluation: Evaluation) -> None:
    """Add or replace one snapshot (with its rows when ``evaluation.data`` is set)."""
    snapshot = evaluation.snapshot
    assert snapshot is not None
    if evaluation.data is None:
        ws.add_snapshot(project, snapshot, replace=True)
        return
    with contextlib.suppress(SnapshotNotFound):  # add_report has no replace: drop the previous version
        ws.delete_snapshot(project, snapshot.id)
    wrapped: Any = _WithData(snapshot, evaluation.data)
    ws.add_report(project, wrapped, include_data=True)


@task(name="upload-snapshots", cache_policy=NO_CACHE)
def upload_snapshots(workspace: str, project: UUID, evaluations: list[Evaluation]) -> list[Outcome]:
    """Store every computed snapshot (replacing earlier runs of the same window); return the outcomes."""
    with Workspace(workspace) as ws:
        for evaluation in evaluations:
            if evaluation.snapshot is not None:
                store(ws, project, evaluation)
    return [e.outcome for e in evaluations]

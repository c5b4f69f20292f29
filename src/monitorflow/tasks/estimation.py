"""Estimation task: the estimator states stored for a monitor's reference (fitted once, reused)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.monitoring.definition import Monitor
from monitorflow.monitoring.estimators import stored_states
from monitorflow.monitoring.reconciliation import add_estimation_panels
from monitorflow.tasks.load import retry_on_io
from monitorflow.workspace import Workspace


@task(name="load-estimators", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)
def load_estimators(monitor: Monitor, project: UUID, reference: pd.DataFrame | None) -> list[Any]:
    """The estimator states stored for this reference (the others are fitted by the compute tasks
    and stored by the uploads)."""
    with Workspace(monitor.workspace) as ws:
        return stored_states(ws, project, monitor, reference)


@task(name="ensure-estimation-panels", cache_policy=NO_CACHE)
def ensure_estimation_panels(
    workspace: str, project: UUID, monitor: Monitor, model_version: str | None
) -> bool:
    """Add the "estimated vs realized" panels to the project's dashboard if missing."""
    with Workspace(workspace) as ws:
        record = ws.get_project(project)
        if not add_estimation_panels(record.dashboard, monitor, model_version):
            return False
        ws.update_project(record)
        return True


__all__ = ["ensure_estimation_panels", "load_estimators"]

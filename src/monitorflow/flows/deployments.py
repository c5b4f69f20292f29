"""One flow run per past window from a deployment (the other way to backfill).

Each run is created with ``scheduled_time`` = the moment the window's scheduled run would have
happened, so the ``monitor`` flow (which reads its scheduled start time) evaluates that window; an
idempotency key makes a repeated call return the existing runs instead of new ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

from monitorflow.flows.runtime import run_tags
from monitorflow.monitoring import Monitor


def idempotency_key(
    deployment: str,
    monitor: Monitor,
    start: datetime,
    segments: list[str] | None,
    model_version: str | None,
    rerun: str | None = None,
) -> str:
    """One key per window (and segments and version): Prefect creates its run once. A ``rerun`` label
    makes new keys, so the windows run again on purpose (after a data fix, say)."""
    parts = [deployment, monitor.name, start.isoformat(), ",".join(segments or []), model_version or ""]
    return "monitorflow-window:" + "|".join(parts) + (f"|rerun:{rerun}" if rerun else "")


def schedule_window_runs(
    deployment: str,
    monitor: Monitor,
    start: datetime,
    end: datetime,
    *,
    segments: list[str] | None = None,
    model_version: str | None = None,
    pass_monitor: bool = False,
    tags: list[str] | None = None,
    rerun: str | None = None,
) -> list[FlowRun]:
    """Create (without waiting) one run of ``deployment`` (``"monitor/daily"``) per window in [start, end).

    ``pass_monitor`` sends ``monitor`` as the run's parameter; by default the deployment's own is used.
    Calling again reuses the runs already created, unless ``rerun`` names a new re-run (each distinct
    label creates one new run per window; snapshots are replaced, never duplicated).
    """
    parameters: dict[str, Any] = {}
    if segments:
        parameters["segments"] = segments
    if model_version:
        parameters["model_version"] = model_version
    if pass_monitor:
        parameters["monitor"] = monitor.model_dump(mode="json")
    runs: list[FlowRun] = []
    for window in monitor.windows(start, end):
        runs.append(
            run_deployment(  # type: ignore[arg-type]  # Prefect's async_dispatch: a FlowRun when called sync
                deployment,
                parameters=parameters,
                scheduled_time=window.end + monitor.delay,
                timeout=0,
                as_subflow=False,
                tags=[
                    "backfill",
                    *run_tags(segments, model_version or monitor.model_version),
                    *([f"rerun:{rerun}"] if rerun else []),
                    *(tags or []),
                ],
                idempotency_key=idempotency_key(
                    deployment, monitor, window.start, segments, model_version, rerun
                ),
            )
        )
    return runs

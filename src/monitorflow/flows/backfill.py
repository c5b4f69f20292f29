"""The ``backfill`` flow: every window of a past period in one flow run, with bounded concurrency.

Snapshot ids are deterministic (project, monitor, window, segment, model version, kind) and are
added with ``replace=True``: re-running a backfill, or retrying one that crashed half-way, replaces
snapshots instead of duplicating them. Runs on Prefect's thread pool; see
:mod:`monitorflow.flows.on_dask` for a Dask cluster.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from monitorflow.flows.monitor import evaluate_windows, run_name
from monitorflow.flows.pipeline import MAX_CONCURRENCY
from monitorflow.flows.summary import RunSummary
from monitorflow.monitoring import Monitor
from monitorflow.timeutil import to_utc

Concurrency = Annotated[int, Field(ge=1, le=MAX_CONCURRENCY, description="chunks of windows in flight")]


@flow(
    name="backfill",
    flow_run_name=run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=3 * MAX_CONCURRENCY + 1),  # type: ignore[arg-type]  # Prefect: TaskRunner[F] is invariant in F
)
def backfill_flow(
    monitor: Monitor,
    start: datetime,
    end: datetime,
    segments: list[str] | None = None,
    model_version: str | None = None,
    concurrency: Concurrency = 2,
    windows_per_task: Annotated[int, Field(ge=1, le=10_000)] | None = None,
) -> RunSummary:
    """Evaluate every window of a past period, each stamped with its own time.

    A progress artifact follows the windows done; the markdown artifact lists every snapshot id.

    Args:
        monitor: What to evaluate, where the data comes from and where the snapshots go.
        start: The first window starting at or after this time is evaluated.
        end: Windows starting before this time are evaluated.
        segments: Evaluate only these segments (leave empty for every segment).
        model_version: The model version to tag the snapshots with, instead of the monitor's.
        concurrency: How many windows are evaluated at once.
        windows_per_task: How many windows one task evaluates (leave empty to choose from the period).
    """
    windows = monitor.windows(to_utc(start, "start"), to_utc(end, "end"))
    return evaluate_windows(
        monitor,
        windows,
        flow_kind="backfill",
        segments=segments,
        model_version=model_version,
        concurrency=concurrency,
        windows_per_task=windows_per_task,
    )

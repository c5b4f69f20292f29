"""What a flow knows about its run: the logical time, run tags, progress listeners, artifact keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TypedDict

from prefect.client.orchestration import get_client
from prefect.logging import get_run_logger
from prefect.runtime import flow_run

from monitorflow.monitoring.definition import Monitor
from monitorflow.monitoring.results import WindowOutcome
from monitorflow.timeutil import to_utc

#: ``listener(done_windows, total_windows, outcomes_of_the_chunk)``, called in the flow as chunks finish.
ProgressListener = Callable[[int, int, list[WindowOutcome]], None]
_LISTENER: ContextVar[ProgressListener | None] = ContextVar("monitorflow_progress", default=None)


class RetryPolicy(TypedDict):
    """The I/O tasks' options (``task.with_options(**retry_policy(monitor))``): loads and uploads retry."""

    retries: int
    retry_delay_seconds: float


def retry_policy(monitor: Monitor) -> RetryPolicy:
    return {"retries": monitor.retries, "retry_delay_seconds": monitor.retry_delay_seconds}


def logical_time(as_of: datetime | None) -> datetime:
    """``as_of`` if given, else the run's scheduled start time: a late run evaluates the window it
    was scheduled for, never the one around "now"."""
    value = as_of if as_of is not None else flow_run.scheduled_start_time
    return datetime.fromtimestamp(to_utc(value).timestamp(), tz=UTC)


def tag_run(*tags: str) -> None:
    """Add tags (``segment:eu``, ``model_version:v2``) to the running flow run, for filters in the UI."""
    run_id = flow_run.id
    if not run_id or not tags:
        return
    merged = sorted({*(flow_run.tags or []), *tags})
    try:
        with get_client(sync_client=True) as client:
            client.update_flow_run(run_id, tags=merged)
    except Exception as exc:  # tags are a convenience: never fail a run for them
        get_run_logger().warning(f"could not tag the flow run with {tags}: {exc}")


def run_tags(segments: list[str] | None, model_version: str | None) -> list[str]:
    return [f"segment:{s}" for s in segments or []] + (
        [f"model_version:{model_version}"] if model_version else []
    )


@contextmanager
def progress_listener(listener: ProgressListener) -> Iterator[None]:
    """Call ``listener`` as the flows run in this context finish chunks of windows (used by the CLI)."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


def notify(done: int, total: int, outcomes: list[WindowOutcome]) -> None:
    listener = _LISTENER.get()
    if listener is not None:
        listener(done, total, outcomes)


def artifact_key(*parts: str) -> str:
    """An artifact key: lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")[:100]

"""The ``monitor`` flow: evaluate the window at the run's logical time and store its snapshots.

The logical time is ``as_of``, else the run's scheduled start time, so a run that starts late
still evaluates (and timestamps) the window it was scheduled for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow, tags
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from monitorflow.errors import ConfigurationError
from monitorflow.flows.pipeline import finish, run_chunks, unwalked
from monitorflow.flows.runtime import artifact_key, logical_time, retry_policy, run_tags, tag_run
from monitorflow.flows.summary import FlowKind, RunSummary
from monitorflow.monitoring import Monitor, Window
from monitorflow.monitoring.estimators import estimates_quality
from monitorflow.monitoring.evaluate import suite_kinds
from monitorflow.tasks.compute import compute_windows
from monitorflow.tasks.estimation import load_estimators
from monitorflow.tasks.load import load_reference, load_windows
from monitorflow.tasks.upload import ensure_project


def check_segments(monitor: Monitor, segments: list[str] | None) -> None:
    if segments and monitor.segments is None:
        raise ConfigurationError(
            f"segments {segments} were given but monitor {monitor.name!r} has no segments section; "
            "add segments: {columns: [...]} to it",
            argument="segments",
        )


def run_name() -> str:
    """``<monitor>-<as_of or scheduled time>`` (also ``-<segments>``) for the flow run."""
    params = flow_run.parameters or {}
    monitor = params.get("monitor")
    name = getattr(monitor, "name", None) or (monitor.get("name") if isinstance(monitor, dict) else None)
    when = params.get("start") or params.get("as_of") or flow_run.scheduled_start_time
    stamp = when if isinstance(when, str) else when.strftime("%Y-%m-%dT%H%M")
    segments = params.get("segments") or []
    return "-".join([name or "monitor", *segments, str(stamp)])


def evaluate_windows(
    monitor: Monitor,
    windows: list[Window],
    *,
    flow_kind: FlowKind,
    segments: list[str] | None,
    model_version: str | None,
    concurrency: int = 1,
    windows_per_task: int | None = None,
) -> RunSummary:
    """Inside a flow run: load, compute and upload every window, then write the run's artifact."""
    check_segments(monitor, segments)
    version = model_version or monitor.model_version
    labels = run_tags(segments, version)
    tag_run(*labels)
    io = retry_policy(monitor)
    with tags(*labels):
        project = ensure_project.with_options(**io)(monitor.workspace, monitor.project, monitor.dashboard)
        reference = load_reference.with_options(**io).submit(monitor)
        stages: list[PrefectFuture[Any]] = [reference]
        states = None
        if estimates_quality(monitor):  # the states stored for this reference, fitted once
            states = load_estimators.with_options(**io).submit(monitor, project, unwalked(reference))
            stages.append(states)
        loader = load_windows.with_options(**io)

        def submit(chunk: list[Window]) -> list:
            batches = loader.submit(monitor, chunk)
            evaluations = compute_windows.submit(
                monitor, unwalked(batches), unwalked(reference), version, segments, unwalked(states)
            )
            return [*stages, batches, evaluations]

        outcomes = run_chunks(
            monitor,
            windows,
            submit,
            project=project,
            kinds=suite_kinds(monitor),
            model_version=version,
            concurrency=concurrency,
            windows_per_task=windows_per_task,
            progress_key=artifact_key(monitor.name, flow_kind, "progress") if len(windows) > 1 else None,
        )
    return finish(monitor, flow_kind, project, windows, outcomes)


@flow(
    name="monitor",
    flow_run_name=run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=4),  # type: ignore[arg-type]  # Prefect: TaskRunner[F] is invariant in F
    validate_parameters=True,
)
def monitor_flow(
    monitor: Monitor,
    as_of: datetime | None = None,
    segments: list[str] | None = None,
    model_version: str | None = None,
) -> RunSummary:
    """Evaluate the last complete window of a monitor.

    Args:
        monitor: What to evaluate, where the data comes from and where the snapshots go.
        as_of: Evaluate the last window complete at this time (leave empty for the run's scheduled time).
        segments: Evaluate only these segments (leave empty for every segment).
        model_version: The model version to tag the snapshots with, instead of the monitor's.
    """
    window = monitor.window_for(logical_time(as_of))
    return evaluate_windows(
        monitor, [window], flow_kind="monitor", segments=segments, model_version=model_version
    )

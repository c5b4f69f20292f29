"""The ``ground-truth`` flow: labels that arrive late, joined with the predictions of past windows.

For each window in the period, the stored predictions (``include_data``) or the re-read source are
joined with the labels known now, and a model-quality report (ClassificationPreset or
RegressionPreset) is written with the window's time, tagged ``ground_truth``. Its id is
deterministic, so a later run (more labels) replaces the earlier snapshot of the same window.

When the monitor estimates quality (Estimated* metrics or tests), each window also gets a
``reconciliation`` test suite: realized against estimated on the labelled rows, with the monitor's
reference and stored estimator state, and TestConceptDrift FAIL when the realized score left the
band in ``ground_truth.concept_drift.consecutive`` windows in a row (each chunk re-evaluates the
windows just before it for that history).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from prefect import flow, tags
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from monitorflow.errors import ConfigurationError
from monitorflow.flows.backfill import Concurrency
from monitorflow.flows.monitor import check_segments, run_name
from monitorflow.flows.pipeline import MAX_CONCURRENCY, finish, run_chunks, unwalked
from monitorflow.flows.runtime import artifact_key, logical_time, retry_policy, run_tags, tag_run
from monitorflow.flows.summary import RunSummary
from monitorflow.monitoring import Monitor, Window
from monitorflow.monitoring.reconciliation import drift_tests
from monitorflow.monitoring.reconciliation import lookback as reconciliation_lookback
from monitorflow.monitoring.results import Kind
from monitorflow.tasks.estimation import ensure_estimation_panels, load_estimators
from monitorflow.tasks.ground_truth import compute_quality, load_labels, load_predictions
from monitorflow.tasks.load import load_reference
from monitorflow.tasks.upload import ensure_project
from monitorflow.timeutil import to_utc


def lookback_windows(monitor: Monitor, first: Window) -> list[Window]:
    """The windows before ``first`` whose reconciliation the concept-drift tests need as history."""
    return monitor.windows_before(first.start, reconciliation_lookback(monitor))


@flow(
    name="ground-truth",
    flow_run_name=run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=3 * MAX_CONCURRENCY + 1),  # type: ignore[arg-type]  # Prefect: TaskRunner[F] is invariant in F
)
def ground_truth_flow(
    monitor: Monitor,
    start: datetime | None = None,
    end: datetime | None = None,
    segments: list[str] | None = None,
    model_version: str | None = None,
    lookback: Annotated[timedelta, Field(gt=timedelta(0))] = timedelta(days=28),
    concurrency: Concurrency = 2,
) -> RunSummary:
    """Measure model quality for every window of a period, with the labels known now.

    By default the period ends with the last complete window at the run's scheduled time and starts
    lookback earlier, so a daily schedule re-scores the last four weeks as labels arrive.

    Args:
        monitor: The monitor, with its ground_truth section.
        start: The first window starting at or after this time (leave empty for end minus lookback).
        end: Windows starting before this time (leave empty for the last complete window's end).
        segments: Evaluate only these segments (leave empty for every segment).
        model_version: The model version to tag the snapshots with, instead of the monitor's.
        lookback: How far back the default period reaches.
        concurrency: How many windows are evaluated at once.
    """
    if monitor.ground_truth is None:
        raise ConfigurationError(f"monitor {monitor.name!r} has no ground_truth section", argument="monitor")
    check_segments(monitor, segments)
    stop = to_utc(end, "end") if end is not None else monitor.window_for(logical_time(None)).end
    windows = monitor.windows(to_utc(start, "start") if start is not None else stop - lookback, stop)
    version = model_version or monitor.model_version
    labels = run_tags(segments, version)
    tag_run(*labels, "ground_truth")
    io = retry_policy(monitor)
    tests = drift_tests(monitor)
    history = lookback_windows(monitor, windows[0]) if tests else []
    kinds: list[Kind] = ["ground_truth", "reconciliation"] if tests else ["ground_truth"]
    with tags(*labels, "ground_truth"):
        project = ensure_project.with_options(**io)(monitor.workspace, monitor.project, monitor.dashboard)
        known = load_labels.with_options(**io).submit(monitor, (history or windows)[0].start, windows[-1].end)
        stages, reference, states = [known], None, None
        if tests:  # reconcile the estimates: the same reference and estimator states as the monitor
            ensure_estimation_panels(monitor.workspace, project, monitor, version)
            reference = load_reference.with_options(**io).submit(monitor)
            states = load_estimators.with_options(**io).submit(monitor, project, unwalked(reference))
            stages += [reference, states]
        loader = load_predictions.with_options(**io)

        def submit(chunk: list[Window]) -> list:
            before = lookback_windows(monitor, chunk[0]) if tests else []
            predictions = loader.submit(monitor, project, before + chunk, version, len(before))
            evaluations = compute_quality.submit(
                monitor,
                unwalked(predictions),
                unwalked(known),
                version,
                segments,
                unwalked(reference),
                unwalked(states),
                len(before),
            )
            return [*stages, predictions, evaluations]

        outcomes = run_chunks(
            monitor,
            windows,
            submit,
            project=project,
            kinds=kinds,
            model_version=version,
            concurrency=concurrency,
            windows_per_task=None,
            progress_key=artifact_key(monitor.name, "ground-truth", "progress"),
        )
    return finish(monitor, "ground-truth", project, windows, outcomes, fail_on_tests=False)

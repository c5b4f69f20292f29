"""The commands that run Prefect flows: run, validate, backfill, ground-truth and alerts."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from monitorflow.cli.common import (
    ModelVersion,
    MonitorFile,
    Segment,
    Verbose,
    app,
    err,
    guard,
    out,
    parse_time,
    prefect_env,
    run_summary,
)
from monitorflow.errors import ConfigurationError


def run_flow(
    command: str,
    monitor: Path,
    verbose: bool,
    flow_name: str,
    times: dict[str, tuple[str, str | None]],
    segment: list[str] | None,
    model_version: str | None,
) -> None:
    """Run flow ``flow_name`` of ``monitorflow.flows`` on a monitor file and print its summary;
    ``times`` maps a flow parameter to its option and value."""

    def body() -> int:
        from monitorflow.monitoring import load_monitor  # lazy: pandas, CLI start-up

        config = load_monitor(monitor)
        when = {name: parse_time(value, option) for name, (option, value) in times.items()}
        prefect_env(verbose)
        from monitorflow import flows  # lazy: Prefect

        flow = getattr(flows, flow_name)
        return run_summary(
            command,
            lambda: flow(monitor=config, **when, segments=segment or None, model_version=model_version),
        )

    guard(command, body)


@app.command()
def run(
    monitor: MonitorFile,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="logical time (default: now, as a scheduled run)")
    ] = None,
    segment: Segment = None,
    model_version: ModelVersion = None,
    verbose: Verbose = False,
) -> None:
    """Evaluate the last complete window at --as-of and store its snapshots."""
    run_flow("run", monitor, verbose, "monitor_flow", {"as_of": ("--as-of", as_of)}, segment, model_version)


@app.command()
def validate(
    monitor: MonitorFile,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="also evaluate the window run --as-of would (not stored, no Prefect)"),
    ] = None,
) -> None:
    """Check a monitor file: its fields, and with --as-of that its data reads and evaluates (exit 1 when a
    window fails or a test cannot run, with the reason)."""

    def body() -> int:
        from monitorflow.monitoring import load_monitor  # lazy: pandas, CLI start-up
        from monitorflow.monitoring.windows import format_length  # lazy: pandas

        config = load_monitor(monitor)
        what = (
            f"{len(config.metrics)} metrics, {len(config.tests)} tests, window {format_length(config.window)}"
        )
        out().print(f"{escape(str(monitor))}: monitor {config.name!r} is valid ({escape(what)})")
        if as_of is None:
            return 0
        from monitorflow.monitoring.evaluate import evaluate_windows  # lazy: pandas
        from monitorflow.monitoring.loading import read_reference, read_windows  # lazy: pandas

        windows = [config.window_for(parse_time(as_of, "--as-of"))]
        evaluations = evaluate_windows(config, read_windows(config, windows), read_reference(config))
        errored = False
        for e in evaluations:
            o = e.outcome
            detail = o.reason or ", ".join(f"{k} {v}" for k, v in sorted(o.tests.items()))
            status = "ok (not stored)" if o.status == "written" else o.status
            out().print(f"  {status} {escape(o.label)}" + (f": {escape(detail)}" if detail else ""))
            for test in e.snapshot.tests if e.snapshot else []:
                if test.status.value == "ERROR":  # the test could not run: its description says why
                    errored = True
                    out().print(f"    ERROR {escape(test.name)}: {escape(test.description)}")
        return 1 if errored or any(e.outcome.status == "failed" for e in evaluations) else 0

    guard("validate", body)


@app.command()
def backfill(
    monitor: MonitorFile,
    start: Annotated[str, typer.Option(help="first window start (inclusive)")],
    end: Annotated[str, typer.Option(help="last window start (exclusive)")],
    segment: Segment = None,
    model_version: ModelVersion = None,
    concurrency: Annotated[int, typer.Option(min=1, max=16, help="chunks of windows in flight")] = 2,
    windows_per_task: Annotated[
        int | None, typer.Option(min=1, help="windows per task (default: auto)")
    ] = None,
    dask: Annotated[bool, typer.Option("--dask", help="run the tasks on a local Dask cluster")] = False,
    dask_address: Annotated[str | None, typer.Option(help="run the tasks on this Dask scheduler")] = None,
    deployment: Annotated[
        str | None, typer.Option(help="create one run per window of this deployment instead")
    ] = None,
    rerun: Annotated[
        bool,
        typer.Option(
            "--rerun",
            help="with --deployment: run every window again even if it already ran (after a data fix)",
        ),
    ] = False,
    verbose: Verbose = False,
) -> None:
    """Evaluate every window whose start lies in [--start, --end); re-runs replace, never duplicate."""

    def body() -> int:
        from monitorflow.monitoring import load_monitor  # lazy: pandas, CLI start-up

        config = load_monitor(monitor)
        first, last = parse_time(start, "--start"), parse_time(end, "--end")
        windows = config.windows(first, last)
        prefect_env(verbose)
        if rerun and not deployment:
            raise ConfigurationError(
                "--rerun goes with --deployment (a backfill without it always evaluates every window)",
                argument="--rerun",
            )
        if deployment:
            return schedule_runs(config, deployment, first, last, segment, model_version, rerun)
        backfill: Callable[..., Any]
        if dask or dask_address:
            from monitorflow.flows.on_dask import backfill_on_dask  # lazy: Prefect

            backfill = partial(backfill_on_dask, address=dask_address)
        else:
            from monitorflow.flows import backfill_flow  # lazy: Prefect

            backfill = backfill_flow
        flow_call = partial(
            backfill,
            monitor=config,
            start=first,
            end=last,
            segments=segment or None,
            model_version=model_version,
            concurrency=concurrency,
            windows_per_task=windows_per_task,
        )
        return run_summary("backfill", lambda: with_progress(len(windows), flow_call))

    guard("backfill", body)


def with_progress(total: int, call: Callable[[], Any]) -> Any:
    from rich.progress import (  # lazy: CLI start-up
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from monitorflow.flows import progress_listener  # lazy: Prefect

    columns = (TextColumn("windows"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err(), transient=False) as progress:
        bar = progress.add_task("windows", total=total)
        with progress_listener(lambda done, _total, _outcomes: progress.update(bar, completed=done)):
            return call()


def schedule_runs(
    config: Any, deployment: str, start: Any, end: Any, segments: Any, model_version: Any, rerun: bool
) -> int:
    from monitorflow.flows import schedule_window_runs  # lazy: Prefect

    label = uuid.uuid4().hex[:8] if rerun else None  # a new label: new runs, not the earlier ones
    runs = schedule_window_runs(
        deployment, config, start, end, segments=segments or None, model_version=model_version, rerun=label
    )
    reused = f"re-run {label}" if label else "existing ones are reused; --rerun runs them again"
    out().print(f"created {len(runs)} flow runs of {deployment} (one per window; {reused})")
    for flow_run in runs[:10]:
        out().print(f"  {flow_run.name}  scheduled {flow_run.expected_start_time}  {flow_run.id}")
    return 0


@app.command("ground-truth")
def ground_truth(
    monitor: MonitorFile,
    start: Annotated[
        str | None, typer.Option(help="first window start (default: --end minus 28 days)")
    ] = None,
    end: Annotated[str | None, typer.Option(help="last window start, exclusive (default: now)")] = None,
    segment: Segment = None,
    model_version: ModelVersion = None,
    verbose: Verbose = False,
) -> None:
    """Join late labels with past predictions and write model-quality snapshots per window."""
    times = {"start": ("--start", start), "end": ("--end", end)}
    run_flow("ground-truth", monitor, verbose, "ground_truth_flow", times, segment, model_version)


class AlertAction(StrEnum):
    render = "render"
    apply = "apply"


@app.command()
def alerts(
    action: Annotated[
        AlertAction,
        typer.Argument(
            help="render: print the file with the block's id, for "
            "prefect automation create -f; apply: create or update by name"
        ),
    ],
    path: Annotated[Path, typer.Argument(help="automation file, e.g. deployments/automations/alerts.yaml")],
    block: Annotated[str, typer.Option("--block", help="notification block: <type slug>/<name>")],
) -> None:
    """Alert automations from a file, notifying through a Prefect block (needs PREFECT_API_URL)."""

    def body() -> int:
        prefect_env(verbose=False)
        from monitorflow.flows import alerts as automations  # lazy: Prefect

        if action == AlertAction.render:
            sys.stdout.write(automations.render(path, automations.block_document_id(block)))
        else:
            for automation_id in automations.apply(path, block):
                out().print(str(automation_id))
        return 0

    guard("alerts", body)

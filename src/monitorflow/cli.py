"""The ``monitorflow`` command (typer + rich).

::

    monitorflow run MONITOR.yaml [--as-of 2026-03-01T06:00Z] [--segment eu] [--model-version v2]
    monitorflow backfill MONITOR.yaml --start 2026-01-01 --end 2026-03-01 [--concurrency 4] [--dask]
    monitorflow backfill MONITOR.yaml --start ... --end ... --deployment monitor/daily [--rerun]  # run per
    window
    monitorflow ground-truth MONITOR.yaml [--start ...] [--end ...]
    monitorflow demo [--workspace workspace]
    monitorflow reindex URI                 # rebuild a workspace's index from its stored snapshots
    monitorflow alerts render|apply FILE --block custom-webhook/NAME   # alert automations (Prefect)

Times without a time zone are local time. Errors print one line (``--debug`` shows the traceback).
Exit codes: 0 done; 1 the run failed (windows failed, failed tests with ``fail_on_test_failure``,
unreadable snapshots for ``reindex``); 2 bad input (arguments, monitor file, storage errors).
"""

from __future__ import annotations

import os
import sys
import traceback
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any, overload

import typer
from rich.console import Console
from rich.markup import escape

from monitorflow.errors import ConfigurationError, MonitoringError

app = typer.Typer(
    name="monitorflow",
    help="Monitor data and ML models: evaluate windows of data with Prefect and keep snapshots in a "
    "workspace.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
_STATE = {"debug": False}


def _out() -> Console:
    """stdout; when it is not a terminal, wide enough for a table with whole snapshot ids."""
    return Console(soft_wrap=True, highlight=False, width=None if sys.stdout.isatty() else 160)


def _err() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def _fail(command: str, exc: BaseException, code: int) -> typer.Exit:
    if _STATE["debug"]:
        traceback.print_exception(exc)
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, MonitoringError):
        text = f"{type(exc).__name__}: {text}"
    _err().print(f"monitorflow {command}: error: {escape(text)}")
    return typer.Exit(code)


def _guard(command: str, body: Callable[[], int]) -> None:
    """Run a command body: errors become one line on stderr; a non-zero result ends with that code."""
    try:
        code = body()
    except KeyboardInterrupt:
        _err().print(f"monitorflow {command}: interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:
        from monitorflow.flows.summary import RunFailed, TestsFailed  # lazy: Prefect, only once flows ran

        code = 1 if isinstance(exc, RunFailed | TestsFailed) else 2 if isinstance(exc, MonitoringError) else 1
        raise _fail(command, exc, code) from None
    if code:
        raise typer.Exit(code)


@overload
def _when(value: str, option: str) -> datetime: ...
@overload
def _when(value: str | None, option: str) -> datetime | None: ...
def _when(value: str | None, option: str) -> datetime | None:
    """``2026-01-05``, ``2026-01-05T06:00``, ``2026-01-05T06:00:00+01:00`` or ``...Z`` -> aware UTC."""
    if value is None:
        return None
    from monitorflow.timeutil import to_utc  # lazy: pandas, CLI start-up

    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ConfigurationError(
            f"{option} {value!r} is not a date or time; use e.g. 2026-01-05 or 2026-01-05T06:00:00Z",
            argument=option,
        ) from None
    return to_utc(parsed, option)


def _prefect_env(verbose: bool) -> None:
    """Defaults for the embedded Prefect server (set before Prefect is imported); the user's env wins."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def _print_summary(summary: Any, limit: int = 20) -> None:
    from rich.table import Table  # lazy: CLI start-up

    console = _out()
    if len(summary.outcomes) <= limit:
        table = Table(
            "window", "segment", "model", "kind", "status", "snapshot id", "tests / reason", box=None
        )
        for o in summary.outcomes:
            detail = o.reason or ", ".join(f"{k} {v}" for k, v in sorted(o.tests.items()))
            table.add_row(
                o.window.key,
                o.segment or "",
                o.model_version or "",
                o.kind,
                o.status,
                str(o.snapshot_id or ""),
                escape(detail),
            )
        console.print(table)
    else:
        for o in [*summary.skipped, *summary.failed][:limit]:
            console.print(f"  {o.status} {escape(o.label)}: {escape(o.reason or '')}")
    console.print(
        f"{summary.flow} {summary.monitor}: {summary.counts()}; project {summary.project!r} "
        f"({summary.project_id}) in {escape(summary.workspace)}"
    )


Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="show Prefect's logs")]
Segment = Annotated[
    list[str] | None, typer.Option("--segment", "-s", help="only this segment value (repeatable)")
]
ModelVersion = Annotated[
    str | None, typer.Option("--model-version", help="override the monitor's model version")
]
MonitorFile = Annotated[Path, typer.Argument(help="monitor definition (YAML)", metavar="MONITOR.yaml")]


def _run_summary(command: str, call: Callable[[], Any]) -> int:
    from monitorflow.flows.summary import RunFailed, TestsFailed  # lazy: Prefect

    try:
        summary = call()
    except (RunFailed, TestsFailed) as exc:
        _print_summary(exc.summary)
        raise
    _print_summary(summary)
    return 0


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

    def body() -> int:
        from monitorflow.monitoring import load_monitor  # lazy: pandas, CLI start-up

        config = load_monitor(monitor)
        when = _when(as_of, "--as-of")
        _prefect_env(verbose)
        from monitorflow.flows import monitor_flow  # lazy: Prefect

        return _run_summary(
            "run",
            lambda: monitor_flow(
                monitor=config, as_of=when, segments=segment or None, model_version=model_version
            ),
        )

    _guard("run", body)


@app.command()
def validate(
    monitor: MonitorFile,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="also evaluate the window run --as-of would (not stored, no Prefect)"),
    ] = None,
) -> None:
    """Check a monitor file: its fields, and with --as-of that its data reads and evaluates."""

    def body() -> int:
        from monitorflow.monitoring import load_monitor  # lazy: pandas, CLI start-up
        from monitorflow.monitoring.windows import format_length  # lazy: pandas

        config = load_monitor(monitor)
        what = (
            f"{len(config.metrics)} metrics, {len(config.tests)} tests, window {format_length(config.window)}"
        )
        _out().print(f"{escape(str(monitor))}: monitor {config.name!r} is valid ({escape(what)})")
        if as_of is None:
            return 0
        from monitorflow.monitoring.evaluate import evaluate_windows  # lazy: pandas
        from monitorflow.monitoring.loading import read_reference, read_windows  # lazy: pandas

        windows = [config.window_for(_when(as_of, "--as-of"))]
        outcomes = [
            e.outcome for e in evaluate_windows(config, read_windows(config, windows), read_reference(config))
        ]
        for o in outcomes:
            detail = o.reason or ", ".join(f"{k} {v}" for k, v in sorted(o.tests.items()))
            status = "ok (not stored)" if o.status == "written" else o.status
            _out().print(f"  {status} {escape(o.label)}" + (f": {escape(detail)}" if detail else ""))
        return 1 if any(o.status == "failed" for o in outcomes) else 0

    _guard("validate", body)


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
        first, last = _when(start, "--start"), _when(end, "--end")
        windows = config.windows(first, last)
        _prefect_env(verbose)
        if rerun and not deployment:
            raise ConfigurationError(
                "--rerun goes with --deployment (a backfill without it always evaluates every window)",
                argument="--rerun",
            )
        if deployment:
            return _schedule(config, deployment, first, last, segment, model_version, rerun)
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
        return _run_summary("backfill", lambda: _with_progress(len(windows), flow_call))

    _guard("backfill", body)


def _with_progress(total: int, call: Callable[[], Any]) -> Any:
    from rich.progress import (  # lazy: CLI start-up
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from monitorflow.flows import progress_listener  # lazy: Prefect

    columns = (TextColumn("windows"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_err(), transient=False) as progress:
        bar = progress.add_task("windows", total=total)
        with progress_listener(lambda done, _total, _outcomes: progress.update(bar, completed=done)):
            return call()


def _schedule(
    config: Any, deployment: str, start: Any, end: Any, segments: Any, model_version: Any, rerun: bool
) -> int:
    from monitorflow.flows import schedule_window_runs  # lazy: Prefect

    label = uuid.uuid4().hex[:8] if rerun else None  # a new label: new runs, not the earlier ones
    runs = schedule_window_runs(
        deployment, config, start, end, segments=segments or None, model_version=model_version, rerun=label
    )
    reused = f"re-run {label}" if label else "existing ones are reused; --rerun runs them again"
    _out().print(f"created {len(runs)} flow runs of {deployment} (one per window; {reused})")
    for flow_run in runs[:10]:
        _out().print(f"  {flow_run.name}  scheduled {flow_run.expected_start_time}  {flow_run.id}")
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

    def body() -> int:
        from monitorflow.monitoring import load_monitor  # lazy: pandas, CLI start-up

        config = load_monitor(monitor)
        first, last = _when(start, "--start"), _when(end, "--end")
        _prefect_env(verbose)
        from monitorflow.flows import ground_truth_flow  # lazy: Prefect

        return _run_summary(
            "ground-truth",
            lambda: ground_truth_flow(
                monitor=config, start=first, end=last, segments=segment or None, model_version=model_version
            ),
        )

    _guard("ground-truth", body)


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
        _prefect_env(verbose=False)
        from monitorflow.flows import alerts as automations  # lazy: Prefect

        if action == AlertAction.render:
            sys.stdout.write(automations.render(path, automations.block_document_id(block)))
        else:
            for automation_id in automations.apply(path, block):
                _out().print(str(automation_id))
        return 0

    _guard("alerts", body)


@app.command()
def demo(
    workspace: Annotated[Path, typer.Option(help="folder workspace to write into")] = Path("workspace"),
    output: Annotated[Path, typer.Option(help="generated data and HTML")] = Path("demo-output"),
    days: Annotated[int, typer.Option(min=1, max=366, help="days to backfill")] = 60,
) -> None:
    """Backfill 60 days of a generated churn model into a folder workspace and show what it found."""
    from monitorflow import demo as demo_module  # lazy: pandas, CLI start-up

    _guard(
        "demo",
        lambda: demo_module.main(
            ["--workspace", str(workspace), "--output", str(output), "--days", str(days)]
        ),
    )


@app.command()
def reindex(
    uri: Annotated[str, typer.Argument(help="workspace URI or folder path")],
    endpoint_url: Annotated[
        str | None, typer.Option(help="S3 endpoint URL (default: AWS_ENDPOINT_URL / AWS config)")
    ] = None,
    index_uri: Annotated[
        str | None, typer.Option(help="S3 only: the index database (default: a local SQLite cache)")
    ] = None,
) -> None:
    """Rebuild a workspace's index (listings, dashboard series) from its snapshots and datasets.

    URI: a folder, sqlite:///x.db, postgresql+psycopg://... or s3://bucket/prefix.
    """

    def body() -> int:
        from monitorflow.workspace import Workspace  # lazy: pandas, CLI start-up

        with Workspace(uri, endpoint_url=endpoint_url or None, index_uri=index_uri or None) as ws:
            report = ws.reindex()
        print(
            f"reindexed {ws.store.uri}: {report.projects} projects, {report.snapshots} snapshots, "
            f"{report.datasets} datasets; {report.removed} stale entries removed"
        )
        for item, error in sorted(report.errors.items()):
            print(f"  unreadable {item}: {error}", file=sys.stderr)
        return 1 if report.errors else 0

    try:
        code = body()
    except MonitoringError as exc:
        print(f"monitorflow reindex: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    if code:
        raise typer.Exit(code)


@app.command()
def ui(
    workspace: Annotated[str, typer.Option(help="workspace URI or folder path")] = "workspace",
    host: Annotated[
        str, typer.Option(help="address to bind (non-loopback needs --token or --insecure)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="MONITORFLOW_TOKEN", help="bearer token every route needs (reads too)"),
    ] = None,
    public_reads: Annotated[
        bool, typer.Option(help="serve dashboards and every read without the token (writes still need it)")
    ] = False,
    insecure: Annotated[bool, typer.Option(help="allow a non-loopback bind without a token")] = False,
    demo: Annotated[
        bool, typer.Option(help="write monitorflow demo's project here if missing (in the background)")
    ] = False,
    max_upload_mb: Annotated[
        float | None,
        typer.Option(min=0.001, help="largest snapshot upload in MiB (default: the workspace's limit)"),
    ] = None,
    log_level: Annotated[str, typer.Option(help="critical, error, warning, info or debug")] = "info",
) -> None:
    """Serve the REST API and the dashboards of a workspace."""
    from monitorflow.service.server import serve  # optional: ui extra

    limit = int(max_upload_mb * 1024 * 1024) if max_upload_mb else None
    try:
        if not demo:
            _check_folder_workspace(workspace)
        serve(
            workspace,
            host=host,
            port=port,
            token=token,
            insecure=insecure,
            demo=demo,
            max_upload_bytes=limit,
            log_level=log_level.lower(),
            public_reads=public_reads,
        )
    except MonitoringError as exc:
        print(f"monitorflow ui: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None


def _check_folder_workspace(workspace: str) -> None:
    """A folder given to ``ui`` must hold a workspace (or not exist yet: then say so, it may be a typo);
    serving any other folder would write an index into it and show no projects."""
    from monitorflow.errors import StorageError  # lazy: beside its storage import
    from monitorflow.storage.local import INDEX_FILE  # lazy: storage is the ui's import, not the CLI's

    if "://" in workspace:
        return
    folder = Path(workspace).expanduser()
    how = (
        "pass --workspace with the folder your monitors write to (their workspace: field), run `make demo` "
        "(or monitorflow demo) to create one here, or add --demo to start this one with the demo's project"
    )
    if not folder.exists():  # a new service that flows will write to (RemoteWorkspace), or a typo
        print(
            f"monitorflow ui: {str(folder)!r} does not exist: serving a new, empty workspace; {how}",
            file=sys.stderr,
        )
        return
    if not folder.is_dir():
        raise StorageError(f"no workspace at {str(folder)!r}: it is a file, not a folder; {how}")
    entries = list(folder.iterdir())
    if entries and not (folder / INDEX_FILE).exists() and not any(folder.glob("*/metadata.json")):
        raise StorageError(
            f"{str(folder)!r} is not a workspace: it holds {len(entries)} entries but no projects "
            f"(no {INDEX_FILE}, no <project>/metadata.json); {how}"
        )


@app.callback()
def _options(debug: Annotated[bool, typer.Option("--debug", help="show tracebacks")] = False) -> None:
    _STATE["debug"] = debug


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``monitorflow`` console script; returns the exit code."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="monitorflow")
    except SystemExit as exc:  # typer ends every command (and usage errors) with SystemExit
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What every ``monitorflow`` command shares: the Typer app, one-line errors and exit codes, time
parsing, the Prefect environment, option types and the run summary table."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
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
STATE = {"debug": False}


def out() -> Console:
    """stdout; when it is not a terminal, wide enough for a table with whole snapshot ids."""
    return Console(soft_wrap=True, highlight=False, width=None if sys.stdout.isatty() else 160)


def err() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def fail(command: str, exc: BaseException, code: int) -> typer.Exit:
    if STATE["debug"]:
        traceback.print_exception(exc)
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, MonitoringError):
        text = f"{type(exc).__name__}: {text}"
    err().print(f"monitorflow {command}: error: {escape(text)}")
    return typer.Exit(code)


def guard(command: str, body: Callable[[], int]) -> None:
    """Run a command body: errors become one line on stderr; a non-zero result ends with that code."""
    try:
        code = body()
    except KeyboardInterrupt:
        err().print(f"monitorflow {command}: interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:
        from monitorflow.flows.summary import RunFailed, TestsFailed  # lazy: Prefect, only once flows ran

        code = 1 if isinstance(exc, RunFailed | TestsFailed) else 2 if isinstance(exc, MonitoringError) else 1
        raise fail(command, exc, code) from None
    if code:
        raise typer.Exit(code)


@overload
def parse_time(value: str, option: str) -> datetime: ...
@overload
def parse_time(value: str | None, option: str) -> datetime | None: ...
def parse_time(value: str | None, option: str) -> datetime | None:
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


def prefect_env(verbose: bool) -> None:
    """Defaults for the embedded Prefect server (set before Prefect is imported); the user's env wins."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def print_summary(summary: Any, limit: int = 20) -> None:
    from rich.table import Table  # lazy: CLI start-up

    console = out()
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


def run_summary(command: str, call: Callable[[], Any]) -> int:
    from monitorflow.flows.summary import RunFailed, TestsFailed  # lazy: Prefect

    try:
        summary = call()
    except (RunFailed, TestsFailed) as exc:
        print_summary(exc.summary)
        raise
    print_summary(summary)
    return 0

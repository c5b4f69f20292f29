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

from collections.abc import Sequence
from typing import Annotated

import typer

from monitorflow.cli import flows, workspace  # noqa: F401  (registers the commands, in this order)
from monitorflow.cli.common import STATE, app


@app.callback()
def _options(debug: Annotated[bool, typer.Option("--debug", help="show tracebacks")] = False) -> None:
    STATE["debug"] = debug


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``monitorflow`` console script; returns the exit code."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="monitorflow")
    except SystemExit as exc:  # typer ends every command (and usage errors) with SystemExit
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return 0


__all__ = ["app", "main"]

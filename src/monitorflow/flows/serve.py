"""Serve a monitor's deployments from this process (no work pool): ``python -m monitorflow.flows.serve``.

::

    export PREFECT_API_URL=http://127.0.0.1:4200/api      # a running `prefect server start`
    python -m monitorflow.flows.serve deployments/monitors/churn.yaml --cron "0 6 * * *" --segment eu
    --segment us

creates ``monitor/<name>`` (one schedule per segment, each with its own ``segments`` parameter),
``backfill/<name>-backfill`` and, with a ground_truth section, ``ground-truth/<name>-ground-truth``,
then runs their flow runs in subprocesses until stopped (SIGTERM pauses the deployments).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from prefect import serve
from prefect.schedules import Cron

from monitorflow.flows.backfill import backfill_flow
from monitorflow.flows.ground_truth import ground_truth_flow
from monitorflow.flows.monitor import monitor_flow
from monitorflow.monitoring import Monitor, load_monitor


def deployments(monitor: Monitor, cron: str | None, segments: list[str], timezone: str = "UTC") -> list[Any]:
    """The RunnerDeployments of ``monitor``: scheduled monitor runs, a manual backfill, ground truth."""
    params = {"monitor": monitor.model_dump(mode="json")}
    schedules = None
    if cron:
        per_segment = [{"segments": [s]} for s in segments] or [{}]
        schedules = [
            Cron(cron, timezone=timezone, parameters=p, slug=f"{monitor.name}-{i}")
            for i, p in enumerate(per_segment)
        ]
    tags = ["monitorflow", f"monitor:{monitor.name}"]
    out = [
        monitor_flow.to_deployment(
            monitor.name, parameters=params, schedules=schedules, tags=tags, enforce_parameter_schema=True
        ),
        backfill_flow.to_deployment(
            f"{monitor.name}-backfill", parameters=params, tags=tags, enforce_parameter_schema=True
        ),
    ]
    if monitor.ground_truth is not None:
        out.append(
            ground_truth_flow.to_deployment(
                f"{monitor.name}-ground-truth", parameters=params, tags=tags, enforce_parameter_schema=True
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m monitorflow.flows.serve", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("monitor", help="monitor YAML")
    parser.add_argument("--cron", help="schedule of the monitor flow, e.g. '0 6 * * *' (default: none)")
    parser.add_argument("--timezone", default="UTC")
    parser.add_argument(
        "--segment", action="append", default=[], help="one schedule per segment value (repeatable)"
    )
    args = parser.parse_args(argv)
    serve(*deployments(load_monitor(args.monitor), args.cron, args.segment, args.timezone))
    return 0


if __name__ == "__main__":
    sys.exit(main())

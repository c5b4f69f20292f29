"""``make demo`` / ``monitorflow demo``: the demo's monitors backfilled with Prefect, then a summary.

Prefect runs on its embedded temporary server (no server to set up); its database is kept in
``<workspace>/.prefect`` unless ``PREFECT_HOME`` is set.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from monitorflow.demo.data import (
    DAYS,
    DRIFT_DAY,
    LABEL_DELAY,
    MODEL_VERSIONS,
    REGIONS,
    START,
    DemoData,
    write_data,
)
from monitorflow.demo.monitors import PROJECT, monitor_config, stored_reference

DESCRIPTION = (
    "Backfill 60 days of a generated churn model with Prefect into a folder workspace and show what it found."
)


def _prefect_env(workspace: Path) -> None:
    """Defaults for an embedded Prefect: a home under the workspace, a cold-start timeout, no telemetry."""
    os.environ.setdefault("PREFECT_HOME", str(workspace.resolve() / ".prefect"))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


@dataclass
class DemoResult:
    """What the demo wrote and found."""

    workspace: Path
    project_id: Any
    snapshots: int
    runs: list[Any] = field(default_factory=list)
    drift_days: dict[str, list[str]] = field(default_factory=dict)
    quality: dict[str, tuple[float, float]] = field(default_factory=dict)
    html: Path | None = None
    data: DemoData | None = None


def _analyse(ws: Any, project_id: Any, result: DemoResult) -> None:
    for version in MODEL_VERSIONS:
        for region in REGIONS:
            tags = [f"model_version:{version}", f"segment:{region}"]
            drift = ws.series(project_id, "DatasetDriftMetric", "dataset_drift", tags=tags)
            result.drift_days[f"{version} {region}"] = [
                t.date().isoformat() for t in drift.loc[drift["value"] > 0, "timestamp"]
            ]
        auc = ws.series(
            project_id,
            "ClassificationQualityMetric",
            "current.roc_auc",
            tags=["ground_truth", f"model_version:{version}"],
        )
        before, after = (
            auc.loc[auc["timestamp"] < DRIFT_DAY, "value"],
            auc.loc[auc["timestamp"] >= DRIFT_DAY, "value"],
        )
        result.quality[version] = (float(before.mean()), float(after.mean()))


def run(
    workspace: Path, output: Path, days: int = DAYS, concurrency: int = 2, echo: Any = print
) -> DemoResult:
    """Generate the data, backfill both model versions, score the delayed labels, write the HTML."""
    _prefect_env(workspace)
    from monitorflow.flows import backfill_flow, ground_truth_flow  # lazy: Prefect
    from monitorflow.monitoring import parse_monitor  # lazy: light import
    from monitorflow.monitoring.store import project_id  # lazy: light import
    from monitorflow.report import Report  # lazy: light import
    from monitorflow.workspace import Workspace  # lazy: light import

    data = write_data(output / "data", days)
    echo(
        f"  data: {data.rows:,} scored events in {data.events}/ (one Parquet file a day), labels up to "
        f"{data.labelled_until.date()} in {data.labels}"
    )
    with Workspace.create(workspace) as ws:
        pid = project_id(ws, PROJECT)
        reference = {"kind": "dataset", "dataset_id": stored_reference(ws, pid, data.reference)}
    end = START + timedelta(days=days)
    result = DemoResult(workspace=workspace, project_id=pid, snapshots=0, data=data)
    for version in MODEL_VERSIONS:
        monitor = parse_monitor(
            monitor_config(data, str(workspace), version, reference), f"demo monitor {version}"
        )
        (output / f"monitor-{version}.yaml").write_text(
            _yaml(monitor_config(data, str(workspace), version, reference))
        )
        for name, flow in (("backfill", backfill_flow), ("ground truth", ground_truth_flow)):
            began = time.perf_counter()
            summary = flow(monitor=monitor, start=START, end=end, concurrency=concurrency)
            note = " (no labels yet)" if name == "ground truth" and summary.skipped else ""
            echo(f"  {name} {version}: {summary.counts()}{note}  [{time.perf_counter() - began:.1f} s]")
            result.runs.append(summary)
    with Workspace(workspace) as ws:
        result.snapshots = len(ws.list_snapshots(pid))
        _analyse(ws, pid, result)
        latest = ws.list_snapshots(pid, kind="report", tags=["model_version:v1", "segment:eu"], limit=1)
        if latest:
            report = Report.from_snapshot(ws.load_snapshot(pid, latest[0].id))
            result.html = report.save_html(output / "latest-report.html")
    return result


def _yaml(data: dict[str, Any]) -> str:
    import yaml  # optional: prefect extra (pyyaml)

    return yaml.safe_dump(data, sort_keys=False)


def command(name: str) -> str:
    """How to type this environment's ``name`` script here: bare when the shell finds this one (an
    activated venv), else its path (``make demo`` runs ``.venv/bin/python`` without activating it)."""
    script = Path(sys.prefix) / "bin" / name
    found = shutil.which(name)
    if (
        found is not None and Path(found).absolute() == script.absolute()
    ):  # not resolved: venv python links out
        return name
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)


def main(argv: list[str] | None = None) -> int:
    """``monitorflow demo [--workspace DIR] [--output DIR] [--days N]``; prints what it wrote."""
    parser = argparse.ArgumentParser(prog="monitorflow demo", description=DESCRIPTION)
    parser.add_argument(
        "--workspace", type=Path, default=Path("workspace"), help="folder workspace (default: workspace)"
    )
    parser.add_argument(
        "--output", type=Path, default=Path("demo-output"), help="data and HTML (default: demo-output)"
    )
    parser.add_argument("--days", type=int, default=DAYS, help=f"days to backfill (default: {DAYS})")
    parser.add_argument("--concurrency", type=int, default=2, help="windows chunks in flight (default: 2)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    end = START + timedelta(days=args.days)
    print(
        f"monitorflow demo: a churn model, {args.days} daily windows {START.date()} to "
        f"{(end - timedelta(days=1)).date()}, drift from {DRIFT_DAY.date()}, labels {LABEL_DELAY.days} "
        "days late"
    )
    result = run(args.workspace, args.output, args.days, args.concurrency)
    where = args.workspace.resolve()
    print(f"workspace {where}: project {PROJECT!r} ({result.project_id}), {result.snapshots} snapshots")
    drift_day, after = DRIFT_DAY.date().isoformat(), max(0, (end - DRIFT_DAY).days)
    print(f"days with dataset drift detected (DatasetDriftMetric; the drift starts {drift_day}):")
    for key, days in result.drift_days.items():
        early = sum(d < drift_day for d in days)
        first = f", first {days[0]}" if days else ""
        print(
            f"  {key}: {len(days)} of {args.days} days{first} ({early} before {drift_day}, "
            f"{len(days) - early} of {after} from it)"
        )
    for version, scores in result.quality.items():
        shown = [f"{v:.3f}" if v == v else "n/a (no labels yet)" for v in scores]
        print(
            f"model quality {version} (ROC AUC from the delayed labels): {shown[0]} before the drift, "
            f"{shown[1]} after"
        )
    if result.html is not None:
        print(f"latest window's report (v1, eu): {result.html}  (file://{result.html.resolve()})")
    print("open the dashboard (drift onset, test failures, model quality of v1 against v2):")
    cli, python = command("monitorflow"), command("python")
    if cli != "monitorflow":
        folder = Path(cli).parent
        print(f"  (the commands are in {folder}: activate it with . {folder}/activate, or type these paths)")
    print(f"  {cli} ui --workspace {args.workspace}")
    print(f"  then http://127.0.0.1:8000/projects/{result.project_id}")
    print("look further:")
    if result.html is not None:
        print(f"  xdg-open {result.html}")
    print(
        f"  {python} -c \"from monitorflow.workspace import Workspace; ws = Workspace('{args.workspace}'); "
        f"print(ws.list_snapshots(ws.search_project('{PROJECT}')[0].id, limit=5))\""
    )
    print(
        f"  PREFECT_HOME={os.environ['PREFECT_HOME']} {command('prefect')} server start   # flow runs and "
        "artifacts at http://127.0.0.1:4200"
    )
    print(
        f"  {cli} backfill {args.output}/monitor-v1.yaml --start {START.date()} --end {end.date()}   "
        "# re-run: replaces, never duplicates"
    )
    print(f"finished in {time.perf_counter() - began:.0f} s")
    return 0

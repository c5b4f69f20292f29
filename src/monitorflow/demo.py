"""The demo behind ``make demo`` / ``monitorflow demo``: 60 days of a churn model, backfilled with Prefect.

It generates a scoring log, backfills every day for two segments (regions ``eu`` and ``us``) and two
model versions (``v1``, ``v2``) into a local folder workspace (``./workspace``), runs the
delayed-ground-truth flow, writes one HTML report of the latest window, and prints what it wrote.
Prefect runs on its embedded temporary server (no server to set up); its database is kept in
``<workspace>/.prefect`` unless ``PREFECT_HOME`` is set.

The dataset (:func:`make_events`, seeded, so every run writes the same results) is the log of a
churn model's scores, one row per scored customer event, in daily Parquet files
``<output>/data/events/YYYY-MM-DD.parquet``:

==================  ===========  =======================================================================
column              type         how it is generated
==================  ===========  =======================================================================
event_id            id           unique integer
event_time          datetime     uniform within its day (UTC)
region              segment      ``eu`` (about 420 events a weekday) or ``us`` (about 360)
model_version       filter       ``v1`` or ``v2``, 50/50 (an A/B test of two model versions)
plan                categorical  basic / standard / premium; **more premium from the drift day**
payment_method      categorical  card, bank transfer, paypal; 2 % missing; **paypal x2.5 from the drift day**
tenure_months       numerical    geometric, 1 to 72 months
monthly_charges     numerical    price of the plan + noise
sessions_7d         numerical    Poisson; higher on weekends; **+40 % from the drift day**
data_usage_gb       numerical    log-normal; higher on weekends; **x1.6 from the drift day**
support_calls_30d   numerical    Poisson(0.6)
age                 numerical    normal around 42, clipped to 18-85; 3 % missing
prediction          prediction   churn probability from the event's model version
==================  ===========  =======================================================================

Seasonality: 30 % fewer events on weekends, a monthly +-10 % cycle, more usage on weekends.
The drift starts on a known day (:data:`DRIFT_DAY`, 2026-02-09): usage, sessions, plan and
payment mix shift, and heavy users start to churn (a concept change). ``v1`` was trained before it
and degrades; ``v2`` also scores usage and holds up. Labels (``churned``) arrive
:data:`LABEL_DELAY` (14 days) after the event: ``<output>/data/labels.parquet`` holds only those
known at the end of the period, so the last two weeks have no model-quality snapshots yet.
The reference is a 28-day training sample before the period (``reference.parquet``, also stored in
the workspace as a dataset and read from there by id).

>>> events = make_events(0)
>>> sorted(events["region"].unique()), sorted(events["model_version"].unique())
(['eu', 'us'], ['v1', 'v2'])
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SEED = 20260105
#: First day of the monitored period, its length, and the day the drift starts.
START = datetime(2026, 1, 5, tzinfo=UTC)
DAYS = 60
DRIFT_DAY = datetime(2026, 2, 9, tzinfo=UTC)
#: Labels are known this long after the event.
LABEL_DELAY = timedelta(days=14)
REFERENCE_DAYS = 28
PROJECT = "churn-monitoring"
REGIONS = {"eu": 420, "us": 360}
MODEL_VERSIONS = ("v1", "v2")

PLANS, PLAN_PRICES = ["basic", "standard", "premium"], [19.0, 45.0, 79.0]
PAYMENTS = ["card", "bank_transfer", "paypal"]
NUMERICAL = ["tenure_months", "monthly_charges", "sessions_7d", "data_usage_gb", "support_calls_30d", "age"]
CATEGORICAL = ["plan", "payment_method"]
#: p-value tests: a day's few hundred rows against a 28-day reference (distance tests flag noise there).
DRIFT_TESTS = {"num_stattest": "ks", "cat_stattest": "chisquare"}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _day_events(rng: np.random.Generator, day: datetime, first_id: int) -> pd.DataFrame:
    """The scored events of one day (see the module docstring for each column)."""
    drifted = day >= DRIFT_DAY
    weekend = day.weekday() >= 5
    cycle = 1 + 0.1 * np.sin(2 * np.pi * (day - START).days / 30)
    frames = []
    for region, base in REGIONS.items():
        n = int(rng.poisson(base * (0.7 if weekend else 1.0) * cycle))
        plan_p = [0.35, 0.35, 0.30] if drifted else [0.5, 0.35, 0.15]
        plan = rng.choice(3, n, p=plan_p)
        payment_p = [0.45, 0.18, 0.37] if drifted else [0.6, 0.25, 0.15]
        payment = np.asarray(PAYMENTS, dtype=object)[rng.choice(3, n, p=payment_p)]
        payment[rng.random(n) < 0.02] = None
        tenure = np.minimum(rng.geometric(1 / 18, n), 72)
        calls = rng.poisson(0.6, n)
        sessions = rng.poisson((9.0 if weekend else 6.0) * (1 + 0.3 * plan) * (1.4 if drifted else 1.0))
        usage = rng.lognormal(1.6 + 0.25 * weekend + 0.3 * plan, 0.5) * (1.6 if drifted else 1.0)
        age = np.clip(rng.normal(42, 12, n), 18, 85).round()
        age[rng.random(n) < 0.03] = np.nan
        known = -1.0 - 0.05 * tenure + 0.55 * calls - 0.4 * plan  # what every model learnt
        heavy = (np.log(usage) - 2.2) / 0.5  # standardised usage
        truth = known + (0.9 * heavy if drifted else 0.0)  # heavy users churn after the drift day
        version = np.where(rng.random(n) < 0.5, "v1", "v2")
        score = np.where(version == "v1", known, known + 0.45 * heavy) + rng.normal(0, 0.35, n)
        seconds = np.sort(rng.uniform(0, 86_400, n))
        frames.append(
            pd.DataFrame(
                {
                    "event_id": np.arange(first_id, first_id + n),
                    "event_time": pd.Timestamp(day) + pd.to_timedelta(seconds, unit="s"),
                    "region": region,
                    "model_version": version,
                    "plan": np.asarray(PLANS)[plan],
                    "payment_method": payment,
                    "tenure_months": tenure,
                    "monthly_charges": (np.asarray(PLAN_PRICES)[plan] + rng.normal(0, 3.0, n)).round(2),
                    "sessions_7d": sessions,
                    "data_usage_gb": usage.round(3),
                    "support_calls_30d": calls,
                    "age": age,
                    "prediction": _sigmoid(score).round(4),
                    "churned": (rng.random(n) < _sigmoid(truth)).astype(int),
                }
            )
        )
        first_id += n
    return pd.concat(frames, ignore_index=True)


def make_events(day_index: int, seed: int = SEED) -> pd.DataFrame:
    """Events of day ``START + day_index`` (negative: the reference period), with their true labels."""
    day = START + timedelta(days=day_index)
    rng = np.random.default_rng([seed, day_index + 10_000])
    return _day_events(rng, day, first_id=(day_index + 10_000) * 10_000)


@dataclass
class DemoData:
    """Where the generated data is."""

    events: Path
    labels: Path
    reference: Path
    rows: int
    labelled_until: datetime


def write_data(folder: Path, days: int = DAYS) -> DemoData:
    """Daily event files (without labels), the labels known at the end, and the reference sample."""
    events_dir = folder / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    now = START + timedelta(days=days)
    labels, rows = [], 0
    for d in range(days):
        frame = make_events(d)
        rows += len(frame)
        day = START + timedelta(days=d)
        frame.drop(columns=["churned"]).to_parquet(events_dir / f"{day:%Y-%m-%d}.parquet", index=False)
        arrived = frame["event_time"] + LABEL_DELAY <= now
        labels.append(frame.loc[arrived, ["event_id", "event_time", "churned"]])
    labels_path = folder / "labels.parquet"
    pd.concat(labels, ignore_index=True).to_parquet(labels_path, index=False)
    reference = pd.concat([make_events(-d) for d in range(1, REFERENCE_DAYS + 1)], ignore_index=True)
    reference = reference.loc[reference["model_version"] == "v1"].drop(columns=["model_version", "churned"])
    reference_path = folder / "reference.parquet"
    reference.to_parquet(reference_path, index=False)
    return DemoData(events_dir, labels_path, reference_path, rows, now - LABEL_DELAY)


def monitor_config(data: DemoData, workspace: str, version: str, reference: dict[str, Any]) -> dict[str, Any]:
    """The monitor of one model version (what ``deployments/monitors/churn.yaml`` spells in YAML)."""
    return {
        "name": f"churn-{version}",
        "project": PROJECT,
        "workspace": workspace,
        "current": {
            "kind": "file",
            "path": str(data.events / "{start}.parquet"),
            "timestamp_column": "event_time",
            "filters": {"model_version": version},
            "missing_ok": True,
        },
        "reference": reference,
        "column_mapping": {
            "target": None,
            "prediction": "prediction",
            "id": "event_id",
            "datetime": "event_time",
            "numerical_features": NUMERICAL,
            "categorical_features": CATEGORICAL,
        },
        "metrics": [{"name": "DataDriftPreset", **DRIFT_TESTS}, "DatasetMissingValuesMetric"],
        "tests": [
            {"name": "TestNumberOfRows", "gte": 50},
            {"name": "TestShareOfDriftedColumns", "lt": 0.3, **DRIFT_TESTS},
            {"name": "TestColumnShareOfMissingValues", "column_name": "payment_method", "lte": 0.05},
        ],
        "window": "1d",
        "segments": {"columns": ["region"], "values": list(REGIONS)},
        "model_version": version,
        "include_data": True,
        "tags": ["demo"],
        "ground_truth": {
            "labels": {"kind": "file", "path": str(data.labels), "timestamp_column": "event_time"},
            "join_on": "event_id",
            "target": "churned",
            "task": "classification",
            "metrics": ["ClassificationQualityMetric", "ClassificationClassBalance"],
        },
    }


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


def _stored_reference(ws: Any, project_id: Any, path: Path) -> str:
    """The id of the reference dataset in the workspace (added on the first run)."""
    for info in ws.list_datasets(project_id):
        if info.name == "training-reference":
            return str(info.id)
    return str(
        ws.add_dataset(project_id, pd.read_parquet(path), "training-reference", "28 days before the period")
    )


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
    from monitorflow.flows import backfill_flow, ground_truth_flow
    from monitorflow.monitoring import parse_monitor
    from monitorflow.report import Report
    from monitorflow.tasks.upload import project_id
    from monitorflow.workspace import Workspace

    data = write_data(output / "data", days)
    echo(f"  data: {data.rows:,} scored events in {data.events}/ (one Parquet file a day), labels up to "
         f"{data.labelled_until.date()} in {data.labels}")  # fmt: skip
    with Workspace.create(workspace) as ws:
        pid = project_id(ws, PROJECT)
        reference = {"kind": "dataset", "dataset_id": _stored_reference(ws, pid, data.reference)}
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
    import yaml

    return yaml.safe_dump(data, sort_keys=False)


def main(argv: list[str] | None = None) -> int:
    """``monitorflow demo [--workspace DIR] [--output DIR] [--days N]``; prints what it wrote."""
    parser = argparse.ArgumentParser(prog="monitorflow demo", description=__doc__.split("\n\n")[0])
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
    print(f"monitorflow demo: a churn model, {args.days} daily windows {START.date()} to "
          f"{(end - timedelta(days=1)).date()}, drift from {DRIFT_DAY.date()}, labels {LABEL_DELAY.days} days late")  # fmt: skip
    result = run(args.workspace, args.output, args.days, args.concurrency)
    where = args.workspace.resolve()
    print(f"workspace {where}: project {PROJECT!r} ({result.project_id}), {result.snapshots} snapshots")
    drift_day, after = DRIFT_DAY.date().isoformat(), max(0, (end - DRIFT_DAY).days)
    print(f"days with dataset drift detected (DatasetDriftMetric; the drift starts {drift_day}):")
    for key, days in result.drift_days.items():
        early = sum(d < drift_day for d in days)
        first = f", first {days[0]}" if days else ""
        print(
            f"  {key}: {len(days)} of {args.days} days{first} ({early} before {drift_day}, {len(days) - early} of {after} from it)"
        )
    for version, (before, after) in result.quality.items():
        shown = [f"{v:.3f}" if v == v else "n/a (no labels yet)" for v in (before, after)]
        print(
            f"model quality {version} (ROC AUC from the delayed labels): {shown[0]} before the drift, {shown[1]} after"
        )
    if result.html is not None:
        print(f"latest window's report (v1, eu): {result.html}  (file://{result.html.resolve()})")
    print("look at it:")
    if result.html is not None:
        print(f"  xdg-open {result.html}")
    print(f"  python -c \"from monitorflow.workspace import Workspace; ws = Workspace('{args.workspace}'); "
          f"print(ws.list_snapshots(ws.search_project('{PROJECT}')[0].id, limit=5))\"")  # fmt: skip
    print(
        f"  PREFECT_HOME={os.environ['PREFECT_HOME']} prefect server start   # flow runs and artifacts at http://127.0.0.1:4200"
    )
    print(
        f"  monitorflow backfill {args.output}/monitor-v1.yaml --start {START.date()} --end {end.date()}   # re-run: replaces, never duplicates"
    )
    print(f"finished in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Backfill: 365 daily windows (10k rows x 20 columns each, DataDriftPreset) into a folder workspace.

Times the ``backfill`` flow on Prefect's thread pool against the same load -> compute -> upload
steps run as plain functions (sequentially, and on a plain thread pool of the same size), so the
per-window overhead of the Prefect machinery is separated from the computation. Data: 7 distinct
daily Parquet files (``common.drifted_pair`` mixed columns, some drifted), copied to one file a day;
a fixed 10k-row reference. The ephemeral Prefect server start is measured apart (a warm-up run).
Then the backfill runs again to check it replaces instead of duplicating. Target: under 60 s for
365 windows with the thread pool. ``--quick``: 60 windows. No peer (Evidently has no orchestrator).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import REPO, RESULTS, _format, drifted_pair, feature_mapping, parser

sys.path.insert(0, str(REPO / "src"))
HOME = tempfile.mkdtemp(prefix="mf-bench-prefect-")
for key, value in {
    "PREFECT_HOME": HOME,
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "ERROR",
}.items():
    os.environ.setdefault(key, value)

from monitorflow.monitoring import Monitor, Window, parse_monitor  # noqa: E402
from monitorflow.workspace import Workspace  # noqa: E402

START = datetime(2025, 1, 1, tzinfo=UTC)
ROWS, COLUMNS, DISTINCT_DAYS = 10_000, 20, 7


def prepare(folder: Path, days: int) -> dict:
    """Daily files and the reference; returns the monitor definition (without its workspace)."""
    (folder / "days").mkdir(parents=True)
    reference = None
    for k in range(DISTINCT_DAYS):
        reference, current = drifted_pair(ROWS, COLUMNS, seed=k, drift_share=0.1 * (k % 4))
        current.to_parquet(folder / f"distinct-{k}.parquet")
    reference.to_parquet(folder / "reference.parquet")
    for d in range(days):
        shutil.copyfile(
            folder / f"distinct-{d % DISTINCT_DAYS}.parquet",
            folder / "days" / f"{START + timedelta(days=d):%Y-%m-%d}.parquet",
        )
    return {
        "name": "bench-backfill",
        "project": "bench",
        "current": {"kind": "file", "path": str(folder / "days" / "{start}.parquet")},
        "reference": {"kind": "file", "path": str(folder / "reference.parquet")},
        "column_mapping": feature_mapping(reference),
        "metrics": ["DataDriftPreset"],
        "window": "1d",
        "retries": 0,
    }


def plain(monitor: Monitor, windows: list[Window], workers: int) -> float:
    """The flow's steps as plain functions (``task.fn``), one window at a time, on ``workers`` threads."""
    from monitorflow.tasks import (
        compute_windows,
        ensure_project,
        load_reference,
        load_windows,
        upload_snapshots,
    )

    began = time.perf_counter()
    project = ensure_project.fn(monitor.workspace, monitor.project)
    reference = load_reference.fn(monitor)

    def one(window: Window) -> None:
        evaluations = compute_windows.fn(monitor, load_windows.fn(monitor, [window]), reference)
        upload_snapshots.fn(monitor.workspace, project, evaluations)

    if workers == 1:
        for window in windows:
            one(window)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, windows))
    return time.perf_counter() - began


def run_mode(kind: str, monitor: Monitor, windows: list[Window], workers: int) -> float:
    """Seconds to evaluate ``windows`` as plain functions, as the backfill flow, or on Dask."""
    if kind == "plain":
        return plain(monitor, windows, workers)
    began = time.perf_counter()
    if kind == "flow":
        from monitorflow.flows import backfill_flow

        backfill_flow(monitor=monitor, start=windows[0].start, end=windows[-1].end, concurrency=workers)
    else:
        from monitorflow.flows.on_dask import backfill_on_dask

        backfill_on_dask(monitor, windows[0].start, windows[-1].end, n_workers=workers)
    return time.perf_counter() - began


def count(monitor: Monitor) -> int:
    with Workspace(monitor.workspace) as ws:
        return len(ws.list_snapshots(ws.search_project(monitor.project)[0].id))


def reference_once(folder: Path, windows: int, repeats: int) -> dict[str, float]:
    """Per-window time of the compute step with a fixed reference profiled per window (before) and
    once for the run (now: the flows share its column statistics across windows)."""
    import pandas as pd

    from monitorflow import ColumnMapping, Report
    from monitorflow.context import share_reference_stats
    from monitorflow.metric_preset import DataDriftPreset

    reference = pd.read_parquet(folder / "reference.parquet")
    currents = [pd.read_parquet(folder / f"distinct-{k}.parquet") for k in range(DISTINCT_DAYS)]
    mapping = ColumnMapping(**feature_mapping(reference))
    shared = reference.copy()
    share_reference_stats(shared)

    def window(k: int, ref: pd.DataFrame) -> None:
        Report(metrics=[DataDriftPreset()]).run(
            reference_data=ref, current_data=currents[k % DISTINCT_DAYS], column_mapping=mapping
        )

    out: dict[str, list[float]] = {"profiled per window (before)": [], "profiled once (now)": []}
    window(0, shared)  # profiles the shared reference
    for _ in range(repeats):
        for label in out:
            began = time.process_time()
            for k in range(windows):
                window(k, reference.copy() if label.startswith("profiled per") else shared)
            out[label].append(1000 * (time.process_time() - began) / windows)
    return {label: statistics.median(v) for label, v in out.items()}


def main() -> None:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=None, help="windows (default 365; --quick 60)")
    p.add_argument("--concurrency", type=int, default=2, help="chunks in flight (default 2)")
    p.add_argument("--dask", action="store_true", help="also time the backfill on a local Dask cluster")
    args = p.parse_args()
    days = args.days or (60 if args.quick else 365)
    print(
        f"== backfill: {days} daily windows of {ROWS:,} x {COLUMNS}, DataDriftPreset, folder workspace; "
        f"concurrency {args.concurrency}; {os.cpu_count()} CPUs",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="mf-bench-backfill-") as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        config = prepare(folder, days)
        print(f"  data ready in {time.perf_counter() - began:.1f} s", flush=True)
        once = reference_once(folder, min(days, 60), args.repeats)
        print(
            "  fixed reference, compute step per window (CPU ms, median of repeats): "
            + ", ".join(f"{label} {ms:.0f}" for label, ms in once.items()),
            flush=True,
        )
        base = parse_monitor({**config, "workspace": str(folder / "ws-warmup")})
        windows = base.windows(START, START + timedelta(days=days))

        began = time.perf_counter()
        from monitorflow.flows import backfill_flow

        imported = time.perf_counter() - began
        began = time.perf_counter()
        backfill_flow(monitor=base, start=START, end=START + timedelta(days=1))  # starts the ephemeral server
        warmup = time.perf_counter() - began
        print(
            f"  import {imported:.1f} s; first flow run incl. ephemeral server start {warmup:.1f} s",
            flush=True,
        )

        modes = {
            "plain functions, sequential": ("plain", 1),
            f"plain functions, {args.concurrency} threads": ("plain", args.concurrency),
            f"backfill flow, thread pool, concurrency {args.concurrency}": ("flow", args.concurrency),
        }
        if args.dask:
            modes[f"backfill flow, Dask LocalCluster ({os.cpu_count()} processes)"] = (
                "dask",
                os.cpu_count() or 2,
            )
        runs: dict[str, list[float]] = {label: [] for label in modes}
        cpu_s: dict[str, list[float]] = {
            label: [] for label in modes
        }  # this process only (not the API server)
        for r in range(args.repeats):  # interleaved, rotating the order: machine noise hits every mode
            labels = list(modes)[r % len(modes) :] + list(modes)[: r % len(modes)]
            for label in labels:
                kind, workers = modes[label]
                monitor = base.model_copy(update={"workspace": str(folder / f"ws-{kind}-{workers}-{r}")})
                cpu = time.process_time()
                runs[label].append(run_mode(kind, monitor, windows, workers))
                cpu_s[label].append(time.process_time() - cpu)
                print(
                    f"  run {r + 1} {label}: {runs[label][-1]:.1f} s (CPU {cpu_s[label][-1]:.1f} s)",
                    flush=True,
                )
        flow_label = f"backfill flow, thread pool, concurrency {args.concurrency}"
        monitor = base.model_copy(update={"workspace": str(folder / "ws-flow-0")})
        began = time.perf_counter()
        summary = backfill_flow(
            monitor=monitor, start=START, end=START + timedelta(days=days), concurrency=args.concurrency
        )
        runs["backfill flow again (replaces)"] = [time.perf_counter() - began]
        snapshots = count(monitor)
        print(
            f"  again: {runs['backfill flow again (replaces)'][0]:.1f} s ({summary.counts()}; {snapshots} "
            "snapshots stored)"
        )

    med = {label: statistics.median(v) for label, v in runs.items()}
    best = {label: min(v) for label, v in runs.items()}
    cpu = {label: statistics.median(v) for label, v in cpu_s.items()}
    table = [("run", "median s", "min s", "per window ms (median)", "CPU s (median)")]
    table += [
        (
            k,
            f"{med[k]:.1f}",
            f"{best[k]:.1f}",
            f"{1000 * med[k] / days:.0f}",
            f"{cpu[k]:.1f}" if k in cpu else "-",
        )
        for k in runs
    ]
    print("\n" + _format(table))
    threaded = f"plain functions, {args.concurrency} threads"
    flow_s = med[flow_label]
    overhead_ms = 1000 * (flow_s - med[threaded]) / days
    print(
        "\ncomputation (load + DataDriftPreset + upload, sequential): "
        f"{1000 * med['plain functions, sequential'] / days:.0f} ms a window"
    )
    spread = ""
    if args.repeats > 1:
        spread_ms = 1000 * max(max(v) - min(v) for v in runs.values() if len(v) > 1) / days
        spread = f"; repeated runs of one mode differ by up to {spread_ms:.0f} ms a window on this machine"
    print(
        "Prefect machinery (flow minus the same work on plain threads, medians): "
        f"{overhead_ms:.0f} ms a window "
        f"({100 * (flow_s - med[threaded]) / flow_s:.0f} % of the flow's time){spread}"
    )
    cpu_overhead = 1000 * (cpu[flow_label] - cpu[threaded]) / days
    print(
        f"CPU time of this process, flow minus plain threads: {cpu_overhead:.0f} ms a window "
        "(the Prefect API server, a subprocess, is not counted)"
    )
    print(
        f"snapshots after a re-run: {snapshots} for {days} windows; target < 60 s for 365 windows with the "
        f"thread pool: {'met' if days < 365 or flow_s < 60 else 'missed'} (median {flow_s:.1f} s, best "
        f"{best[flow_label]:.1f} s)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "backfill.json"
    out.write_text(
        json.dumps(
            {
                "bench": "backfill",
                "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "args": vars(args),
                "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
                "windows": days,
                "rows": ROWS,
                "columns": COLUMNS,
                "import_s": imported,
                "warmup_s": warmup,
                "seconds": runs,
                "cpu_seconds": cpu_s,
                "prefect_overhead_ms_per_window": overhead_ms,
                "snapshots_after_rerun": snapshots,
            },
            indent=1,
        )
    )
    print(f"results: {out.relative_to(REPO)}")
    shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()

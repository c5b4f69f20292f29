"""One side of the workspace comparison with Evidently's legacy local Workspace.

Prints ``BENCH_RESULT {json}``.

Usage::

    python bench/child_workspace.py ours|peer ingest DIR N
    python bench/child_workspace.py ours|peer query DIR [--calls C] [--budget S]

DIR holds ``reference.parquet`` and ``current.parquet`` (written by ``bench_workspace.py``); the
workspace is the folder ``DIR/ws-<side>``. Runs in both interpreters: "ours" imports monitorflow,
"peer" Evidently's legacy API (``evidently.legacy``); only the standard library and pandas are
imported at top level.

``ingest``: run one report (DatasetSummaryMetric, ColumnDriftMetric(num_0), DataDriftTable) on the
data with the side's own ``Report``, create a project whose dashboard has one line panel (rows over
time), then add N snapshots of that report with timestamps 10 minutes apart from 2025-01-01
(N = 10,000 spans 69 days), alternating tags ``segment:eu``/``segment:us``, metadata ``model_id``
m0..m2 and ``current.number_of_rows = 1000 + i % 500``. Only the ``add_snapshot`` calls are timed;
building each snapshot object is not (ours: the report JSON with the id, timestamp, tags, metadata
and row count replaced, parsed by ``Snapshot.model_validate_json``; Evidently: shallow pydantic
copies of the one ``report.to_snapshot()`` with those fields replaced, so no re-parsing).

``query``: open the workspace in this fresh process (Evidently parses every snapshot file here;
timed as ``open_s`` with the RSS after it), then time each query: one warm-up call (its time is
kept as ``first_ms``), then up to C calls or S seconds (at least 3 calls); p50/p95 in ms.

- list all: every snapshot's metadata (ours ``ws.list_snapshots(pid)``; Evidently
  ``project.list_snapshots()``, what its UI's ``/snapshots`` endpoint returns);
- list newest 100: ours ``limit=100``; Evidently has no paging: list, sort by time, slice;
- series / series, tag: one value over time, ``DatasetSummaryMetric`` ``current.number_of_rows``
  (ours ``ws.series``; Evidently ``data_storage.load_points(project_id, ReportFilter, [PanelValue])``,
  the call every plot and counter panel makes, with ``tag_values=["segment:eu"]`` for the tag);
- dashboard: the project's dashboard with that one line panel and every point (ours
  ``ws.dashboard_data(project.id, DashboardQuery(max_points=N))``, what ``GET
  /api/projects/{id}/dashboard`` returns; Evidently ``project.build_dashboard_info(None, None)``,
  what its ``GET /api/projects/{id}/dashboard`` builds).
"""

from __future__ import annotations

import gc
import importlib
import itertools
import json
import os
import statistics
import sys
import time
import traceback
from datetime import UTC, datetime, timedelta

import pandas as pd

MARKER = "BENCH_RESULT "
ROWS_MARK = 987654321
T0 = datetime(2025, 1, 1)
METRIC, FIELD, TAG = "DatasetSummaryMetric", "current.number_of_rows", "segment:eu"


def emit(**result) -> None:
    print(MARKER + json.dumps(result, default=str), flush=True)


def rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as f:
        line = next(ln for ln in f if ln.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def disk_mb(path: str) -> float:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files) / 1e6


def fields(i: int) -> dict:
    """What varies per snapshot: time, tags, metadata and the row count."""
    return {
        "timestamp": T0 + timedelta(minutes=10 * i),
        "tags": ["segment:eu" if i % 2 == 0 else "segment:us"],
        "metadata": {"model_id": f"m{i % 3}"},
        "rows": 1000 + i % 500,
    }


def latency(fn, calls: int, budget: float) -> dict:
    """First call (warm-up) time, then p50/p95 over up to ``calls`` calls or ``budget`` s (>= 3)."""
    start = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - start) * 1000
    times: list[float] = []
    began = time.perf_counter()
    while len(times) < calls and (len(times) < 3 or time.perf_counter() - began < budget):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "first_ms": first,
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
        "calls": len(times),
        "rows": result if isinstance(result, int) else None,
    }


def load_data(folder: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pd.read_parquet(os.path.join(folder, "reference.parquet")),
        pd.read_parquet(os.path.join(folder, "current.parquet")),
    )


# ------------------------------------------------------------------------------------------ ours


class WorkspaceAPI:
    """What both sides share: Evidently's workspace API and ours have the same names."""

    Workspace: type

    def add(self, ws, project, snapshot) -> None:
        ws.add_snapshot(project.id, snapshot)

    def open(self, path: str):
        ws = self.Workspace(path)
        return ws, ws.list_projects()[0]


class Ours(WorkspaceAPI):
    name = "monitorflow"

    def __init__(self) -> None:
        import monitorflow
        from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric
        from monitorflow.panel_data import DashboardQuery
        from monitorflow.panels import DashboardPanelPlot, PanelValue, PlotType, ReportFilter
        from monitorflow.snapshot import Snapshot
        from monitorflow.workspace import Workspace

        self.version = monitorflow.__version__
        self.Report, self.Snapshot, self.Workspace = monitorflow.Report, Snapshot, Workspace
        self.metrics = lambda: [
            DatasetSummaryMetric(),
            ColumnDriftMetric(column_name="num_0"),
            DataDriftTable(),
        ]
        self.panel = lambda: DashboardPanelPlot(
            title="rows",
            filter=ReportFilter(),
            values=[PanelValue(metric_id=METRIC, field_path=FIELD)],
            plot_type=PlotType.LINE,
        )
        self.DashboardQuery = DashboardQuery

    def create(self, path: str):
        ws = self.Workspace(path)
        project = ws.create_project("bench")
        project.dashboard.add_panel(self.panel())
        project.save()
        return ws, project

    def snapshots(self, reference, current, n: int):
        from monitorflow.ids import uuid7

        report = self.Report(metrics=self.metrics())
        report.run(reference_data=reference, current_data=current)
        body = report.to_snapshot().model_dump(mode="json")
        body["metrics"][0]["result"]["current"]["number_of_rows"] = ROWS_MARK
        for i in range(n):
            f = fields(i)
            one = dict(
                body,
                id=str(uuid7()),
                timestamp=f["timestamp"].replace(tzinfo=UTC).isoformat(),
                tags=f["tags"],
                metadata=f["metadata"],
            )
            yield self.Snapshot.model_validate_json(json.dumps(one).replace(str(ROWS_MARK), str(f["rows"])))

    def queries(self, ws, project, n: int) -> dict:
        pid = project.id

        def series(tags=None):
            frame = ws.series(pid, METRIC, FIELD, tags=tags)
            return len(frame), float(frame["value"].sum())

        def dashboard():
            data = ws.dashboard_data(project.id, self.DashboardQuery(max_points=max(n, 10)))
            return sum(len(t["x"]) for p in data["panels"] for t in p["data"]["traces"])

        return {
            "list all": lambda: len(ws.list_snapshots(pid)),
            "list newest 100": lambda: len(ws.list_snapshots(pid, limit=100)),
            "series": lambda: series()[0],
            "series, tag": lambda: series([TAG])[0],
            "dashboard": dashboard,
            "_check": lambda: series(),
        }


# ------------------------------------------------------------------------------------------ peer


class Peer(WorkspaceAPI):
    name = "evidently"

    def __init__(self) -> None:
        import evidently
        from evidently.legacy.core import new_id
        from evidently.legacy.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric
        from evidently.legacy.report import Report
        from evidently.legacy.ui.dashboards import DashboardPanelPlot, PanelValue, PlotType, ReportFilter
        from evidently.legacy.ui.workspace import Workspace
        from evidently.legacy.utils.sync import async_to_sync

        self.version = evidently.__version__
        self.Report, self.Workspace, self.new_id, self.sync = Report, Workspace, new_id, async_to_sync
        self.ReportFilter, self.value = ReportFilter, PanelValue(metric_id=METRIC, field_path=FIELD)
        self.metrics = lambda: [
            DatasetSummaryMetric(),
            ColumnDriftMetric(column_name="num_0"),
            DataDriftTable(),
        ]
        self.panel = lambda: DashboardPanelPlot(
            title="rows",
            filter=ReportFilter(metadata_values={}, tag_values=[]),
            values=[self.value],
            plot_type=PlotType.LINE,
        )

    def create(self, path: str):
        ws = self.Workspace.create(path)
        project = ws.create_project("bench")
        project.dashboard.add_panel(self.panel())
        project.save()
        return ws, project

    def snapshots(self, reference, current, n: int):
        report = self.Report(metrics=self.metrics(), timestamp=T0)
        report.run(reference_data=reference, current_data=current)
        base = report.to_snapshot()
        suite = base.suite
        k = next(j for j, m in enumerate(suite.metrics) if type(m).__name__ == METRIC)
        result = suite.metric_results[k]
        for i in range(n):
            f = fields(i)
            results = list(suite.metric_results)
            results[k] = result.copy(
                update={"current": result.current.copy(update={"number_of_rows": f["rows"]})}
            )
            yield base.copy(
                update={
                    "id": self.new_id(),
                    "timestamp": f["timestamp"],
                    "tags": f["tags"],
                    "metadata": f["metadata"],
                    "suite": suite.copy(update={"metric_results": results}),
                }
            )

    def queries(self, ws, project, n: int) -> dict:
        pid, storage = project.id, ws.project_manager.data_storage

        def series(tags=()):
            flt = self.ReportFilter(metadata_values={}, tag_values=list(tags))
            points = self.sync(storage.load_points(pid, flt, [self.value], None, None))[0]
            values = [p.value for pts in points.values() for p in pts]
            return len(values), float(sum(values))

        def newest():
            return len(sorted(project.list_snapshots(), key=lambda s: s.timestamp, reverse=True)[:100])

        def dashboard():
            info = project.build_dashboard_info(None, None)
            return sum(len(t["x"]) for w in info.widgets for t in w.params["data"])

        return {
            "list all": lambda: len(project.list_snapshots()),
            "list newest 100": newest,
            "series": lambda: series()[0],
            "series, tag": lambda: series([TAG])[0],
            "dashboard": dashboard,
            "_check": lambda: series(),
        }


# ------------------------------------------------------------------------------------------ main


def ingest(api, folder: str, n: int) -> dict:
    reference, current = load_data(folder)
    path = os.path.join(folder, f"ws-{'ours' if isinstance(api, Ours) else 'peer'}")
    start = time.perf_counter()
    snapshots = api.snapshots(reference, current, n)
    first = next(snapshots)  # runs the report
    report_s = time.perf_counter() - start
    ws, project = api.create(path)
    checkpoints = {max(1, n // 10), n // 4, n // 2, 3 * n // 4, n}
    spent, rss, i = 0.0, {}, 0
    for snap in itertools.chain([first], snapshots):
        i += 1
        start = time.perf_counter()
        api.add(ws, project, snap)
        spent += time.perf_counter() - start
        if i in checkpoints:
            rss[i] = rss_mb()
    snapshot_dir = os.path.join(path, str(project.id), "snapshots")
    one = os.path.join(snapshot_dir, sorted(os.listdir(snapshot_dir))[0])
    return {
        "snapshots": i,
        "report_s": report_s,
        "add_s": spent,
        "add_per_s": i / spent if spent else None,
        "ingest_rss_mb": rss,
        "snapshot_kb": os.path.getsize(one) / 1024,
        "disk_mb": disk_mb(path),
    }


def query(api, folder: str, calls: int, budget: float) -> dict:
    path = os.path.join(folder, f"ws-{'ours' if isinstance(api, Ours) else 'peer'}")
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    ws, project = api.open(path)
    open_s = time.perf_counter() - start
    opened = rss_mb()
    queries = api.queries(ws, project, len(os.listdir(os.path.join(path, str(project.id), "snapshots"))))
    check = queries.pop("_check")
    out = {label: latency(fn, calls, budget) for label, fn in queries.items()}
    rows, total = check()
    return {
        "open_s": open_s,
        "rss_before_open_mb": before,
        "rss_open_mb": opened,
        "peak_mb": rss_mb("VmHWM"),
        "queries": out,
        "series_rows": rows,
        "series_sum": total,
    }


def main(argv: list[str]) -> None:
    side, phase, folder, *rest = argv
    opts = dict(zip(rest[::2], rest[1::2], strict=False))
    try:
        api = Ours() if side == "ours" else Peer()
    except ImportError as e:
        emit(status="unavailable", error=f"{type(e).__name__}: {e}")
        return
    for module in ("scipy.stats",):  # imported lazily by ours: keep imports out of the timings
        importlib.import_module(module)
    if phase == "ingest":
        result = ingest(api, folder, int(rest[0]))
    else:
        result = query(api, folder, int(opts.get("--calls", 20)), float(opts.get("--budget", 20)))
    emit(status="ok", side=side, phase=phase, version=api.version, pandas=pd.__version__, **result)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as e:  # noqa: BLE001 - the parent shows the message
        traceback.print_exc()
        emit(status="error", error=f"{type(e).__name__}: {e}"[:500])

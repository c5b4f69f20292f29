"""Service: dashboard data of 20 panels over HTTP (p50 / p95) and the service's memory,
1,000 -> 10,000 snapshots.

The service runs as ``monitorflow ui`` in its own process over a folder workspace; this process
ingests snapshots of real reports and test suites (one an hour, tags ``segment:a``/``segment:b``,
every 5th a test suite) straight into the workspace, and at each checkpoint times ``GET
/api/projects/{id}/dashboard`` (all time, and the last 30 days) with keep-alive HTTP, plus the
snapshot list page, then reads the service's RSS and CPU time from /proc (CPU ms per dashboard
request: steadier than latency on a shared machine). Targets: dashboard p95 < 300 ms at
10,000 snapshots; service RSS flat as snapshots grow. ``--quick``: 200 -> 1,000 snapshots.
Also times uploads through ``RemoteWorkspace`` (snapshots/s over HTTP).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from common import REPO, RESULTS, _format, parser

sys.path.insert(0, str(REPO / "src"))

import httpx  # noqa: E402

from monitorflow import Report, TestSuite  # noqa: E402
from monitorflow.checks import (  # noqa: E402
    TestColumnDrift,
    TestNumberOfRows,
    TestShareOfDriftedColumns,
    TestShareOfMissingValues,
)
from monitorflow.ids import uuid7  # noqa: E402
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric  # noqa: E402
from monitorflow.panels import (  # noqa: E402
    CounterAgg,
    DashboardPanelCounter,
    DashboardPanelDistribution,
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    DashboardPanelTestSuiteCounter,
    PanelValue,
    PlotType,
    ReportFilter,
    TestSuitePanelType,
)
from monitorflow.remote import RemoteWorkspace  # noqa: E402
from monitorflow.service.testing import free_port  # noqa: E402
from monitorflow.snapshot import Snapshot  # noqa: E402
from monitorflow.storage.index import flatten_numeric  # noqa: E402
from monitorflow.workspace import Workspace  # noqa: E402

T0 = datetime(2025, 1, 1, tzinfo=UTC)
MARK = 987654321
SUITE_EVERY = 5


def templates() -> tuple[str, str]:
    """JSON of one real report and one real test suite, with a marker for a value varied per snapshot."""
    rng = np.random.default_rng(0)
    frame = {f"num_{i}": rng.normal(i, 1, 2000) for i in range(4)} | {
        f"cat_{i}": rng.choice(list("abcde"), 2000) for i in range(2)
    }
    reference, current = pd.DataFrame(frame), pd.DataFrame(frame).sample(frac=1.0, random_state=1)
    current["num_0"] += 0.3
    report = Report(
        metrics=[DatasetSummaryMetric(), ColumnDriftMetric(column_name="num_0"), DataDriftTable()]
    )
    report.run(reference_data=reference, current_data=current, timestamp=T0)
    body = report.to_snapshot().model_dump(mode="json")
    body["metrics"][0]["result"]["current"]["number_of_rows"] = MARK
    suite = TestSuite(
        tests=[
            TestNumberOfRows(gte=100),
            TestShareOfMissingValues(lte=0.1),
            TestShareOfDriftedColumns(lt=0.3),
            TestColumnDrift(column_name="num_0"),
            TestColumnDrift(column_name="num_1"),
        ]
    )
    suite.run(reference_data=reference, current_data=current, timestamp=T0)
    return json.dumps(body), json.dumps(suite.to_snapshot().model_dump(mode="json"))


def snapshots(report: str, suite: str, start: int, stop: int) -> Iterator[Snapshot]:
    for i in range(start, stop):
        text = suite if i % SUITE_EVERY == 0 else report
        body = json.loads(text.replace(str(MARK), str(1000 + i % 500)))
        body.update(
            id=str(uuid7()),
            timestamp=(T0 + timedelta(hours=i)).isoformat(),
            tags=["segment:a" if i % 2 == 0 else "segment:b"],
            metadata={"model_version": f"v{i // 2500}"},
        )
        yield Snapshot.model_validate(body)


def v(metric: str, path: str, legend: str | None = None, **args: object) -> PanelValue:
    return PanelValue(metric_id=metric, field_path=path, legend=legend, metric_args=args)


def panels() -> list[object]:
    """20 panels: 6 line plots, 3 split by segment, 2 bar, 1 scatter, 1 histogram, 3 counters,
    2 test-suite panels, 1 test-suite counter, 1 distribution."""
    rows, share = (
        v("DatasetSummaryMetric", "current.number_of_rows"),
        v("DataDriftTable", "share_of_drifted_columns"),
    )
    drift0 = v("ColumnDriftMetric", "drift_score", "num_0", column_name="num_0")
    suites = ReportFilter(include_test_suites=True)
    return [
        DashboardPanelPlot(title="rows", values=[rows]),
        DashboardPanelPlot(title="drift share", values=[share]),
        DashboardPanelPlot(title="num_0 drift", values=[drift0]),
        DashboardPanelPlot(title="dataset drift", values=[v("DataDriftTable", "dataset_drift")]),
        DashboardPanelPlot(
            title="drift per column", values=[v("DataDriftTable", "drift_by_columns.*.drift_score")]
        ),
        DashboardPanelPlot(
            title="missing", values=[v("DatasetSummaryMetric", "current.number_of_missing_values")]
        ),
        DashboardPanelPlot(title="rows by segment", values=[rows], split_by_tag="segment:"),
        DashboardPanelPlot(title="drift share by segment", values=[share], split_by_tag="segment:"),
        DashboardPanelPlot(title="num_0 drift by segment", values=[drift0], split_by_tag="segment:"),
        DashboardPanelPlot(
            title="rows bars",
            values=[rows],
            plot_type=PlotType.BAR,
            filter=ReportFilter(tag_values=["segment:a"]),
        ),
        DashboardPanelPlot(
            title="drift bars",
            values=[drift0],
            plot_type=PlotType.BAR,
            filter=ReportFilter(metadata_values={"model_version": "v1"}),
        ),
        DashboardPanelPlot(title="drift scatter", values=[share], plot_type=PlotType.SCATTER),
        DashboardPanelPlot(title="drift histogram", values=[drift0], plot_type=PlotType.HISTOGRAM),
        DashboardPanelCounter(title="last rows", agg=CounterAgg.LAST, value=rows),
        DashboardPanelCounter(title="total rows", agg=CounterAgg.SUM, value=rows),
        DashboardPanelCounter(title="mean drift", agg=CounterAgg.MEAN, value=share, split_by_tag="segment:"),
        DashboardPanelTestSuite(title="tests per day", filter=suites, time_agg="1D"),
        DashboardPanelTestSuite(title="every test", filter=suites, panel_type=TestSuitePanelType.DETAILED),
        DashboardPanelTestSuiteCounter(title="passed last run", agg=CounterAgg.LAST),
        DashboardPanelDistribution(
            title="nans by column", value=v("DatasetSummaryMetric", "current.nans_by_columns")
        ),
    ]


def rss_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of a process, MB."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (s): steadier than latency on a loaded machine."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def latency(fn: Callable[[], int], repeats: int, pid: int | None = None) -> dict[str, float]:
    """p50 / p95 ms over ``repeats`` calls after 3 warm-ups; ``kb`` is the size of the last answer;
    ``cpu_ms``: the CPU time process ``pid`` (the service) spent per call."""
    for _ in range(3):
        size = fn()
    times = []
    cpu = cpu_seconds(pid) if pid else 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        size = fn()
        times.append((time.perf_counter() - start) * 1000)
    cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / repeats if pid else float("nan")
    times.sort()
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max_ms": times[-1],
        "kb": size / 1024,
        "cpu_ms": cpu_ms,
    }


@contextlib.contextmanager
def service(workspace: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])),
    )
    code = (
        "import sys; from monitorflow.service import main; "
        f"sys.exit(main(['--workspace', {str(workspace)!r}, '--port', '{port}', '--log-level', 'warning']))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/api/version", timeout=1).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the service did not start: {proc.stderr.read().decode() if proc.stderr else ''}"
                )
            time.sleep(0.1)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(20)


def main() -> None:
    args = parser(__doc__.split("\n\n")[0]).parse_args()
    checkpoints = [200, 500, 1_000] if args.quick else [1_000, 2_500, 5_000, 10_000]
    repeats = max(20, 10 * args.repeats)
    report, suite = templates()
    points = sum(len(flatten_numeric(m["result"])) for m in json.loads(report)["metrics"] if m["result"])
    print(
        f"== service: 20 panels, {checkpoints[-1]:,} snapshots ({points} points per report, every "
        f"{SUITE_EVERY}th a test suite), {repeats} requests per query",
        flush=True,
    )
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="mf-bench-svc-") as tmp:
        path = Path(tmp) / "ws"
        ws = Workspace.create(path)
        project = ws.create_project("bench")
        for panel in panels():
            project.dashboard.add_panel(panel)
        project.save()
        with service(path) as (url, proc), httpx.Client(base_url=url, timeout=60) as client:
            base_rss = rss_mb(proc.pid)[0]
            print(f"  service started: RSS {base_rss:.0f} MB", flush=True)
            done = 0
            for target in checkpoints:
                started = time.perf_counter()
                for snap in snapshots(report, suite, done, target):
                    ws.add_snapshot(project.id, snap)
                ingest = time.perf_counter() - started
                done = target
                last = T0 + timedelta(hours=target)
                month = {"start": (last - timedelta(days=30)).isoformat()}
                dash = f"/api/projects/{project.id}/dashboard"

                def get(path: str, params: dict | None = None) -> int:
                    response = client.get(path, params=params)
                    response.raise_for_status()
                    return len(response.content)

                row = {
                    "snapshots": target,
                    "ingest_per_s": (target - (results[-1]["snapshots"] if results else 0)) / ingest,
                }
                row["all time"] = latency(lambda: get(dash), repeats, proc.pid)  # noqa: B023
                row["last 30 days"] = latency(lambda: get(dash, month), repeats)  # noqa: B023
                row["snapshot list (100)"] = latency(
                    lambda: get(f"/api/projects/{project.id}/snapshots"), repeats
                )
                row["dashboard page"] = latency(lambda: get(f"/projects/{project.id}"), repeats)
                errors = [p["title"] for p in client.get(dash).json()["panels"] if "error" in p]
                row["panel_errors"] = errors
                row["rss_mb"], row["peak_rss_mb"] = rss_mb(proc.pid)
                results.append(row)
                print(
                    f"  {target:>6,} snapshots: all time p95 {row['all time']['p95_ms']:.0f} ms, "
                    f"RSS {row['rss_mb']:.0f} MB{'; panel errors: ' + str(errors) if errors else ''}",
                    flush=True,
                )
            remote = RemoteWorkspace(url)
            uploads = list(snapshots(report, suite, done, done + 200))
            started = time.perf_counter()
            for snap in uploads:
                remote.add_snapshot(project.id, snap)
            upload_per_s = len(uploads) / (time.perf_counter() - started)
            remote.close()
        ws.close()

    rows = [
        (
            "snapshots",
            "all time p50 / p95 ms",
            "all time CPU ms",
            "last 30 d p50 / p95 ms",
            "list p95 ms",
            "page p95 ms",
            "answer KB",
            "service RSS MB",
            "peak RSS MB",
        )
    ]
    for r in results:
        rows.append(
            (
                f"{r['snapshots']:,}",
                f"{r['all time']['p50_ms']:.0f} / {r['all time']['p95_ms']:.0f}",
                f"{r['all time']['cpu_ms']:.0f}",
                f"{r['last 30 days']['p50_ms']:.0f} / {r['last 30 days']['p95_ms']:.0f}",
                f"{r['snapshot list (100)']['p95_ms']:.0f}",
                f"{r['dashboard page']['p95_ms']:.0f}",
                f"{r['all time']['kb']:.0f}",
                f"{r['rss_mb']:.0f}",
                f"{r['peak_rss_mb']:.0f}",
            )
        )
    print("\n" + _format(rows))
    grow = results[-1]["rss_mb"] - results[0]["rss_mb"]
    print(
        f"(service RSS at start {base_rss:.0f} MB; {grow:+.0f} MB from {results[0]['snapshots']:,} to "
        f"{results[-1]['snapshots']:,} snapshots; "
        f"uploads through RemoteWorkspace: {upload_per_s:.0f} snapshots/s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    print(f"(target: dashboard p95 < 300 ms at {checkpoints[-1]:,} snapshots; memory flat)\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "service.json"
    payload = {
        "bench": "service",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "args": vars(args),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "load": os.getloadavg()},
        "panels": 20,
        "points_per_report": points,
        "base_rss_mb": base_rss,
        "upload_per_s": upload_per_s,
        "results": results,
    }
    out.write_text(json.dumps(payload, indent=1, default=str))
    with contextlib.suppress(ValueError):
        print(f"results: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()

"""Workspace storage: add_snapshot throughput, listing and series() latency over 10,000 snapshots, memory.

Per backend (folder, sqlite, postgresql, s3 via SeaweedFS; servers are started here and stopped
after): ingest N snapshots of a real report (DatasetSummaryMetric, ColumnDriftMetric, DataDriftTable
on 6 columns) with alternating tags, then time ``list_snapshots`` (a page of 100) and ``series()``
(p50 / p95 over repeated calls) with and without a tag filter, and record the process RSS while
ingesting (it must not grow with the number of snapshots). Target: series p95 < 100 ms on folder
and SQLite at 10,000 snapshots. ``--quick``: 1,000 snapshots.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from common import REPO, RESULTS, _format, parser

sys.path.insert(0, str(REPO / "src"))

from monitorflow import Report  # noqa: E402
from monitorflow.ids import uuid7  # noqa: E402
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric  # noqa: E402
from monitorflow.snapshot import Snapshot  # noqa: E402
from monitorflow.storage.index import flatten_numeric  # noqa: E402
from monitorflow.storage.testing import ServerUnavailable, postgres_server, seaweed_server  # noqa: E402
from monitorflow.workspace import Workspace  # noqa: E402

T0 = datetime(2025, 1, 1, tzinfo=UTC)
ROWS_MARK = 987654321


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def template() -> str:
    """JSON of one real report snapshot, with a marker for the row count (varied per snapshot)."""
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
    body["metrics"][0]["result"]["current"]["number_of_rows"] = ROWS_MARK
    return json.dumps(body)


def snapshots(text: str, n: int) -> Iterator[Snapshot]:
    base = json.loads(text)
    for i in range(n):
        body = dict(base, id=str(uuid7()), timestamp=(T0 + timedelta(minutes=10 * i)).isoformat())
        body["tags"] = ["segment:eu" if i % 2 == 0 else "segment:us"]
        body["metadata"] = {"model_id": f"m{i % 3}"}
        yield Snapshot.model_validate_json(json.dumps(body).replace(str(ROWS_MARK), str(1000 + i % 500)))


def latency(fn: Callable[[], object], repeats: int) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, size of the last result) over ``repeats`` calls after one warm-up."""
    result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return (
        statistics.median(times),
        times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
        len(result),
    )


@contextmanager
def backend(name: str, tmp: Path) -> Iterator[tuple[str, dict]]:
    if name == "folder":
        yield str(tmp / "ws"), {}
    elif name == "sqlite":
        yield f"sqlite:///{tmp / 'ws.db'}", {}
    elif name == "postgresql":
        with postgres_server() as url:
            yield url, {}
    else:
        with seaweed_server() as s3:
            os.environ.update(s3.env())
            yield "s3://bench/ws", {"index_uri": str(tmp / "s3-index.sqlite")}


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def run_backend(name: str, n: int, repeats: int, text: str) -> dict:
    with (
        tempfile.TemporaryDirectory(prefix="mf-bench-ws-") as tmp,
        backend(name, Path(tmp)) as (uri, options),
    ):
        ws = Workspace.create(uri, **options)
        project = ws.create_project("bench")
        checkpoints = {max(1, n // 10), n // 4, n // 2, 3 * n // 4, n}
        rss, spent, size = {}, 0.0, 0
        for i, snap in enumerate(snapshots(text, n), start=1):
            start = time.perf_counter()
            ws.add_snapshot(project.id, snap)
            spent += time.perf_counter() - start
            size = len(snap.json_bytes())
            if i in checkpoints:
                rss[i] = rss_mb()
        out: dict = {"backend": name, "snapshots": n, "snapshot_kb": size / 1024, "add_per_s": n / spent}
        out["rss_mb"] = rss
        out["disk_mb"] = disk_mb(Path(tmp)) if name in ("folder", "sqlite") else None
        pid = project.id
        queries = {
            "list page (100)": lambda: ws.list_snapshots(pid, limit=100),
            "list page, tag": lambda: ws.list_snapshots(pid, limit=100, tags=["segment:eu"]),
            "series": lambda: ws.series(pid, "DatasetSummaryMetric", "current.number_of_rows"),
            "series, tag": lambda: ws.series(
                pid, "DatasetSummaryMetric", "current.number_of_rows", tags=["segment:eu"]
            ),
            "series, args+meta": lambda: ws.series(
                pid, "ColumnDriftMetric", "drift_score", {"column_name": "num_0"}, metadata={"model_id": "m1"}
            ),
        }
        if name == "s3":  # the bucket listing compared with the index, as listings do every few seconds
            queries["s3 sync (LIST + compare)"] = lambda: [ws.store.sync_project(pid)]
        out["queries"] = {}
        for label, fn in queries.items():
            p50, p95, rows = latency(fn, repeats)
            out["queries"][label] = {"p50_ms": p50, "p95_ms": p95, "rows": rows}
        ws.close()
        return out


def main() -> None:
    args = parser(__doc__.split("\n\n")[0]).parse_args()
    n = 1_000 if args.quick else 10_000
    repeats = max(20, 10 * args.repeats)
    text = template()
    points = sum(len(flatten_numeric(m["result"])) for m in json.loads(text)["metrics"] if m["result"])
    print(
        f"== workspace: {n:,} snapshots of {len(text) / 1024:.0f} KB ({points} points each); {repeats} calls per query"
    )
    results = []
    for name in ("folder", "sqlite", "postgresql", "s3"):
        if args.only not in name:
            continue
        started = time.perf_counter()
        try:
            results.append(run_backend(name, n, repeats, text))
        except ServerUnavailable as exc:
            print(f"  {name}: skipped ({exc})")
            continue
        print(f"  {name}: done in {time.perf_counter() - started:.0f} s", flush=True)

    rows = [("backend", "add/s", "RSS MB at 10/25/50/75/100%", "disk MB")]
    for r in results:
        rss = "/".join(f"{v:.0f}" for _, v in sorted(r["rss_mb"].items()))
        disk = f"{r['disk_mb']:.0f}" if r["disk_mb"] is not None else "-"
        rows.append((r["backend"], f"{r['add_per_s']:.0f}", rss, disk))
    print("\n" + _format(rows))
    labels = list(dict.fromkeys(label for r in results for label in r["queries"]))
    rows = [("query (ms p50 / p95)", *[r["backend"] for r in results])]
    for label in labels:
        timed = [r["queries"].get(label) for r in results]
        cells = [f"{q['p50_ms']:.1f} / {q['p95_ms']:.1f}" if q else "-" for q in timed]
        rows.append((f"{label} [{next(q for q in timed if q)['rows']} rows]", *cells))
    print("\n" + _format(rows))
    print(f"(target: series p95 < 100 ms over {n:,} snapshots on folder and sqlite)\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "workspace.json"
    payload = {
        "bench": "workspace",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "args": vars(args),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "snapshots": n,
        "points_per_snapshot": points,
        "results": results,
    }
    out.write_text(json.dumps(payload, indent=1, default=str))
    with contextlib.suppress(ValueError):
        print(f"results: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()

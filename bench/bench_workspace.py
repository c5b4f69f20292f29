"""Workspace storage: add_snapshot throughput, listing and series() latency over 10,000 snapshots, memory.

Per backend (folder, sqlite, postgresql, s3 via SeaweedFS; servers are started here and stopped
after): ingest N snapshots of a real report (DatasetSummaryMetric, ColumnDriftMetric, DataDriftTable
on 6 columns) with alternating tags, then time ``list_snapshots`` (a page of 100) and ``series()``
(p50 / p95 over repeated calls) with and without a tag filter, and record the process RSS while
ingesting (it must not grow with the number of snapshots). Target: series p95 < 100 ms on folder
and SQLite at 10,000 snapshots. ``--quick``: 1,000 snapshots.

Then the same workload against Evidently's legacy local ``Workspace`` (case ``evidently``; skipped
with ``--no-peer``): per size (100, 1,000, 3,000, 10,000; ``--quick``: 100, 1,000) and repeat, a
fresh ``bench/child_workspace.py`` process per side ingests N snapshots of the same report computed
by that side into a folder workspace, and another opens it and times listing, one value over time
and a one-panel dashboard (see that file). Evidently's dashboards read every snapshot, parsed into
memory when the workspace opens, so its latency grows with N while ours reads the index. Results:
``bench/results/workspace_peer.json``. ``--only evidently`` runs only this part, ``--only folder``
(etc.) only the backends.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
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

from common import REPO, RESULTS, _format, parser, peer_python, run_child

sys.path.insert(0, str(REPO / "src"))

from monitorflow import Report  # noqa: E402
from monitorflow.ids import uuid7  # noqa: E402
from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric  # noqa: E402
from monitorflow.snapshot import Snapshot  # noqa: E402
from monitorflow.storage.index import flatten_numeric  # noqa: E402
from monitorflow.storage.testing import ServerUnavailable, postgres_server, seaweed_server  # noqa: E402
from monitorflow.workspace import Workspace  # noqa: E402

T0 = datetime(2025, 1, 1, tzinfo=UTC)
BACKENDS = ("folder", "sqlite", "postgresql", "s3")
ROWS_MARK = 987654321


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def template_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reference, current): 4 normal and 2 string columns, 2,000 rows; ``num_0`` drifts."""
    rng = np.random.default_rng(0)
    frame = {f"num_{i}": rng.normal(i, 1, 2000) for i in range(4)} | {
        f"cat_{i}": rng.choice(list("abcde"), 2000) for i in range(2)
    }
    reference, current = pd.DataFrame(frame), pd.DataFrame(frame).sample(frac=1.0, random_state=1)
    current["num_0"] += 0.3
    return reference, current


def template() -> str:
    """JSON of one real report snapshot, with a marker for the row count (varied per snapshot)."""
    reference, current = template_data()
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


# ---------------------------------------------------------------------------------------------
# The same workload against Evidently's legacy local Workspace (bench/child_workspace.py)
# ---------------------------------------------------------------------------------------------

CHILD_WS = REPO / "bench" / "child_workspace.py"
PEER_SIZES, PEER_SIZES_QUICK = (100, 1_000, 3_000, 10_000), (100, 1_000)
QUERY_BUDGET_S = 20  # per query and run: at most this long (at least 3 calls after the warm-up)
QUERIES = ("list all", "list newest 100", "series", "series, tag", "dashboard")


def child(side: str, argv: list[str], timeout: float) -> dict:
    """One ``child_workspace.py`` phase in a fresh ``side`` process: its JSON result, or a status."""
    started = time.perf_counter()
    result = run_child(side, CHILD_WS, [side, *argv], timeout)
    return {**result, "wall_s": time.perf_counter() - started} if result.get("status") == "ok" else result


def peer_run(side: str, folder: Path, n: int, calls: int, timeout: float) -> dict:
    """Ingest ``n`` snapshots in one process, open and query them in another; remove the workspace."""
    try:
        ingest = child(side, ["ingest", str(folder), str(n)], timeout)
        if ingest["status"] != "ok":
            return {**ingest, "phase": "ingest"}
        query = child(
            side, ["query", str(folder), "--calls", str(calls), "--budget", str(QUERY_BUDGET_S)], timeout
        )
        if query["status"] != "ok":
            return {**query, "phase": "query", "ingest": ingest}
        return {
            "status": "ok",
            "wall_s": ingest["wall_s"] + query["wall_s"],
            "ingest": ingest,
            "query": query,
        }
    finally:
        shutil.rmtree(folder / f"ws-{side}", ignore_errors=True)


def peer_summary(runs: list[dict]) -> dict:
    """Medians over the successful runs (per query: of each run's p50, p95 and first call)."""
    ok = [r for r in runs if r["status"] == "ok"]
    if not ok:
        return (
            {k: runs[0].get(k) for k in ("status", "error", "timeout_s", "phase")}
            if runs
            else {"status": "skipped"}
        )

    def med(get: Callable[[dict], float | None]) -> float | None:
        values = [v for v in map(get, ok) if v is not None]
        return statistics.median(values) if values else None

    out: dict = {"status": "ok", "runs_ok": len(ok)}
    for key in ("add_per_s", "report_s", "snapshot_kb", "disk_mb"):
        out[key] = med(lambda r, k=key: r["ingest"][k])
    for key in ("open_s", "rss_open_mb", "peak_mb"):
        out[key] = med(lambda r, k=key: r["query"][k])
    out["queries"] = {
        label: {
            stat: med(lambda r, lb=label, st=stat: r["query"]["queries"][lb][st])
            for stat in ("p50_ms", "p95_ms", "first_ms", "calls")
        }
        for label in QUERIES
    }
    last = ok[-1]["query"]
    out.update(series_rows=last["series_rows"], series_sum=last["series_sum"], version=last["version"])
    return out


def compare_peer(args: argparse.Namespace) -> dict:
    sizes = PEER_SIZES_QUICK if args.quick else PEER_SIZES
    calls = max(20, 10 * args.repeats)
    timeouts = {"ours": args.timeout, "peer": args.peer_timeout}
    print(
        f"== workspace vs Evidently's local Workspace: sizes {', '.join(f'{n:,}' for n in sizes)}; "
        f"{args.repeats} runs per side and size; queries: up to {calls} calls or {QUERY_BUDGET_S} s; "
        f"peer={peer_python()}",
        flush=True,
    )
    results: dict[int, dict[str, dict]] = {}
    failed: dict[str, dict] = {}  # side -> failure that stops larger sizes
    with tempfile.TemporaryDirectory(prefix="mf-bench-wspeer-") as tmp:
        folder = Path(tmp)
        reference, current = template_data()
        reference.to_parquet(folder / "reference.parquet")
        current.to_parquet(folder / "current.parquet")
        for n in sizes:
            runs: dict[str, list[dict]] = {"ours": [], "peer": []}
            for i in range(args.repeats):
                for side in runs:
                    previous = runs[side][-1] if runs[side] else None
                    if side in failed or (
                        previous and (previous["status"] != "ok" or previous["wall_s"] > args.long)
                    ):
                        continue
                    result = peer_run(side, folder, n, calls, timeouts[side])
                    runs[side].append(result)
                    if result["status"] == "ok":
                        shown = f"{result['wall_s']:.0f} s, {result['ingest']['add_per_s']:.0f} add/s"
                    else:
                        shown = f"{result['status']} in {result.get('phase')}: {result.get('error') or ''}"
                    print(f"  {n:>6,} run {i + 1} {side}: {shown}", flush=True)
            results[n] = {}
            for side, side_runs in runs.items():
                summary = failed.get(side) or peer_summary(side_runs)
                if summary["status"] in ("timeout", "unavailable"):
                    failed.setdefault(side, summary)
                results[n][side] = {**summary, "runs": side_runs}
    return {"sizes": list(sizes), "calls": calls, "budget_s": QUERY_BUDGET_S, "results": results}


def _x(peer: float | None, ours: float | None) -> str:
    return f"{peer / ours:.1f}x" if peer and ours else "-"


def _ms(q: dict) -> str:
    return f"{q['p50_ms']:.1f} / {q['p95_ms']:.1f}"


def _size_rows(n: int, ours: dict, peer: dict) -> list[tuple[str, str, str, str]]:
    """(measure, ours, peer, peer/ours) for one size; a failed side shows its status."""
    ok = {side: s for side, s in (("ours", ours), ("peer", peer)) if s["status"] == "ok"}
    rows = []
    for name, s in (("ours", ours), ("Evidently", peer)):
        if s["status"] != "ok":
            what = f"> {s['timeout_s']:.0f} s" if s["status"] == "timeout" else s["status"]
            rows.append((f"{name}: {what} in {s.get('phase') or '-'}", "", "", ""))
    if not ok:
        return rows
    both = len(ok) == 2

    def cells(fmt: Callable[[dict], str]) -> tuple[str, str]:
        return tuple(fmt(ok[side]) if side in ok else "-" for side in ("ours", "peer"))  # type: ignore[return-value]

    rows.append(
        (
            "add/s",
            *cells(lambda s: f"{s['add_per_s']:.0f}"),
            _x(ours.get("add_per_s"), peer.get("add_per_s")) if both else "-",
        )
    )
    rows.append(
        (
            "open workspace s (RSS MB)",
            *cells(lambda s: f"{s['open_s']:.2f} ({s['rss_open_mb']:.0f})"),
            _x(peer.get("open_s"), ours.get("open_s")) if both else "-",
        )
    )
    for label in QUERIES:
        ratio = "-"
        if both:
            q, p = ours["queries"][label], peer["queries"][label]
            ratio = f"{_x(p['p50_ms'], q['p50_ms'])} / {_x(p['p95_ms'], q['p95_ms'])}"
        rows.append((f"{label} p50 / p95 ms", *cells(lambda s, lb=label: _ms(s["queries"][lb])), ratio))
    return rows


def peer_tables(comparison: dict) -> str:
    """Per size: ours, peer and peer/ours (time ratio: > 1 means Evidently is slower); then growth."""
    rows = [("N", "measure", "ours", "Evidently", "peer/ours")]
    notes, checked = [], []
    for n, sides in comparison["results"].items():
        ours, peer = sides["ours"], sides["peer"]
        for j, row in enumerate(_size_rows(n, ours, peer)):
            rows.append((f"{n:,}" if j == 0 else "", *row))
        for name, s in (("ours", ours), ("Evidently", peer)):
            if s.get("error"):
                notes.append(f"  {n:,} {name}: {s['error']}")
        if ours["status"] == peer["status"] == "ok":
            mine, theirs = (
                (ours["series_rows"], round(ours["series_sum"])),
                (peer["series_rows"], round(peer["series_sum"])),
            )
            if mine != theirs:
                notes.append(f"  {n:,}: series differ: ours {mine} (points, sum), Evidently {theirs}")
            else:
                checked.append(f"{n:,}")
    text = _format(rows)
    text += (
        "\n(medians of runs; peer/ours is a time ratio, > 1: Evidently slower; for add/s it is ours add/s "
        "/ Evidently add/s. open: a fresh process opens the workspace and gets the project; RSS after it)"
    )
    if checked:
        text += f"\n(same series on both sides, points and sum checked, at N = {', '.join(checked)})"

    results = comparison["results"]
    sizes = [n for n in results if any(s["status"] == "ok" for s in results[n].values())]
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        growth = [("p50 (growth)", "side", *[f"{n:,}" for n in sizes], f"{hi:,} / {lo:,} (N x{hi // lo})")]
        for label in ("open", "series", "series, tag", "dashboard"):
            for side, name in (("ours", "ours"), ("peer", "Evidently")):
                vals = [_p50(results[n][side], label) for n in sizes]
                cells = [f"{v:.1f} ms" if v is not None else "-" for v in vals]
                grow = f"x{vals[-1] / vals[0]:.0f}" if vals[0] and vals[-1] else "-"
                growth.append((label if side == "ours" else "", name, *cells, grow))
        text += "\n\n" + _format(growth)
    return text + ("\n" + "\n".join(notes) if notes else "")


def _p50(summary: dict, label: str) -> float | None:
    if summary["status"] != "ok":
        return None
    return summary["open_s"] * 1000 if label == "open" else summary["queries"][label]["p50_ms"]


def backends_bench(args: argparse.Namespace) -> None:
    n = 1_000 if args.quick else 10_000
    repeats = max(20, 10 * args.repeats)
    text = template()
    points = sum(len(flatten_numeric(m["result"])) for m in json.loads(text)["metrics"] if m["result"])
    print(
        f"== workspace: {n:,} snapshots of {len(text) / 1024:.0f} KB ({points} points each); "
        f"{repeats} calls per query"
    )
    results = []
    for name in BACKENDS:
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
    write("workspace", args, {"snapshots": n, "points_per_snapshot": points, "results": results})


def write(bench: str, args: argparse.Namespace, body: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{bench}.json"
    payload = {
        "bench": bench,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "args": vars(args),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        **body,
    }
    out.write_text(json.dumps(payload, indent=1, default=str))
    with contextlib.suppress(ValueError):
        print(f"results: {out.relative_to(REPO)}")


def main() -> None:
    p = parser(" ".join(__doc__.split("\n\n")[0].split()))
    p.set_defaults(long=900)  # a 10,000-snapshot Evidently run takes minutes: still repeat it
    args = p.parse_args()
    if any(args.only in name for name in BACKENDS):
        backends_bench(args)
    if not args.no_peer and args.only in "evidently":
        comparison = compare_peer(args)
        print("\n" + peer_tables(comparison) + "\n", flush=True)
        write("workspace_peer", args, comparison)


if __name__ == "__main__":
    main()

"""Fault scenarios against real servers, for ``tests/storage/test_storage_faults.py`` and ``bench/faults.py``.

A scenario runs a stream of writes (a Report-shaped snapshot each, with or without its data) while
a fault hits: the S3 server killed with SIGKILL and restarted, a proxy that stores writes but drops
the answers, PostgreSQL restarted with ``-m immediate``, the writer process killed at random
points, the disk filled. The writer retries what failed, as a flow's task retry would. Then the
workspace is opened again and audited: **lost** (acknowledged but not listed, or its data not
loadable), **duplicated** (listed or indexed twice), **invisible** (stored but not listed) and
**orphans** (datasets, temporary files or journal entries no stored snapshot accounts for).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pandas as pd

from monitorflow.errors import MonitoringError
from monitorflow.ids import stable_uuid
from monitorflow.metrics import DatasetSummaryMetric
from monitorflow.snapshot import MetricEntry, Snapshot
from monitorflow.storage.fault_injection import (  # also importable from here, as before
    DroppingProxy,
    durable_database,
    restart_postgres,
    restartable_seaweed,
    small_disk,
)
from monitorflow.workspace import Workspace

__all__ = [
    "Audit",
    "Backend",
    "DroppingProxy",
    "Open",
    "audit",
    "durable_database",
    "folder_backend",
    "folder_contents",
    "frame",
    "killed_writers",
    "make_snapshot",
    "pending",
    "restart_postgres",
    "restartable_seaweed",
    "s3_backend",
    "s3_contents",
    "scenario_answers_dropped",
    "scenario_disk_full",
    "scenario_postgres_restarted",
    "scenario_s3_killed",
    "scenario_writer_killed",
    "small_disk",
    "sql_backend",
    "sql_contents",
    "write_stream",
]

Open = Callable[..., Any]


@dataclass
class Audit:
    """One row of the fault matrix."""

    backend: str
    fault: str
    data: bool
    acknowledged: int = 0
    lost: int = 0
    duplicated: int = 0
    invisible: int = 0
    orphans: int = 0
    failures: int = 0  # write attempts that raised (and were retried)
    seconds: float = 0.0
    note: str = ""

    @property
    def clean(self) -> bool:
        return self.lost == self.duplicated == self.invisible == self.orphans == 0

    def row(self) -> dict[str, Any]:
        return asdict(self)


def make_snapshot(i: int, run: str) -> Any:
    """Snapshot ``i`` of a run: a deterministic id, one metric with a known value."""

    metric = DatasetSummaryMetric()
    entry = MetricEntry(
        id=metric.fingerprint,
        type=metric.type_name,
        params=metric.params(),
        result={"current": {"number_of_rows": i}},
    )
    return Snapshot(
        id=stable_uuid("fault", run, i),
        kind="report",
        tags=[f"run:{run}"],
        timestamp=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i),
        metrics=[entry],
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def frame(i: int) -> pd.DataFrame:
    return pd.DataFrame({"i": [i] * 20, "x": [float(k) for k in range(20)]})


def write_stream(
    ws: Any,
    project_id: UUID,
    run: str,
    count: int,
    data: bool,
    deadline: float,
    acked: Callable[[str], None] = lambda sid: None,
    pause: float = 0.0,
) -> int:
    """Add snapshots 0..count-1, retrying each until it is acknowledged (or the deadline passes);
    returns how many attempts failed."""
    failures = 0
    for i in range(count):
        snap = make_snapshot(i, run)
        while True:
            try:
                ws.add_snapshot(project_id, snap, current_data=frame(i) if data else None)
                acked(str(snap.id))
                break
            except MonitoringError:
                failures += 1
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        if pause:
            time.sleep(pause)
    return failures


def audit(
    ws: Any,
    project_id: UUID,
    acked: set[str],
    data: bool,
    stored: Callable[[], set[str]],
    datasets: Callable[[], set[str]],
    leftovers: Callable[[], int] = lambda: 0,
) -> dict[str, int]:
    """Counts after a fresh open: ``stored()`` the snapshot ids really stored, ``datasets()`` the
    dataset ids really stored, ``leftovers()`` temporary files and journal entries."""
    listed = [str(s.id) for s in ws.list_snapshots(project_id)]
    points = ws.series(project_id, "DatasetSummaryMetric", "current.number_of_rows")["snapshot_id"].tolist()
    linked: set[str] = set()
    lost = 0
    for info in ws.list_snapshots(project_id):
        if data and info.datasets.current is not None:
            # a stored snapshot links its dataset, acknowledged or not (a writer killed after storing
            # and before its acknowledgement leaves a whole snapshot, not an orphan)
            linked.add(str(info.datasets.current))
        if data and str(info.id) in acked:
            try:
                loaded = ws.load_dataset(project_id, info.id, "current")
                lost += int(len(loaded) != 20)
            except MonitoringError:
                lost += 1
    lost += len(acked - set(listed))
    duplicated = (len(listed) - len(set(listed))) + (len(points) - len(set(points)))
    invisible = len(stored() - set(listed))
    orphans = len(datasets() - linked) + leftovers()
    return {"lost": lost, "duplicated": duplicated, "invisible": invisible, "orphans": orphans}


# ----------------------------------------------------------------------------- what is stored


def folder_contents(root: Path, project_id: UUID) -> tuple[set[str], set[str], int]:
    """(snapshot ids, dataset ids, temporary files) in a folder workspace's project."""
    base = root / str(project_id)
    snaps = {p.stem for p in (base / "snapshots").glob("*.json")}
    data = {p.name.split(".")[0] for p in (base / "datasets").glob("*") if not p.name.startswith(".")}
    temp = sum(1 for p in base.rglob(".tmp-*"))
    return snaps, data, temp


def pending(ws: Any) -> int:
    index = getattr(ws.store, "index", None)
    return len(index.pending(2**62)) if index is not None and hasattr(index, "pending") else 0


def sql_contents(ws: Any) -> tuple[set[str], set[str]]:
    runner = ws.store.runner
    snaps = {r[0] for r in runner.read(lambda tx: tx.fetchall("SELECT snapshot_id FROM mf_snapshot_blobs"))}
    data = {r[0] for r in runner.read(lambda tx: tx.fetchall("SELECT dataset_id FROM mf_dataset_blobs"))}
    return snaps, data


def s3_contents(ws: Any, project_id: UUID) -> tuple[set[str], set[str]]:
    blobs = ws.store.blobs
    keys = [k for k, *_ in blobs.list(f"{project_id}/", recursive=True)]
    snaps = {k.rsplit("/", 1)[1][:-5] for k in keys if "/snapshots/" in k and k.endswith(".json")}
    data = {k.rsplit("/", 1)[1].split(".")[0] for k in keys if "/datasets/" in k}
    return snaps, data


# --------------------------------------------------------------------------------- the faults


def killed_writers(
    open_ws: Open, project_id: UUID, run: str, count: int, data: bool, kills: int, seed: int = 7
) -> tuple[set[str], int]:
    """Run the stream in a forked writer, SIGKILL it at random moments ``kills`` times (a new writer
    carries on where the last acknowledged write left off), then let the last one finish. Returns the
    acknowledged ids and the number of kills that hit."""
    rng = random.Random(seed)
    context = multiprocessing.get_context("fork")
    acked: set[str] = set()
    hits = 0
    for attempt in range(kills + 1):
        queue = context.SimpleQueue()

        def child(queue: Any = queue) -> None:
            ws = open_ws()
            # a pause after each write: the stream outlasts the kill's random delay, so kills hit
            write_stream(
                ws, project_id, run, count, data, time.monotonic() + 120, acked=queue.put, pause=0.05
            )
            os._exit(0)

        proc = context.Process(target=child)
        proc.start()
        if attempt < kills:
            time.sleep(rng.uniform(0.05, 0.4))
            if proc.is_alive():
                proc.kill()  # SIGKILL
                hits += 1
        proc.join(300)
        while not queue.empty():
            acked.add(queue.get())
    return acked, hits


# ------------------------------------------------------------------------------- the scenarios


@dataclass
class Backend:
    """Where a scenario writes: ``open(**options)`` a Workspace there; ``contents(ws, project_id)`` the
    snapshot ids, dataset ids and leftovers (temp files, journal entries) really stored."""

    name: str
    open: Open
    contents: Callable[[Any, UUID], tuple[set[str], set[str], int]]


def folder_backend(root: Path) -> Backend:
    def contents(ws: Any, pid: UUID) -> tuple[set[str], set[str], int]:
        snaps, data, temp = folder_contents(root, pid)
        return snaps, data, temp + pending(ws)

    return Backend("folder", lambda **kw: Workspace(root, **kw), contents)


def sql_backend(name: str, uri: str) -> Backend:
    return Backend(name, lambda **kw: Workspace(uri, **kw), lambda ws, pid: (*sql_contents(ws), 0))


def s3_backend(uri: str, endpoint: str, index: Path) -> Backend:
    def open_ws(endpoint_url: str = endpoint, **kw: Any) -> Any:
        return Workspace.create(uri, endpoint_url=endpoint_url, index_uri=index, sync_interval=0, **kw)

    return Backend("s3", open_ws, lambda ws, pid: (*s3_contents(ws, pid), pending(ws)))


def _audit(backend: Backend, row: Audit, project_id: UUID, acked: set[str], started: float) -> Audit:
    ws = backend.open(grace_period=0)  # the next open, after every writer has stopped
    try:
        snaps, data, leftovers = backend.contents(ws, project_id)
        counts = audit(ws, project_id, acked, row.data, lambda: snaps, lambda: data, lambda: leftovers)
    finally:
        ws.close()
    row.acknowledged = len(acked)
    for key, value in counts.items():
        setattr(row, key, value)
    row.seconds = round(time.monotonic() - started, 1)
    return row


def _in_background(
    ws: Any, project_id: UUID, run: str, count: int, data: bool, pause: float
) -> tuple[threading.Thread, set[str], dict[str, Any]]:
    acked: set[str] = set()
    out: dict[str, Any] = {}

    def work() -> None:
        try:
            out["failures"] = write_stream(
                ws, project_id, run, count, data, time.monotonic() + 180, acked=acked.add, pause=pause
            )
        except BaseException as exc:  # reported in the row
            out["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, acked, out


def _wait_for(acked: set[str], n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(acked) < n and time.monotonic() < deadline:
        time.sleep(0.02)


def scenario_writer_killed(backend: Backend, data: bool, count: int = 40, kills: int = 3) -> Audit:
    started, row = time.monotonic(), Audit(backend.name, "writer killed (SIGKILL)", data)
    ws = backend.open()
    project = ws.create_project(f"killed-{data}")
    ws.close()
    acked, hits = killed_writers(backend.open, project.id, "killed", count, data, kills)
    row.failures, row.note = hits, f"{hits} kills hit a writer"
    return _audit(backend, row, project.id, acked, started)


def _interrupted(
    backend: Backend,
    fault: str,
    data: bool,
    count: int,
    hit: Callable[[], None],
    open_kw: dict[str, Any] | None = None,
    pause: float = 0.02,
) -> Audit:
    """Writes in a thread; after a third of them are acknowledged, ``hit()``; then audit."""
    started, row = time.monotonic(), Audit(backend.name, fault, data)
    ws = backend.open(**(open_kw or {}))
    project = ws.create_project(f"{fault}-{data}")
    thread, acked, out = _in_background(ws, project.id, fault, count, data, pause)
    _wait_for(acked, count // 3)
    hit()
    thread.join(240)
    ws.close()
    row.failures = out.get("failures", 0)
    if "error" in out:
        row.note = f"writer gave up: {out['error']}"
    return _audit(backend, row, project.id, acked, started)


def scenario_s3_killed(backend: Backend, server: Any, data: bool, count: int = 30) -> Audit:
    def hit() -> None:
        server.kill()
        time.sleep(1.0)
        server.restart()

    return _interrupted(backend, "S3 server SIGKILL + restart", data, count, hit)


def scenario_answers_dropped(backend: Backend, proxy: DroppingProxy, data: bool, count: int = 30) -> Audit:
    """Every third PUT answer lost; botocore does not retry (``AWS_MAX_ATTEMPTS=1``, which the S3 store
    honours; default 6 attempts), so the writer's own retry meets what its first attempt stored."""
    before = os.environ.get("AWS_MAX_ATTEMPTS")
    os.environ["AWS_MAX_ATTEMPTS"] = "1"
    try:
        row = _interrupted(
            backend,
            "S3 answers dropped (proxy)",
            data,
            count,
            lambda: None,
            open_kw={"endpoint_url": proxy.url},
        )
    finally:
        if before is None:
            del os.environ["AWS_MAX_ATTEMPTS"]
        else:
            os.environ["AWS_MAX_ATTEMPTS"] = before
    row.note = f"{proxy.dropped} of {proxy.puts} PUT answers dropped"
    return row


def scenario_postgres_restarted(backend: Backend, url: str, data: bool, count: int = 30) -> Audit:
    return _interrupted(
        backend, "PostgreSQL restart -m immediate", data, count, lambda: restart_postgres(url)
    )


def scenario_disk_full(name: str, root: Path, data: bool, count: int = 200) -> Audit:
    """Write until the small disk is full (the writer gives up), free space as an operator would,
    then open and audit. ``name``: "folder" or "sqlite" (its database file on the small disk)."""
    started, row = time.monotonic(), Audit(name, "disk full", data)
    filler = root / "filler"
    filler.write_bytes(b"\0" * 64 * 1024)
    backend = (
        folder_backend(root / "ws") if name == "folder" else sql_backend("sqlite", f"sqlite:///{root}/ws.db")
    )
    ws = backend.open()
    project = ws.create_project(f"full-{data}")
    acked: set[str] = set()
    try:
        write_stream(ws, project.id, "full", count, data, time.monotonic() + 3, acked=acked.add)
        row.note = "the disk never filled"
    except MonitoringError as exc:
        row.note = f"full after {len(acked)} writes: {str(exc)[-60:]}"
    ws.close()
    filler.unlink()
    return _audit(backend, row, project.id, acked, started)

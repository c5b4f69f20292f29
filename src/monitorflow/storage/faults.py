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
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pandas as pd

from monitorflow.errors import MonitoringError
from monitorflow.ids import stable_uuid

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
    from datetime import UTC, datetime, timedelta

    from monitorflow.metrics import DatasetSummaryMetric
    from monitorflow.snapshot import MetricEntry, Snapshot

    metric = DatasetSummaryMetric()
    entry = MetricEntry(id=metric.fingerprint, type=metric.type_name, params=metric.params(),
                        result={"current": {"number_of_rows": i}})  # fmt: skip
    return Snapshot(id=stable_uuid("fault", run, i), kind="report", tags=[f"run:{run}"],
                    timestamp=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i), metrics=[entry],
                    created_at=datetime(2026, 1, 1, tzinfo=UTC))  # fmt: skip


def frame(i: int) -> pd.DataFrame:
    return pd.DataFrame({"i": [i] * 20, "x": [float(k) for k in range(20)]})


def write_stream(ws: Any, project_id: UUID, run: str, count: int, data: bool, deadline: float,
                 acked: Callable[[str], None] = lambda sid: None, pause: float = 0.0) -> int:  # fmt: skip
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


def audit(ws: Any, project_id: UUID, acked: set[str], data: bool, stored: Callable[[], set[str]],
          datasets: Callable[[], set[str]], leftovers: Callable[[], int] = lambda: 0) -> dict[str, int]:  # fmt: skip
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


class DroppingProxy:
    """An HTTP/1.1 proxy to an S3 server that forwards every request but, for every ``every``-th
    successful PUT, closes the connection instead of passing the answer on: the object is stored and
    the client never hears so (it retries). One request at a time per connection, as boto3 sends them."""

    def __init__(self, upstream: tuple[str, int], every: int = 3) -> None:
        self.upstream, self.every = upstream, every
        self.puts = self.dropped = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop = True
        self._server.close()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(self.upstream)
        from_client, from_upstream = client.makefile("rb"), upstream.makefile("rb")
        try:
            while head := _read_head(from_client):
                method, headers = head.split(b" ", 1)[0], _headers(head)
                if headers.get("expect", "").lower() == "100-continue":  # answered here, not upstream
                    client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                    head = b"".join(line for line in head.splitlines(keepends=True)
                                    if not line.lower().startswith(b"expect:"))  # fmt: skip
                upstream.sendall(head + _read_body(from_client, headers))
                answer = _read_head(from_upstream)
                if not answer:
                    break
                status, answer_headers = answer.split(b" ", 2)[1], _headers(answer)
                body = (
                    b""
                    if method == b"HEAD" or status in (b"204", b"304")
                    else _read_body(from_upstream, answer_headers)
                )
                if method == b"PUT" and status == b"200":
                    with self._lock:
                        self.puts += 1
                        drop = self.puts % self.every == 0
                        self.dropped += drop
                    if drop:
                        break
                client.sendall(answer + body)
        except OSError:
            pass
        for s in (client, upstream):
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


def _read_head(reader: Any) -> bytes:
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = reader.readline()
        if not line:
            return b""
        head += line
    return head


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}


def _read_body(reader: Any, headers: dict[str, str]) -> bytes:
    """The raw body (chunked bodies with their framing) of a message with these headers."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raw = b""
        while True:
            size_line = reader.readline()
            raw += size_line
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while (line := reader.readline()) not in (b"\r\n", b""):
                    raw += line
                return raw + b"\r\n"
            raw += reader.read(size + 2)
    return reader.read(int(headers.get("content-length", "0")))


@contextmanager
def restartable_seaweed() -> Iterator[Any]:
    """SeaweedFS whose process can be killed (SIGKILL) and started again on the same ports and data."""
    from monitorflow.storage import testing

    weed = testing.find_weed()
    if weed is None:
        raise testing.ServerUnavailable("SeaweedFS 'weed' binary not found")
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="mf-weed-fault-"))
    ports = testing.free_ports(12)
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "fault", "AWS_SECRET_ACCESS_KEY": "fault-secret"}
    state: dict[str, Any] = {}

    def start() -> None:
        state["proc"], log = testing._start_weed(weed, base, ports, env)
        testing._wait_http(f"http://127.0.0.1:{ports[6]}/", state["proc"], 60, log)

    class Handle:
        server = testing.S3Server(f"http://127.0.0.1:{ports[6]}", "fault", "fault-secret")
        port = ports[6]

        @staticmethod
        def kill() -> None:
            state["proc"].send_signal(signal.SIGKILL)
            state["proc"].wait(10)

        restart = staticmethod(start)

    start()
    try:
        yield Handle
    finally:
        testing._stop_weed(state["proc"], base, ports)


def durable_database(cluster: str) -> str:
    """A new database in the PostgreSQL ``cluster`` (URL) whose commits are durable when acknowledged
    (``synchronous_commit = on``, the server default, which the test clusters turn off for speed)."""
    import uuid

    import sqlalchemy

    name = f"faults_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(cluster, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = on')
    engine.dispose()
    return cluster.rsplit("/", 1)[0] + f"/{name}"


def restart_postgres(url: str, mode: str = "immediate") -> None:
    """``pg_ctl restart -m <mode>`` of the cluster at ``url`` (as the postgres user when root): the
    server dies without a shutdown checkpoint and comes back with its previous options."""
    import sqlalchemy

    from monitorflow.storage.testing import find_pg_bin

    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:
        data = conn.exec_driver_sql("SHOW data_directory").scalar()
    engine.dispose()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    pg_bin = find_pg_bin()
    if pg_bin is None:
        raise RuntimeError("PostgreSQL's pg_ctl not found: set MONITORFLOW_PGBIN to its bin folder")
    log = Path(str(data)).parent / "restart.log"
    subprocess.run([*as_pg, str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(log), "-m", mode, "-w",
                    "-t", "60", "restart"], check=True, capture_output=True, timeout=120)  # fmt: skip


@contextmanager
def small_disk(size_kb: int) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` KiB mounted on a temporary folder (root only; ``OSError`` if not possible)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="mf-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode:
        folder.rmdir()
        raise OSError(f"cannot mount a small tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        with suppress(OSError):
            folder.rmdir()


def killed_writers(open_ws: Open, project_id: UUID, run: str, count: int, data: bool, kills: int,
                   seed: int = 7) -> tuple[set[str], int]:  # fmt: skip
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
    from monitorflow.workspace import Workspace

    def contents(ws: Any, pid: UUID) -> tuple[set[str], set[str], int]:
        snaps, data, temp = folder_contents(root, pid)
        return snaps, data, temp + pending(ws)

    return Backend("folder", lambda **kw: Workspace(root, **kw), contents)


def sql_backend(name: str, uri: str) -> Backend:
    from monitorflow.workspace import Workspace

    return Backend(name, lambda **kw: Workspace(uri, **kw), lambda ws, pid: (*sql_contents(ws), 0))


def s3_backend(uri: str, endpoint: str, index: Path) -> Backend:
    from monitorflow.workspace import Workspace

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


def _in_background(ws: Any, project_id: UUID, run: str, count: int, data: bool,
                   pause: float) -> tuple[threading.Thread, set[str], dict[str, Any]]:  # fmt: skip
    acked: set[str] = set()
    out: dict[str, Any] = {}

    def work() -> None:
        try:
            out["failures"] = write_stream(ws, project_id, run, count, data, time.monotonic() + 180,
                                           acked=acked.add, pause=pause)  # fmt: skip
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


def _interrupted(backend: Backend, fault: str, data: bool, count: int, hit: Callable[[], None],
                 open_kw: dict[str, Any] | None = None, pause: float = 0.02) -> Audit:  # fmt: skip
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
        row = _interrupted(backend, "S3 answers dropped (proxy)", data, count, lambda: None,
                           open_kw={"endpoint_url": proxy.url})  # fmt: skip
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

"""Ways to break a backend under its writers: a proxy that drops answers, SeaweedFS killed and
started again, PostgreSQL restarted without a checkpoint, a disk that fills up (used by
:mod:`monitorflow.storage.faults`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from monitorflow.storage import testing
from monitorflow.storage.testing import find_pg_bin


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
                    head = b"".join(
                        line
                        for line in head.splitlines(keepends=True)
                        if not line.lower().startswith(b"expect:")
                    )
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

    weed = testing.find_weed()
    if weed is None:
        raise testing.ServerUnavailable("SeaweedFS 'weed' binary not found")

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

    import sqlalchemy  # optional: sql extra

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
    import sqlalchemy  # optional: sql extra

    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:
        data = conn.exec_driver_sql("SHOW data_directory").scalar()
    engine.dispose()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    pg_bin = find_pg_bin()
    if pg_bin is None:
        raise RuntimeError("PostgreSQL's pg_ctl not found: set MONITORFLOW_PGBIN to its bin folder")
    log = Path(str(data)).parent / "restart.log"
    subprocess.run(
        [
            *as_pg,
            str(pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-m",
            mode,
            "-w",
            "-t",
            "60",
            "restart",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@contextmanager
def small_disk(size_kb: int) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` KiB mounted on a temporary folder (root only; ``OSError`` if not possible)."""

    folder = Path(tempfile.mkdtemp(prefix="mf-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        folder.rmdir()
        raise OSError(f"cannot mount a small tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        with suppress(OSError):
            folder.rmdir()

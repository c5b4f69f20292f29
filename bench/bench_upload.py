"""Service memory during a large multi-part upload (issue 15: was 192 MB -> 791 MB, kept 691 MB).

    .venv/bin/python bench/bench_upload.py [--mib 200] [--runs 3]

Starts ``monitorflow ui`` on a temporary folder workspace, uploads a snapshot with a ``current``
dataset of about ``--mib`` MiB (incompressible Parquet) in one multi-part request, and prints the
service's RSS before, its peak (VmHWM) and its RSS after, from /proc, per run; plus the client's
wall time and the service's CPU seconds for the upload.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import numpy as np
import pandas as pd

from monitorflow.service.testing import free_port
from monitorflow.storage.faults import make_snapshot
from monitorflow.storage.wire import PARTS_TYPE, encode_parts


def status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (MiB) of a process."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return {key: int(fields[key].split()[0]) // 1024 for key in ("VmRSS", "VmHWM")}


def cpu_seconds(pid: int) -> float:
    utime, stime = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13]
    return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


def parquet_of(mib: int) -> bytes:
    rows = mib * 1024 * 1024 // 8 // 4
    rng = np.random.default_rng(15)
    frame = pd.DataFrame({f"x{k}": rng.random(rows) for k in range(4)})
    with tempfile.TemporaryFile() as f:
        frame.to_parquet(f, compression=None)
        f.seek(0)
        return f.read()


def run(mib: int) -> dict[str, float]:
    data = parquet_of(mib)
    root = Path(tempfile.mkdtemp(prefix="mf-upload-"))
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitorflow.cli",
            "ui",
            "--workspace",
            str(root / "ws"),
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, timeout=600) as client:
            for _ in range(200):
                try:
                    client.get("/api/version")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            project = client.post("/api/projects", json={"name": "upload"}).json()["id"]
            before, cpu = status(proc.pid), cpu_seconds(proc.pid)
            body = encode_parts(
                [("snapshot", make_snapshot(0, uuid.uuid4().hex).json_bytes()), ("current", data)]
            )
            started = time.perf_counter()
            answer = client.post(
                f"/api/projects/{project}/snapshots", content=body, headers={"Content-Type": PARTS_TYPE}
            )
            took = time.perf_counter() - started
            assert answer.status_code == 201, answer.text[:500]
        after = status(proc.pid)
        return {
            "body MiB": round(len(body) / 2**20),
            "RSS before": before["VmRSS"],
            "peak": after["VmHWM"],
            "RSS after": after["VmRSS"],
            "wall s": round(took, 2),
            "service CPU s": round(cpu_seconds(proc.pid) - cpu, 2),
        }
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mib", type=int, default=200)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    rows = [run(args.mib) for _ in range(args.runs)]
    keys = list(rows[0])
    print("| run | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for i, row in enumerate(rows, 1):
        print(f"| {i} | " + " | ".join(str(row[k]) for k in keys) + " |")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

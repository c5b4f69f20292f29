"""Helpers for the flow tests: Prefect env defaults, daily files of generated data, monitors, a server.

Imported before Prefect is: it points ``PREFECT_HOME`` at a temporary folder (unless set) and turns
telemetry off, so the tests never touch ``~/.prefect``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="mf-prefect-home-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=UTC)
PREFECT = str(Path(sys.executable).with_name("prefect"))
PORT_ATTEMPTS = 5


def day(i: int) -> datetime:
    return START + timedelta(days=i)


def events(i: int, rows: int = 120, shift: float = 0.0) -> pd.DataFrame:
    """Rows of day ``i``: two regions, two model versions, a numeric and a categorical feature."""
    rng = np.random.default_rng([i + 1000, round(shift * 100) + 1000])
    return pd.DataFrame(
        {
            "id": np.arange(rows) + i * 10_000,
            "ts": pd.Timestamp(day(i)) + pd.to_timedelta(rng.uniform(0, 86_399, rows), unit="s"),
            "region": np.where(np.arange(rows) % 2 == 0, "eu", "us"),
            "model_version": np.where(np.arange(rows) % 4 < 2, "v1", "v2"),
            "x": rng.normal(shift, 1.0, rows),
            "cat": rng.choice(["a", "b", "c"], rows),
            "prediction": rng.uniform(0, 1, rows).round(3),
        }
    )


def write_days(folder: Path, days: range, skip: tuple[int, ...] = (), **kwargs: Any) -> Path:
    """``folder/YYYY-MM-DD.parquet`` for each day (none for ``skip``); returns the path template."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in days:
        if i not in skip:
            events(i, **kwargs).to_parquet(folder / f"{day(i):%Y-%m-%d}.parquet", index=False)
    return folder / "{start}.parquet"


def labels(days: range) -> pd.DataFrame:
    """A label for every event of ``days``."""
    frames = [events(i)[["id", "ts", "prediction"]] for i in days]
    frame = pd.concat(frames, ignore_index=True)
    frame["label"] = (frame["prediction"] > 0.5).astype(int)
    return frame[["id", "ts", "label"]]


def monitor_dict(tmp: Path, **overrides: Any) -> dict[str, Any]:
    """A daily monitor of files in ``tmp/data`` with segments eu/us, into ``tmp/ws``."""
    template = tmp / "data" / "{start}.parquet"
    events(-1, rows=400).to_parquet(tmp / "reference.parquet", index=False)
    config: dict[str, Any] = {
        "name": "flowtest",
        "project": "flow-tests",
        "workspace": str(tmp / "ws"),
        "current": {"kind": "file", "path": str(template), "timestamp_column": "ts", "missing_ok": True},
        "reference": {"kind": "file", "path": str(tmp / "reference.parquet")},
        "column_mapping": {
            "target": None,
            "prediction": "prediction",
            "id": "id",
            "datetime": "ts",
            "numerical_features": ["x"],
            "categorical_features": ["cat"],
        },
        "metrics": [{"name": "ColumnDriftMetric", "column_name": "x"}, "DatasetSummaryMetric"],
        "tests": [{"name": "TestNumberOfRows", "gte": 10}],
        "window": "1d",
        "segments": {"columns": ["region"]},
        "retries": 0,
        "retry_delay_seconds": 0,
    }
    config.update(overrides)
    return config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prefect_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def stop(process: subprocess.Popen[Any], first: int = signal.SIGTERM, grace: float = 20) -> None:
    """Stop a process we started: ``first`` signal, then SIGKILL after ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(first)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@contextmanager
def prefect_server(home: Path, prefect: str = PREFECT, timeout: float = 150) -> Iterator[str]:
    """``prefect server start`` on a free loopback port with its own PREFECT_HOME; yields the API URL.

    The port is chosen before the server binds it, so when another process took it first the server
    exits saying the port is already in use and starts again on another port.
    """
    for _ in range(PORT_ATTEMPTS):
        port = free_port()
        api = f"http://127.0.0.1:{port}/api"
        log_path = home / "server.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
                env=prefect_env(home),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if _healthy(api, process, timeout):
            break
        stop(process, signal.SIGINT)
        output = log_path.read_text()
        if "already in use" not in output.lower():  # prefect's own check, or uvicorn's bind error
            raise RuntimeError(f"prefect server did not start: {output[-2000:]}")
    else:
        raise RuntimeError(f"prefect server found its port taken {PORT_ATTEMPTS} times in a row")
    try:
        yield api
    finally:
        stop(process, signal.SIGINT)


def _healthy(api: str, process: subprocess.Popen[Any], timeout: float) -> bool:
    """Poll ``/health`` until it answers 200 (True) or the process exits or ``timeout`` passes (False)."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False

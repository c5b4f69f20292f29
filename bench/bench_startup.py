"""Start-up: what a user waits for before the first answer (issue 14, item 10).

Each row is the median of ``--repeats`` fresh interpreters (default 7), run interleaved so machine
noise hits every row alike:

- ``import X``: wall and CPU seconds of the import statement alone, inside a fresh process
  (``python -c`` with ``src`` on the path); goal: ``import monitorflow`` at most 0.3 s above
  ``import pandas``;
- ``monitorflow ui``: from ``Popen`` of ``python -m monitorflow.cli ui`` on a folder workspace with
  one project of 20 snapshots to the first ``200`` of ``GET /`` and of the project's dashboard
  page, plus the server's CPU seconds at that moment (``/proc``); goal: 2 s.

    .venv/bin/python bench/bench_startup.py [--repeats 7]

The load average is printed with the table: on a shared machine wall times follow it, CPU seconds
much less.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IMPORTS = {
    "import pandas": "import pandas",
    "import monitorflow": "import monitorflow",
    "from monitorflow import Report (engine)": "from monitorflow import Report, TestSuite",
    "import monitorflow.service.app": "import monitorflow.service.app",
}
_CHILD = (
    "import time, json\nw, c = time.perf_counter(), time.process_time()\n{stmt}\n"
    "print(json.dumps([time.perf_counter() - w, time.process_time() - c]))"
)
_TICK = os.sysconf("SC_CLK_TCK")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return env


def time_import(stmt: str) -> tuple[float, float]:
    """(wall s, CPU s) of ``stmt`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(stmt=stmt)],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    wall, cpu = json.loads(out.stdout.strip().splitlines()[-1])
    return wall, cpu


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def _answered(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def time_ui(workspace: Path, project_id: str, timeout: float = 60.0) -> tuple[float, float, float]:
    """(s to the first 200 of ``/``, s to the dashboard page's 200, server CPU s then)."""
    port = _free_port()
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitorflow.cli", "ui", "--workspace", str(workspace), "--port", str(port)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        while not _answered(base + "/"):
            if proc.poll() is not None or time.perf_counter() - began > timeout:
                raise RuntimeError(f"monitorflow ui did not answer within {timeout} s")
            time.sleep(0.02)
        first = time.perf_counter() - began
        _answered(f"{base}/projects/{project_id}")
        page = time.perf_counter() - began
        return first, page, _cpu_seconds(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)


def make_workspace(folder: Path) -> str:
    """A folder workspace with one project of 20 daily drift reports; returns the project id."""
    from datetime import UTC, datetime, timedelta

    import numpy as np
    import pandas as pd

    from monitorflow import Report, Workspace
    from monitorflow.metric_preset import DataDriftPreset

    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(list("abc"), 500)})
    with Workspace(folder) as ws:
        project = ws.create_project("startup")
        for day in range(20):
            current = pd.DataFrame({"x": rng.normal(day / 10, size=300), "c": rng.choice(list("abc"), 300)})
            report = Report(metrics=[DataDriftPreset()])
            report.run(
                reference_data=reference,
                current_data=current,
                timestamp=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day),
            )
            ws.add_report(project.id, report)
        return str(project.id)


def _row(name: str, walls: list[float], cpus: list[float]) -> tuple[str, str, str, str]:
    return (
        name,
        f"{statistics.median(walls):.3f}",
        f"{min(walls):.3f}-{max(walls):.3f}",
        f"{statistics.median(cpus):.3f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args, _ = parser.parse_known_args()  # run_all.py passes every bench's flags
    results: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in IMPORTS}
    ui_first: list[float] = []
    ui_page: list[float] = []
    ui_cpu: list[float] = []
    with tempfile.TemporaryDirectory(prefix="mf-bench-startup-") as tmp:
        project_id = make_workspace(Path(tmp))
        for _ in range(args.repeats):
            for name, stmt in IMPORTS.items():
                wall, cpu = time_import(stmt)
                results[name][0].append(wall)
                results[name][1].append(cpu)
            first, page, cpu = time_ui(Path(tmp), project_id)
            ui_first.append(first)
            ui_page.append(page)
            ui_cpu.append(cpu)
    rows = [("start-up", "median s", "range s", "CPU s")]
    rows += [_row(name, walls, cpus) for name, (walls, cpus) in results.items()]
    rows.append(_row("monitorflow ui: first 200 of /", ui_first, ui_cpu))
    rows.append(_row("monitorflow ui: dashboard page 200", ui_page, ui_cpu))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    extra = statistics.median(results["import monitorflow"][0]) - statistics.median(
        results["import pandas"][0]
    )
    print("\n".join(lines))
    print(
        f"(medians of {args.repeats} fresh processes; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores; import monitorflow - import pandas: {extra:+.3f} s, goal <= 0.3 s; "
        "ui goal: first answer <= 2 s)"
    )


if __name__ == "__main__":
    main()

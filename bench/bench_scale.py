"""Windows of any size: DataDriftPreset and DataQualityPreset on Parquet windows of 1M, 10M and 100M
rows x 50 columns, out of core, against the in-memory engine where it fits.

Data: deterministic Parquet folders (``reference/`` and ``current/``, 1M-row row groups, 10 per file)
from the drift bench's generator (normal and lognormal floats, wide and low ints, string categories,
a bool; 5% NaN/None), a third of the current columns shifted. Generated once per size under
``--data-dir`` and reused. Each measurement is a fresh process (``child_scale.py``): wall and CPU
seconds of the whole process, peak RSS (whole process, data included), rows per second per core of
the profile pass (pass A CPU seconds over both sides' rows), and the largest relative difference of
any number in the report from the in-memory run (run when ``--in-memory-up-to`` allows).
``drift cached`` reruns DataDriftPreset with the reference's profile and sorted columns cached.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from common import _frame, feature_mapping  # noqa: E402

CHUNK = 1_000_000
CHUNKS_PER_FILE = 10
COLUMNS = 50
DATA_VERSION = 1


def _write_side(folder: Path, rows: int, seed: int, drifted: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    writer, file_index = None, 0
    for chunk, start in enumerate(range(0, rows, CHUNK)):
        n = min(CHUNK, rows - start)
        frame = _frame(n, COLUMNS, [seed, chunk], 0.05, drifted=drifted)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None or chunk % CHUNKS_PER_FILE == 0:
            if writer is not None:
                writer.close()
            writer = pq.ParquetWriter(folder / f"part-{file_index:04d}.parquet", table.schema)
            file_index += 1
        writer.write_table(table, row_group_size=CHUNK)
    if writer is not None:
        writer.close()


def generate(root: Path, rows: int, reference_rows: int) -> Path:
    """``root/<rows>[-ref<reference_rows>]`` with reference/, current/ and mapping.json (reused when complete)."""
    folder = root / (f"{rows}" if reference_rows == rows else f"{rows}-ref{reference_rows}")
    manifest = folder / "manifest.json"
    expected = {"rows": rows, "reference_rows": reference_rows, "columns": COLUMNS, "version": DATA_VERSION}
    if manifest.exists():
        found = json.loads(manifest.read_text())
        found.setdefault("reference_rows", found.get("rows"))
        if found == expected:
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    _write_side(folder / "reference", reference_rows, 0, 0)
    _write_side(folder / "current", rows, 1, round(COLUMNS / 3))
    mapping = feature_mapping(_frame(10, COLUMNS, 0, 0.05))
    (folder / "mapping.json").write_text(json.dumps(mapping))
    manifest.write_text(json.dumps(expected))
    print(f"  generated {rows:,} x {COLUMNS} in {time.perf_counter() - t0:.0f} s at {folder}", flush=True)
    return folder


def child(args: list[str], timeout: float) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    try:
        proc = subprocess.run(
            [sys.executable, str(BENCH / "child_scale.py"), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_RESULT ")]
    if lines:
        return json.loads(lines[-1][len("BENCH_RESULT ") :])
    return {"status": "error", "error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}


def largest_difference(expected, got, path="") -> tuple[float, list[str]]:
    """Largest relative difference of numbers, and the paths where anything else differs."""
    if isinstance(expected, dict) and isinstance(got, dict):
        worst, other = 0.0, [f"{path}: keys" for _ in [0] if set(expected) != set(got)]
        for key in set(expected) & set(got):
            w, o = largest_difference(expected[key], got[key], f"{path}.{key}")
            worst, other = max(worst, w), other + o
        return worst, other
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        worst, other = 0.0, []
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            w, o = largest_difference(a, b, f"{path}[{i}]")
            worst, other = max(worst, w), other + o
        return worst, other
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(got, numbers) and not isinstance(expected, bool):
        a, b = float(expected), float(got)
        if (math.isnan(a) and math.isnan(b)) or a == b:
            return 0.0, []
        return abs(a - b) / max(abs(a), abs(b)), []
    return (0.0, []) if expected == got else (0.0, [path])


def parse_rows(text: str) -> int:
    return int(float(text[:-1]) * {"K": 1e3, "M": 1e6}[text[-1]]) if text[-1] in "KM" else int(text)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1M,10M,100M", help="rows per window, e.g. 1M,10M")
    parser.add_argument("--quick", action="store_true", help="1M only")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "monitorflow-bench-scale"
    )
    parser.add_argument("--budget", default="1GB", help="memory budget of the out-of-core runs")
    parser.add_argument(
        "--in-memory-up-to", type=int, default=1_000_000, help="largest size also run in memory"
    )
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--only", default="", help="presets to run: drift, quality (default both)")
    parser.add_argument(
        "--reference-rows", default="", help="reference size (default: the window's), e.g. 10M"
    )
    args, _ = parser.parse_known_args()
    sizes = [parse_rows(s) for s in args.sizes.split(",")]
    if args.quick:
        sizes = [1_000_000]
    presets = [p for p in ("drift", "quality") if args.only in p]
    print(f"== scale: load {load_average()}, {os.cpu_count()} cores, budget {args.budget}", flush=True)
    rows_out = []
    for size in sizes:
        reference_rows = parse_rows(args.reference_rows) if args.reference_rows else size
        folder = generate(args.data_dir, size, reference_rows)
        cache = Path(tempfile.mkdtemp(prefix="mf-scale-cache-"))
        try:
            for preset in presets:
                cases = [(preset, ["--budget", args.budget])]
                if preset == "drift":
                    cases.append(("drift cached", ["--budget", args.budget, "--cache", str(cache)]))
                memory_json = None
                if size <= args.in_memory_up_to:
                    memory_json = folder / f"memory-{preset}.json"
                    memory = child(["memory", preset, str(folder), str(memory_json)], args.timeout)
                    rows_out.append((size, f"{preset} in memory", memory, None))
                for name, extra in cases:
                    if name == "drift cached":  # first run fills the cache, the second is measured
                        child(["lazy", preset, str(folder), str(folder / "warm.json"), *extra], args.timeout)
                    out = folder / f"lazy-{preset}.json"
                    result = child(["lazy", preset, str(folder), str(out), *extra], args.timeout)
                    diff = None
                    if memory_json is not None and memory_json.exists() and result.get("status") == "ok":
                        diff = largest_difference(
                            json.loads(memory_json.read_text()), json.loads(out.read_text())
                        )
                    rows_out.append((size, name, result, diff))
                    print(
                        f"  {size:,} {name}: {summary(size, result, diff)}  (load {load_average()})",
                        flush=True,
                    )
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    print()
    print(table(rows_out))
    print(f"load average at the end: {load_average()}")


def summary(size: int, r: dict, diff) -> str:
    if r.get("status") != "ok":
        return r.get("status", "?") + " " + str(r.get("error", ""))
    return f"wall {r['wall_s']:.0f} s, cpu {r['cpu_s']:.0f} s, peak {r['peak_mb']:.0f} MB"


def table(rows) -> str:
    header = (
        "rows",
        "run",
        "wall s",
        "cpu s",
        "peak MB",
        "profile rows/s/core",
        "sort cpu s",
        "max rel diff",
        "notes",
    )
    lines = [header]
    for size, name, r, diff in rows:
        if r.get("status") != "ok":
            lines.append(
                (f"{size:,}", name, "-", "-", "-", "-", "-", "-", str(r.get("error", r.get("status")))[:60])
            )
            continue
        t = r.get("timings", {})
        profile_cpu = t.get("current_profile_cpu", 0) + t.get("reference_profile_cpu", 0)
        profiled_rows = sum(
            r.get(f"{side}_rows", 0)
            for side in ("current", "reference")
            if t.get(f"{side}_profile_cpu", 0) > 0.5
        )
        rate = f"{profiled_rows / profile_cpu / 1e6:.2f}M" if profile_cpu > 0.5 else "-"
        sort_cpu = t.get("current_sort_cpu", 0) + t.get("reference_sort_cpu", 0)
        notes = "; ".join(r.get("errors", []))[:60]
        if diff is not None and diff[1]:
            notes = (notes + f"; {len(diff[1])} non-numeric differences e.g. {diff[1][0]}")[:80]
        lines.append((f"{size:,}", name, f"{r['wall_s']:.1f}", f"{r['cpu_s']:.1f}", f"{r['peak_mb']:.0f}", rate,
                      f"{sort_cpu:.1f}" if sort_cpu else "-", "-" if diff is None else f"{diff[0]:.1e}", notes))  # fmt: skip
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(header))]
    text = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()

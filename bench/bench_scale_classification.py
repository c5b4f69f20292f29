"""ClassificationPreset out of core: a Parquet window of N rows, against the in-memory engine.

Data: deterministic Parquet files (``reference/`` and ``current/``, 1M-row row groups) with a binary
task (a 0/1 target with 2% missing, the probability of 1 rounded to 4 places: ties, 2% missing) and
a 3-class task (one probability column per label, rounded), plus a float and a text feature. Each
measurement is a fresh process (this script with ``--child``): wall and CPU seconds of the whole
process, peak RSS (data included), the CPU seconds of the sorts (the per-label score samples), and the largest relative difference of any number of the report (chart fields included) from the
in-memory run.

Usage: ``.venv/bin/python bench/bench_scale_classification.py --rows 1M [--budget 256MB]``.

``--backfill N``: instead, a backfill of N windows (the current files) against one fixed reference,
out of core, once without and once with a profile cache (``cache_dir``: the reference's profile,
counts and sorted score samples are made in the first window and read back in the next ones); per
window wall and CPU seconds, medians of windows 2..N, each mode in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_scale import CHUNK, largest_difference, load_average, parse_rows  # noqa: E402

TASKS = ("binary", "multiclass")


def generate(folder: Path, rows: int, seed: int) -> None:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    with pq.ParquetWriter(folder / "part-0.parquet", schema=_schema()) as writer:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            target = rng.integers(0, 2, n).astype(np.float64)
            score = np.round(np.clip(0.3 * target + 0.7 * rng.random(n), 0, 1), 4)
            target[rng.random(n) < 0.02] = np.nan
            score[rng.random(n) < 0.02] = np.nan
            raw = np.round(rng.random((n, 3)), 3) + 0.001
            probas = raw / raw.sum(axis=1, keepdims=True)
            frame = pd.DataFrame({
                "target": target, "score": score,
                "label": np.array(["a", "b", "c"], dtype=object)[rng.integers(0, 3, n)],
                "a": probas[:, 0], "b": probas[:, 1], "c": probas[:, 2],
                "size": rng.normal(size=n), "kind": np.array(list("pqrstu"), dtype=object)[rng.integers(0, 6, n)],
            })  # fmt: skip
            writer.write_table(pa.Table.from_pandas(frame, schema=_schema(), preserve_index=False))


def _schema():  # noqa: ANN202
    import pyarrow as pa

    floats = ["target", "score", "a", "b", "c", "size"]
    return pa.schema([(c, pa.float64()) for c in floats] + [("label", pa.string()), ("kind", pa.string())])


def mapping(task: str):  # noqa: ANN201
    from monitorflow import ColumnMapping

    if task == "binary":
        return ColumnMapping(target="target", prediction="score", pos_label=1.0, task="classification",
                             numerical_features=["size"], categorical_features=["kind"])  # fmt: skip
    return ColumnMapping(target="label", prediction=["a", "b", "c"], task="classification",
                         numerical_features=["size"], categorical_features=["kind"])  # fmt: skip


def run_child(mode: str, task: str, data: Path, out: Path, budget: str | None) -> None:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    import pandas as pd

    from monitorflow import Report
    from monitorflow.metric_preset import ClassificationPreset
    from monitorflow.scale import ParquetSource, configure

    columns = (
        ["target", "score", "size", "kind"] if task == "binary" else ["label", "a", "b", "c", "size", "kind"]
    )
    if mode == "lazy":
        configure(**({"memory_budget": budget} if budget else {}))
        reference = ParquetSource(data / "reference", columns=columns)
        current = ParquetSource(data / "current", columns=columns)
    else:
        reference = pd.read_parquet(data / "reference", columns=columns)
        current = pd.read_parquet(data / "current", columns=columns)
    report = Report(metrics=[ClassificationPreset()])
    report.run(reference_data=reference, current_data=current, column_mapping=mapping(task))
    result = report.as_dict(include_render=True)
    out.write_text(json.dumps(result, default=str))
    timings: dict[str, float] = {}
    for side in ("current", "reference"):
        for key, value in getattr(getattr(report._context, side, None), "timings", {}).items():
            timings[key] = round(timings.get(key, 0.0) + value, 2)
    print("BENCH_RESULT " + json.dumps({
        "wall_s": time.perf_counter() - wall0, "cpu_s": time.process_time() - cpu0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "timings": timings,
        "errors": [m["metric"] for m in result["metrics"] if "error" in m],
    }), flush=True)  # fmt: skip


def run_backfill_child(cached: bool, task: str, data: Path, windows: int, budget: str | None) -> None:
    import statistics

    from monitorflow import Report
    from monitorflow.metric_preset import ClassificationPreset
    from monitorflow.scale import ParquetSource, configure

    columns = (
        ["target", "score", "size", "kind"] if task == "binary" else ["label", "a", "b", "c", "size", "kind"]
    )
    with tempfile.TemporaryDirectory(prefix="bench-cls-cache-") as cache:
        configure(cache_dir=cache if cached else None, **({"memory_budget": budget} if budget else {}))
        walls, cpus = [], []
        for _ in range(windows):
            wall, cpu = time.perf_counter(), time.process_time()
            report = Report(metrics=[ClassificationPreset()])
            report.run(
                reference_data=ParquetSource(data / "reference", columns=columns),
                current_data=ParquetSource(data / "current", columns=columns),
                column_mapping=mapping(task),
            )
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    print("BENCH_RESULT " + json.dumps({
        "first_wall_s": walls[0], "first_cpu_s": cpus[0],
        "wall_s": statistics.median(walls[1:]), "cpu_s": statistics.median(cpus[1:]),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }), flush=True)  # fmt: skip


def backfill(root: Path, rows: int, windows: int, budget: str | None) -> None:
    lines = []
    for task in TASKS:
        for cached in (False, True):
            args = [sys.executable, __file__, "--backfill-child", str(cached), task, str(root), str(windows)]
            proc = subprocess.run(
                args + (["--budget", budget] if budget else []), capture_output=True, text=True, timeout=7200
            )
            found = [ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_RESULT ")]
            if not found:
                lines.append(
                    [f"{rows:,}", task, str(cached), (proc.stderr.strip().splitlines() or ["?"])[-1]]
                )
                continue
            r = json.loads(found[-1][len("BENCH_RESULT ") :])
            lines.append([
                f"{rows:,}", task, "cached reference" if cached else "no cache",
                f"{r['first_wall_s']:.1f} / {r['first_cpu_s']:.1f}", f"{r['wall_s']:.1f} / {r['cpu_s']:.1f}",
                f"{r['peak_mb']:.0f}",
            ])  # fmt: skip
    header = ["rows per side", "task", "reference", "window 1 wall / CPU s", "windows 2.. wall / CPU s (median)",
              "peak RSS MB"]  # fmt: skip
    for line in [header, ["---"] * len(header), *lines]:
        print("| " + " | ".join(line) + " |")


def measure(mode: str, task: str, data: Path, out: Path, budget: str | None) -> dict:
    args = [sys.executable, __file__, "--child", mode, task, str(data), str(out)] + (
        ["--budget", budget] if budget else []
    )
    proc = subprocess.run(args, capture_output=True, text=True, timeout=7200)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_RESULT ")]
    if not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1][len("BENCH_RESULT ") :])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1M")
    parser.add_argument("--budget", default=None, help="memory budget of the out-of-core run")
    parser.add_argument("--child", nargs=4, default=None)
    parser.add_argument(
        "--backfill", type=int, default=None, help="windows of a backfill (see the docstring)"
    )
    parser.add_argument("--backfill-child", nargs=4, default=None)
    args = parser.parse_args()
    if args.backfill_child:
        cached, task, data, windows = args.backfill_child
        run_backfill_child(cached == "True", task, Path(data), int(windows), args.budget)
        return
    if args.child:
        mode, task, data, out = args.child
        run_child(mode, task, Path(data), Path(out), args.budget)
        return
    rows = parse_rows(args.rows)
    print(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-cls-") as tmp:
        root = Path(tmp)
        generate(root / "reference", rows, 1)
        generate(root / "current", rows, 2)
        if args.backfill:
            backfill(root, rows, max(2, args.backfill), args.budget)
            print(f"load average at end: {load_average()}")
            return
        lines = []
        for task in TASKS:
            memory = measure("memory", task, root, root / "memory.json", None)
            lazy = measure("lazy", task, root, root / "lazy.json", args.budget)
            worst, other = largest_difference(
                json.loads((root / "memory.json").read_text()), json.loads((root / "lazy.json").read_text())
            )
            for name, r in (("in memory", memory), ("out of core", lazy)):
                if "error" in r:
                    lines.append([f"{rows:,}", f"{task} {name}", r["error"], "", "", "", ""])
                    continue
                t = r["timings"]
                lines.append([
                    f"{rows:,}", f"ClassificationPreset {task} {name}", f"{r['wall_s']:.1f}", f"{r['cpu_s']:.1f}",
                    f"{r['peak_mb']:.0f}", f"{t.get('sort_cpu', 0):.1f}" if t else "-",
                    "(reference)" if name == "in memory" else f"{worst:.1e}" + (f" ({len(other)} other)" if other else ""),
                ])  # fmt: skip
    header = ["rows", "run", "wall s", "CPU s", "peak RSS MB", "sort CPU s", "max rel diff"]
    for line in [header, ["---"] * len(header), *lines]:
        print("| " + " | ".join(line) + " |")
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()

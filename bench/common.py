"""Shared benchmark harness: data generators, the peer interpreter, fresh-process runs, tables.

Each measurement runs ``bench/child.py`` in a fresh interpreter (ours: this one with ``src`` on
``PYTHONPATH``; peer: Evidently's venv), on parquet files written once per case, so both sides see
identical data and peak memory is clean. Ratios are peer/ours, from medians of repeated runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CHILD = REPO / "bench" / "child.py"
MARKER = "BENCH_RESULT "

# ---------------------------------------------------------------------------------------------
# Data generators (vectorised, deterministic)
# ---------------------------------------------------------------------------------------------

#: Column kinds cycled over the columns of a mixed frame; the last column is always bool.
PATTERN = ("normal", "cat", "lognormal", "intwide", "normal", "cat", "intlow", "normal", "cat", "lognormal")
NUMERICAL_KINDS = ("normal", "lognormal", "intwide")
PARAM_SEED = 20240611  # column parameters do not depend on the sample seed


def _column(kind: str, i: int, n: int, rng: np.random.Generator, drift: bool, nan_share: float):
    """One column of kind ``kind``; parameters depend only on ``i``, samples on ``rng``."""
    par = np.random.default_rng([PARAM_SEED, i])
    if kind == "normal":
        loc, scale = par.normal(0, 100), par.uniform(0.5, 50)
        values = rng.normal(loc + drift * 0.5 * scale, scale, n)
    elif kind == "lognormal":
        values = rng.lognormal(par.uniform(0, 3) + drift * 0.3, 0.75, n)
    elif kind == "intwide":
        return rng.poisson(10 ** par.uniform(1.5, 3.5) * (1 + 0.2 * drift), n)
    elif kind == "intlow":
        p = _zipf(int(par.integers(2, 6)), drift)
        return rng.choice(len(p), n, p=p)
    elif kind == "bool":
        return rng.random(n) < 0.3 + 0.2 * drift
    else:  # cat: strings, 3 to 50 categories
        p = _zipf(int(par.integers(3, 51)), drift)
        values = np.array([f"v{i:03d}_{j:02d}" for j in range(len(p))], dtype=object)[
            rng.choice(len(p), n, p=p)
        ]
        values[rng.random(n) < nan_share] = None
        return values
    values[rng.random(n) < nan_share] = np.nan
    return values


def _zipf(k: int, reverse: bool) -> np.ndarray:
    p = 1.0 / np.arange(1, k + 1) ** 0.8
    return (p[::-1] if reverse else p) / p.sum()


def _kind(i: int, n_cols: int) -> str:
    return "bool" if i == n_cols - 1 and n_cols > 1 else PATTERN[i % len(PATTERN)]


def _frame(n_rows: int, n_cols: int, seed: int, nan_share: float, drifted: int = 0) -> pd.DataFrame:
    """A mixed frame whose first ``drifted`` columns are shifted (categories: reversed frequencies)."""
    rng = np.random.default_rng(seed)
    columns = {}
    for i in range(n_cols):
        kind = _kind(i, n_cols)
        columns[f"{kind}_{i:03d}"] = _column(kind, i, n_rows, rng, i < drifted, nan_share)
    return pd.DataFrame(columns)


def mixed_frame(n_rows: int, n_cols: int, seed: int = 0, nan_share: float = 0.05) -> pd.DataFrame:
    """Floats (normal, lognormal), wide and low-cardinality (<=5 values) ints, string categories
    (3-50 values, Zipf frequencies) and one bool column; NaN/None in float and string columns."""
    return _frame(n_rows, n_cols, seed, nan_share)


def drifted_pair(n_rows: int, n_cols: int, seed: int = 0, nan_share: float = 0.05, drift_share: float = 0.25):
    """(reference, current): same schema, different samples; in current the first ``drift_share``
    of the columns are shifted and the first string column gets a new category in 5% of the rows."""
    reference = _frame(n_rows, n_cols, seed, nan_share)
    current = _frame(n_rows, n_cols, seed + 1, nan_share, drifted=round(drift_share * n_cols))
    if drift_share > 0:
        cat = next((c for c in current.columns if c.startswith("cat_")), None)
        if cat is not None:
            new = np.random.default_rng(seed + 2).random(n_rows) < 0.05
            current.loc[new, cat] = "new_category"
    return reference, current


def feature_mapping(frame: pd.DataFrame, **roles) -> dict:
    """ColumnMapping keyword arguments: explicit feature types (so both sides do the same work)."""
    role_columns = {c for v in roles.values() for c in (v if isinstance(v, list) else [v])}
    features = [c for c in frame.columns if c not in role_columns]
    num = [c for c in features if c.split("_")[0] in NUMERICAL_KINDS]
    cat = [c for c in features if c not in num]
    return {
        "target": None,
        "prediction": None,
        "numerical_features": num,
        "categorical_features": cat,
    } | roles


def mixed_data(n_rows: int, n_cols: int, drift_share: float = 0.0, nan_share: float = 0.05):
    """(reference, current, mapping) of mixed features; ``drift_share=0`` gives two samples alike."""
    reference, current = drifted_pair(n_rows, n_cols, nan_share=nan_share, drift_share=drift_share)
    return reference, current, feature_mapping(reference)


def classification_data(n_rows: int, n_classes: int = 2, n_features: int = 4, seed: int = 0):
    """(reference, current, mapping): string labels, one probability column per label (named after
    it, as Evidently expects), and ``n_features`` mixed features; current is a noisier model."""
    labels = ["no", "yes"] if n_classes == 2 else [f"class_{k}" for k in range(n_classes)]
    frames = []
    for k in range(2):
        rng = np.random.default_rng(seed + 100 + k)
        frame = _frame(n_rows, n_features, seed + k, 0.05)
        y = rng.choice(n_classes, n_rows, p=_zipf(n_classes, False))
        logits = rng.normal(0, 1.0 + 0.5 * k, (n_rows, n_classes))
        logits[np.arange(n_rows), y] += 2.0
        probas = np.exp(logits - logits.max(axis=1, keepdims=True))
        probas /= probas.sum(axis=1, keepdims=True)
        frame["target"] = np.array(labels, dtype=object)[y]
        frame[labels] = probas
        frames.append(frame)
    mapping = feature_mapping(frames[0], target="target", prediction=labels)
    mapping.update(task="classification", pos_label=labels[-1])
    return frames[0], frames[1], mapping


def regression_data(n_rows: int, n_features: int = 4, seed: int = 0):
    """(reference, current, mapping): float target and prediction plus mixed features; current has a
    biased, noisier prediction."""
    frames = []
    for k in range(2):
        rng = np.random.default_rng(seed + 100 + k)
        frame = _frame(n_rows, n_features, seed + k, 0.05)
        frame["target"] = rng.lognormal(4, 0.5, n_rows)
        frame["prediction"] = frame["target"] * rng.normal(1 + 0.05 * k, 0.1 + 0.1 * k, n_rows)
        frames.append(frame)
    mapping = feature_mapping(frames[0], target="target", prediction="prediction") | {"task": "regression"}
    return frames[0], frames[1], mapping


# ---------------------------------------------------------------------------------------------
# Interpreters and one fresh-process measurement
# ---------------------------------------------------------------------------------------------


def peer_python() -> str | None:
    """Evidently's interpreter: ``$MONITORFLOW_EVIDENTLY_PYTHON``, else ``<repo>/.venv-evidently``."""
    if env := os.environ.get("MONITORFLOW_EVIDENTLY_PYTHON"):
        return env
    default = REPO / ".venv-evidently" / "bin" / "python"
    return str(default) if default.exists() else None


def measure(side: str, workload: str, data_dir: Path, timeout: float) -> dict:
    """Run ``workload`` once in a fresh ``side`` ("ours" or "peer") process; return its JSON result,
    or ``{"status": "timeout"|"error"|"unavailable", ...}``."""
    return run_child(side, CHILD, [side, workload, str(data_dir)], timeout)


def run_child(side: str, script: Path, args: list[str], timeout: float) -> dict:
    """``script args`` in a fresh interpreter of ``side`` (ours: this one with ``src`` on the path;
    peer: Evidently's venv): the JSON of its last ``BENCH_RESULT`` line, or a status."""
    env = dict(os.environ)
    if side == "ours":
        python = sys.executable
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    else:
        python = peer_python()
        if python is None:
            return {"status": "unavailable", "error": "no Evidently venv (run bench/setup_evidently.py)"}
    try:
        proc = subprocess.run(
            [python, str(script), *args], capture_output=True, text=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "timeout_s": timeout}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARKER)]
    if lines:
        return json.loads(lines[-1][len(MARKER) :])
    tail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
    return {"status": "error", "error": tail}


# ---------------------------------------------------------------------------------------------
# Cases, repeats and medians
# ---------------------------------------------------------------------------------------------


@dataclass
class Case:
    """One row of a table: a workload on data from ``data()`` -> (reference, current, mapping)."""

    name: str
    workload: str
    data: Callable[[], tuple[pd.DataFrame, pd.DataFrame, dict]]
    shape: str = ""
    results: dict = field(default_factory=dict)


def _write_data(case: Case, directory: Path) -> None:
    reference, current, mapping = case.data()
    case.shape = f"{len(current):,} x {current.shape[1]}"
    reference.to_parquet(directory / "reference.parquet")
    current.to_parquet(directory / "current.parquet")
    (directory / "mapping.json").write_text(json.dumps(mapping))


def _summary(runs: list[dict]) -> dict:
    """Medians over the successful runs; otherwise the first failure."""
    ok = [r for r in runs if r.get("status") == "ok"]
    if not ok:
        return {
            "status": runs[0]["status"],
            "error": runs[0].get("error"),
            "timeout_s": runs[0].get("timeout_s"),
        }
    med = {
        k: statistics.median(r[k] for r in ok) for k in ("total_s", "run_s", "save_s", "peak_mb", "loaded_mb")
    }
    last = ok[-1]
    return {
        "status": "ok",
        **med,
        "work_mb": med["peak_mb"] - med["loaded_mb"],
        "n_ok": len(ok),
        **{k: last.get(k) for k in ("snapshot_bytes", "tests", "problems", "version", "pandas", "rss_reset")},
    }


def run_case(case: Case, args: argparse.Namespace) -> None:
    """Measure ``case`` on both sides, interleaving the runs; a side whose last run failed, timed out
    or took longer than ``args.long`` seconds is not run again."""
    with tempfile.TemporaryDirectory(prefix="mf-bench-") as tmp:
        t0 = time.perf_counter()
        _write_data(case, Path(tmp))
        print(f"  {case.name} [{case.shape}] data ready in {time.perf_counter() - t0:.1f} s", flush=True)
        sides = {"ours": args.timeout} if args.no_peer else {"ours": args.timeout, "peer": args.peer_timeout}
        runs: dict[str, list[dict]] = {side: [] for side in sides}
        for i in range(args.repeats):
            for side, timeout in sides.items():
                previous = runs[side][-1] if runs[side] else None
                if previous and (previous["status"] != "ok" or previous["total_s"] > args.long):
                    continue
                result = measure(side, case.workload, Path(tmp), timeout)
                runs[side].append(result)
                shown = f"{result['total_s']:.2f} s" if result["status"] == "ok" else result["status"]
                print(f"    run {i + 1} {side}: {shown}", flush=True)
        case.results = {side: {**_summary(r), "runs": r} for side, r in runs.items()}


# ---------------------------------------------------------------------------------------------
# Tables and results
# ---------------------------------------------------------------------------------------------

HEADERS = (
    "workload",
    "rows x cols",
    "ours s",
    "peer s",
    "peer/ours",
    "ours MB",
    "peer MB",
    "mem peer/ours",
    "ours +MB",
    "peer +MB",
    "notes",
)


def _seconds(s: dict) -> str:
    if s.get("status") == "ok":
        return f"{s['total_s']:.2f}"
    if s.get("status") == "timeout":
        return f"> {s['timeout_s']:.0f} s"
    return {"unavailable": "n/a (not importable)"}.get(s.get("status"), "error") if s else "-"


def _ratio(a: dict, b: dict, key: str) -> str:
    ok = a.get("status") == b.get("status") == "ok" and b[key] > 0
    if ok:
        return f"{a[key] / b[key]:.1f}x"
    if a.get("status") == "timeout" and b.get("status") == "ok":
        return f"> {a['timeout_s'] / b[key]:.0f}x" if key == "total_s" else "-"
    return "-"


def _mb(s: dict, key: str) -> str:
    return f"{s[key]:.0f}" if s.get("status") == "ok" else "-"


def _notes(ours: dict, peer: dict) -> str:
    notes = []
    for side, s in (("ours", ours), ("peer", peer)):
        if s.get("snapshot_bytes"):
            notes.append(f"{side} snapshot {s['snapshot_bytes'] / 1e6:.2f} MB")
        if s.get("tests"):
            notes.append(f"{side} tests " + " ".join(f"{k}={v}" for k, v in sorted(s["tests"].items())))
    return "; ".join(notes)


def _format(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def table(cases: list[Case]) -> str:
    """Plain aligned text table plus footnotes for errors and problems."""
    rows, footnotes = [HEADERS], []
    for c in cases:
        ours, peer = c.results.get("ours", {}), c.results.get("peer", {})
        rows.append(
            (
                c.name,
                c.shape,
                _seconds(ours),
                _seconds(peer),
                _ratio(peer, ours, "total_s"),
                _mb(ours, "peak_mb"),
                _mb(peer, "peak_mb"),
                _ratio(peer, ours, "peak_mb"),
                _mb(ours, "work_mb"),
                _mb(peer, "work_mb"),
                _notes(ours, peer),
            )
        )
        for side, s in (("ours", ours), ("peer", peer)):
            if s.get("error") or s.get("problems"):
                footnotes.append(f"  {c.name} {side}: {s.get('error') or s.get('problems')}")
    text = _format(rows)
    text += "\n(s: median wall time of run + save; MB: peak RSS incl. interpreter, imports and data; "
    text += "+MB: peak minus RSS after loading the data, incl. modules imported lazily during run)"
    return text + ("\n" + "\n".join(footnotes) if footnotes else "")


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="smaller sizes")
    p.add_argument("--repeats", type=int, default=3, help="runs per side (median is reported)")
    p.add_argument("--timeout", type=float, default=1200, help="seconds per run of ours")
    p.add_argument("--peer-timeout", type=float, default=1200, help="seconds per Evidently run")
    p.add_argument("--long", type=float, default=60, help="do not repeat runs longer than this (s)")
    p.add_argument("--no-peer", action="store_true", help="skip Evidently")
    p.add_argument("--only", default="", help="run only cases whose name contains this")
    return p


def main(bench: str, doc: str, make_cases: Callable[[argparse.Namespace], list[Case]]) -> list[Case]:
    """Parse arguments, run the cases, print the table, write ``bench/results/<bench>.json``."""
    description = " ".join(doc.split("\n\n")[0].split())
    args = parser(description).parse_args()
    cases = [c for c in make_cases(args) if args.only in c.name]
    print(f"== {bench}: {description} (repeats={args.repeats}, peer={peer_python() or 'none'})", flush=True)
    for case in cases:
        run_case(case, args)
    print("\n" + table(cases) + "\n", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{bench}.json"
    payload = {
        "bench": bench,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "args": vars(args),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "cases": [{"name": c.name, "workload": c.workload, "shape": c.shape, **c.results} for c in cases],
    }
    out.write_text(json.dumps(payload, indent=1))
    print(f"results: {out.relative_to(REPO)}")
    return cases

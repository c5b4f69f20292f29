"""Run one benchmark workload once and print one ``BENCH_RESULT {json}`` line.

Usage: ``python bench/child.py ours|peer WORKLOAD DATA_DIR``. Runs in both interpreters: "ours" imports
monitorflow, "peer" imports Evidently's legacy API (``evidently.legacy``). DATA_DIR holds
``reference.parquet``, ``current.parquet`` and ``mapping.json`` (ColumnMapping keyword arguments).
Only the standard library and pandas are used here, so it runs under pandas 2 and 3 alike.

Memory: the RSS high-water mark (``VmHWM``) is reset after loading (``/proc/self/clear_refs``), so
``peak_mb`` is the peak during the workload (data and imports included) and ``peak_mb - loaded_mb`` its
increment.

After loading, both sides hand the memory their Parquet readers freed back to the system (Arrow's
pool and glibc's heap, :func:`settle`), so ``loaded_mb`` is the data and modules held, not what
the allocators kept of the reads.

Imports: before the data is loaded, each side runs the same workload once on the first
:data:`WARM_ROWS` rows (the same stattests and code paths as the full run), so the timed run does
no importing and the process holds exactly the modules the workload needs (no list of modules to
pre-import, which would charge one side for modules its run never loads).
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import tempfile
import time
import traceback

#: side -> name -> module that defines it.
API = {
    "ours": {
        "Report": "monitorflow",
        "TestSuite": "monitorflow",
        "ColumnMapping": "monitorflow",
        "metric_preset": "monitorflow.metric_preset",
        "test_preset": "monitorflow.test_preset",
    },
    "peer": {
        "Report": "evidently.legacy.report",
        "TestSuite": "evidently.legacy.test_suite",
        "ColumnMapping": "evidently.legacy.pipeline.column_mapping",
        "metric_preset": "evidently.legacy.metric_preset",
        "test_preset": "evidently.legacy.test_preset",
    },
}

#: Rows of the warm-up run (more than 1,000: the default stattests are those of the full run).
WARM_ROWS = 5_000

#: workload -> (runner class, preset module, preset class).
WORKLOADS = {
    "data_quality": ("Report", "metric_preset", "DataQualityPreset"),
    "data_drift": ("Report", "metric_preset", "DataDriftPreset"),
    "classification": ("Report", "metric_preset", "ClassificationPreset"),
    "regression": ("Report", "metric_preset", "RegressionPreset"),
    "data_stability_tests": ("TestSuite", "test_preset", "DataStabilityTestPreset"),
    "data_quality_tests": ("TestSuite", "test_preset", "DataQualityTestPreset"),
}


def emit(**result) -> None:
    print("BENCH_RESULT " + json.dumps(result, default=str), flush=True)


def rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as f:
        line = next(ln for ln in f if ln.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def max_rss_mb() -> float:
    """This process's peak RSS: ``VmHWM`` (reset by :func:`reset_peak`). Not ``ru_maxrss``: Linux
    starts a child's ``ru_maxrss`` at its parent's peak (the exec'd memory map was the parent's), so
    every run would report at least the bench parent's peak (about 300 MB after writing the data)."""
    try:
        return rss_mb("VmHWM")
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def load_api(side: str, workload: str):
    runner_name, preset_module, preset_name = WORKLOADS[workload]
    api = API[side]
    runner = getattr(importlib.import_module(api[runner_name]), runner_name)
    mapping_cls = importlib.import_module(api["ColumnMapping"]).ColumnMapping
    preset = getattr(importlib.import_module(api[preset_module]), preset_name)
    version = importlib.import_module(api["Report"].split(".")[0]).__version__
    return runner, mapping_cls, preset, version


def settle() -> None:
    """Collect garbage, then return freed memory of Arrow's pool and glibc's heap to the system (the
    same on both sides)."""
    import ctypes
    import ctypes.util
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def warm_up(runner_cls, preset_cls, mapping, data_dir: str) -> None:
    """The workload on the first :data:`WARM_ROWS` rows: imports what the run imports, before timing."""
    import pandas as pd

    sides = {
        name: pd.read_parquet(os.path.join(data_dir, f"{name}.parquet")).head(WARM_ROWS).copy()
        for name in ("reference", "current")
    }
    kind = "metrics" if runner_cls.__name__ == "Report" else "tests"
    runner_cls(**{kind: [preset_cls()]}).run(
        reference_data=sides["reference"], current_data=sides["current"], column_mapping=mapping
    )


def problems(obj) -> str | None:
    """Calculation errors the run kept instead of raising (Evidently: in its context; ours: in
    ``as_dict()["metrics"]`` entries with an ``error``)."""
    inner = getattr(obj, "_inner_suite", None)
    try:
        if inner is not None:
            inner.raise_for_error()
            return None
        failed = [m for m in obj.as_dict().get("metrics", []) if isinstance(m, dict) and m.get("error")]
    except Exception as e:  # noqa: BLE001 - reporting, not handling
        return f"{type(e).__name__}: {e}"[:300]
    return "; ".join(f"{m.get('metric')}: {m['error']}" for m in failed)[:300] or None


def test_counts(obj) -> dict | None:
    """Test statuses from ``as_dict()["summary"]["by_status"]`` when the object offers them."""
    try:
        return dict(obj.as_dict()["summary"]["by_status"])
    except Exception:  # noqa: BLE001 - optional information
        return None


def main(side: str, workload: str, data_dir: str) -> None:
    try:
        runner_cls, mapping_cls, preset_cls, version = load_api(side, workload)
    except (ImportError, AttributeError) as e:
        emit(status="unavailable", error=f"{type(e).__name__}: {e}")
        return
    import pandas as pd

    with open(os.path.join(data_dir, "mapping.json")) as f:
        mapping = mapping_cls(**json.load(f))
    warm_up(runner_cls, preset_cls, mapping, data_dir)
    reference = pd.read_parquet(os.path.join(data_dir, "reference.parquet"))
    current = pd.read_parquet(os.path.join(data_dir, "current.parquet"))
    settle()
    load_peak_mb, loaded_mb, rss_reset = max_rss_mb(), rss_mb(), reset_peak()

    kind = "metrics" if runner_cls.__name__ == "Report" else "tests"
    obj = runner_cls(**{kind: [preset_cls()]})
    with tempfile.TemporaryDirectory(prefix="mf-bench-out-") as out:
        path = os.path.join(out, "snapshot.json")
        t0 = time.perf_counter()
        obj.run(reference_data=reference, current_data=current, column_mapping=mapping)
        t1 = time.perf_counter()
        obj.save(path)
        t2 = time.perf_counter()
        peak_mb, snapshot_bytes = max_rss_mb(), os.path.getsize(path)
    emit(
        status="ok",
        run_s=t1 - t0,
        save_s=t2 - t1,
        total_s=t2 - t0,
        loaded_mb=loaded_mb,
        load_peak_mb=load_peak_mb,
        peak_mb=peak_mb,
        rss_reset=rss_reset,
        snapshot_bytes=snapshot_bytes,
        problems=problems(obj),
        tests=test_counts(obj) if kind == "tests" else None,
        version=version,
        pandas=pd.__version__,
    )


if __name__ == "__main__":
    try:
        main(*sys.argv[1:4])
    except Exception as e:  # noqa: BLE001 - the parent shows the message
        traceback.print_exc()
        emit(status="error", error=f"{type(e).__name__}: {e}"[:500])

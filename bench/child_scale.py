"""One run of ``bench_scale.py`` in a fresh process; prints one ``BENCH_RESULT {json}`` line.

Usage: ``child_scale.py lazy|memory|sql|dask drift|quality DATA_DIR RESULT_JSON [--budget B] [--cache DIR]
[--url URL --reference-sql SQL --current-sql SQL] [--workers N]``.
``lazy`` reads ``DATA_DIR/reference`` and ``DATA_DIR/current`` as ParquetSource; ``memory`` loads
them with pandas first (the in-memory engine); ``sql`` reads two SQLTableSource queries on ``--url``
(push-down: the database profiles); ``dask`` is ``lazy`` with pass A and the sort pass as tasks on a
LocalCluster of ``--workers`` processes. Wall and CPU seconds and the peak RSS are those of this
process (imports and, for ``memory``, the loaded frames included; not a database server's, and for
``dask`` the workers' peak RSS and the bytes of results returned to this process are reported apart).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import traceback
from pathlib import Path

MARKER = "BENCH_RESULT "


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["lazy", "memory", "sql", "dask"])
    parser.add_argument("preset", choices=["drift", "quality"])
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--budget", default=None)
    parser.add_argument("--cache", default=None)
    parser.add_argument("--url", default=None)
    parser.add_argument("--reference-sql", default=None)
    parser.add_argument("--current-sql", default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    wall0, cpu0 = time.perf_counter(), cpu_seconds()
    import pandas as pd

    from monitorflow import ColumnMapping, Report
    from monitorflow.metric_preset import DataDriftPreset, DataQualityPreset

    mapping = ColumnMapping(**json.loads((args.data / "mapping.json").read_text()))
    preset = DataDriftPreset() if args.preset == "drift" else DataQualityPreset()
    if args.mode == "sql":
        from monitorflow.scale.sql import SQLTableSource

        reference = SQLTableSource(args.url, query=args.reference_sql)
        current = SQLTableSource(args.url, query=args.current_sql)
    elif args.mode in ("lazy", "dask"):
        from monitorflow.scale import ParquetSource, configure

        configure(
            **({"memory_budget": args.budget} if args.budget else {}),
            **({"cache_dir": args.cache} if args.cache else {}),
        )
        reference, current = ParquetSource(args.data / "reference"), ParquetSource(args.data / "current")
    else:
        reference, current = pd.read_parquet(args.data / "reference"), pd.read_parquet(args.data / "current")
    loaded = time.perf_counter()
    report = Report(metrics=[preset])
    extra: dict = {}
    if args.mode == "dask":
        import resource as _resource

        from monitorflow.scale.executor import on_dask

        with on_dask(n_workers=args.workers) as executor:
            report.run(reference_data=reference, current_data=current, column_mapping=mapping)
            peaks = executor.client.run(lambda: _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024)
        extra = {
            "bytes_returned": executor.bytes_returned,
            "tasks": executor.submitted,
            "worker_peak_mb": max(peaks.values()),
        }
    else:
        report.run(reference_data=reference, current_data=current, column_mapping=mapping)
    data = report.as_dict()
    data.pop("timestamp", None)
    args.out.write_text(json.dumps(data, default=str))
    ctx = report._context
    timings = {}
    for side in ("current", "reference"):
        lazy = getattr(ctx, side, None)
        for key, value in getattr(lazy, "timings", {}).items():
            timings[f"{side}_{key}"] = round(value, 2)
    sizes = {
        f"{side}_rows": getattr(getattr(ctx, side, None), "rows", 0) for side in ("current", "reference")
    }
    result = {
        **sizes,
        "status": "ok",
        "wall_s": time.perf_counter() - wall0,
        "run_wall_s": time.perf_counter() - loaded,
        "cpu_s": cpu_seconds() - cpu0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "timings": timings,
        "errors": [m["metric"] + ": " + m["error"] for m in data["metrics"] if "error" in m],
        **extra,
    }
    print(MARKER + json.dumps(result), flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # reported to the parent as a status, with the traceback on stderr
        traceback.print_exc()
        print(MARKER + json.dumps({"status": "error", "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        sys.exit(1)

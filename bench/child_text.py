"""Run TextEvals (default descriptors) once and print one ``BENCH_RESULT {json}`` line.

Usage: ``python bench/child_text.py ours|peer DATA_DIR``: "ours" runs monitorflow, "peer" Evidently's
legacy API. DATA_DIR holds ``reference.parquet`` and ``current.parquet`` with a ``review`` column.
Evidently needs NLTK data (``NLTK_DATA``, built by bench_text.py). Times ``run()`` + ``save()``, wall and
CPU seconds, and reports each descriptor's current mean so the parent can check both sides agree.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback

from child import emit, max_rss_mb


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def main(side: str, data_dir: str) -> None:
    import pandas as pd

    if side == "ours":
        import monitorflow as lib
        from monitorflow import Report
        from monitorflow.metric_preset import TextEvals
    else:
        import nltk

        # The data is on NLTK_DATA already; without this, each nltk.download() waits on the network.
        nltk.download = lambda *args, **kwargs: True
        import evidently as lib
        from evidently.legacy.metric_preset import TextEvals
        from evidently.legacy.report import Report
    reference = pd.read_parquet(os.path.join(data_dir, "reference.parquet"))
    current = pd.read_parquet(os.path.join(data_dir, "current.parquet"))
    report = Report(metrics=[TextEvals(column_name="review")])
    with tempfile.TemporaryDirectory(prefix="mf-bench-text-") as out:
        cpu0, t0 = _cpu(), time.perf_counter()
        report.run(reference_data=reference, current_data=current)
        t1 = time.perf_counter()
        report.save(os.path.join(out, "snapshot.json"))
        t2, cpu1 = time.perf_counter(), _cpu()
    means = {}
    for entry in report.as_dict()["metrics"]:
        result = entry.get("result") or {}
        means[str(result.get("column_name"))] = (result.get("current_characteristics") or {}).get("mean")
    emit(
        status="ok",
        run_s=t1 - t0,
        save_s=t2 - t1,
        total_s=t2 - t0,
        cpu_s=cpu1 - cpu0,
        peak_mb=max_rss_mb(),
        means=means,
        version=lib.__version__,
    )


if __name__ == "__main__":
    try:
        main(*sys.argv[1:3])
    except Exception as e:  # noqa: BLE001 - the parent shows the message
        traceback.print_exc()
        emit(status="error", error=f"{type(e).__name__}: {e}"[:500])

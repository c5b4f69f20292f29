"""Child script of the recsys parity test: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> -m tests.metrics.evidently_recsys_child WORKDIR [WORKDIR ...]``. Each WORKDIR
holds ``current.parquet``, optionally ``reference.parquet``, and ``config.json`` = ``{"column_mapping": {...},
"metrics": {"key": {"metric": "PrecisionTopKMetric", "options": {...}}}}``. Runs every listed Evidently legacy
metric in one Report and writes ``result.json``: per key, the curves as ``[[index, value], ...]`` (top-k
metrics) or the scalar fields (the others).
"""

from __future__ import annotations

import math
from pathlib import Path

from evidently.legacy import metrics
from evidently.legacy.pipeline.column_mapping import ColumnMapping

from tests.support.evidently_child_io import main, read_case, run_report


def _number(value):
    value = float(value)
    return None if math.isnan(value) else value


def _curve(series):
    if series is None:
        return None
    return [[int(i), _number(v)] for i, v in series.items()]


def _summary(result) -> dict:
    if hasattr(result, "current_entropy"):
        return {"current_entropy": result.current_entropy, "reference_entropy": result.reference_entropy}
    if hasattr(result, "current_table"):
        return {
            "current_value": _number(result.current_value),
            "reference_value": None if result.reference_value is None else _number(result.reference_value),
            "current_table": {str(k): int(v) for k, v in result.current_table.items()},
        }
    return {"current": _curve(result.current), "reference": _curve(result.reference)}


def case(folder: Path) -> dict:
    config, current, reference = read_case(folder)
    built = {
        key: getattr(metrics, spec["metric"])(**spec.get("options", {}))
        for key, spec in config["metrics"].items()
    }
    run_report(list(built.values()), current, reference, ColumnMapping(**config.get("column_mapping", {})))
    out = {}
    for key, metric in built.items():
        try:
            out[key] = _summary(metric.get_result())
        except Exception as exc:  # reported to the test, which decides whether it matters
            out[key] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


if __name__ == "__main__":
    main(case)

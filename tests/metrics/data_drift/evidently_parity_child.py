"""Child script of the Evidently parity test: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> -m tests.metrics.data_drift.evidently_parity_child WORKDIR [WORKDIR ...]`` (one
process for all scenarios: importing Evidently takes seconds). Each WORKDIR holds ``reference.parquet``,
``current.parquet`` and ``config.json`` = ``{"column_mapping": {...}, "options": {...}}`` (options are keyword
arguments of ``DataDriftTable``). Runs Evidently's legacy ``DataDriftTable`` and writes ``result.json``: the
dataset-level fields and, per column, ``stattest_name``, ``stattest_threshold``, ``drift_score``,
``drift_detected`` and ``column_type``.
"""

from __future__ import annotations

from pathlib import Path

from evidently.legacy.metrics import DataDriftTable
from evidently.legacy.pipeline.column_mapping import ColumnMapping

from tests.support.evidently_child_io import main, read_case, run_report


def case(folder: Path) -> dict:
    config, current, reference = read_case(folder)
    metric = DataDriftTable(**config.get("options", {}))
    run_report([metric], current, reference, ColumnMapping(**config["column_mapping"]))
    result = metric.get_result()
    return {
        "number_of_columns": result.number_of_columns,
        "number_of_drifted_columns": result.number_of_drifted_columns,
        "share_of_drifted_columns": result.share_of_drifted_columns,
        "dataset_drift": result.dataset_drift,
        "columns": {
            str(name): {
                "column_type": str(getattr(col.column_type, "value", col.column_type)),
                "stattest_name": col.stattest_name,
                "stattest_threshold": col.stattest_threshold,
                "drift_score": float(col.drift_score),
                "drift_detected": bool(col.drift_detected),
            }
            for name, col in result.drift_by_columns.items()
        },
    }


if __name__ == "__main__":
    main(case)

"""Child script of the Evidently parity test: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> evidently_parity_child.py WORKDIR [WORKDIR ...]`` (one process for all
scenarios: importing Evidently takes seconds). Each WORKDIR holds ``reference.parquet``,
``current.parquet`` and ``config.json`` = ``{"column_mapping": {...}, "options": {...}}`` (options are
keyword arguments of ``DataDriftTable``). Runs Evidently's legacy ``DataDriftTable`` and writes
``result.json``: the dataset-level fields and, per column, ``stattest_name``, ``stattest_threshold``,
``drift_score``, ``drift_detected`` and ``column_type``.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pandas as pd
from evidently.legacy.metrics import DataDriftTable
from evidently.legacy.pipeline.column_mapping import ColumnMapping
from evidently.legacy.report import Report


def main(workdir: Path) -> None:
    config = json.loads((workdir / "config.json").read_text())
    reference = pd.read_parquet(workdir / "reference.parquet")
    current = pd.read_parquet(workdir / "current.parquet")
    metric = DataDriftTable(**config.get("options", {}))
    report = Report(metrics=[metric])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.run(
            reference_data=reference,
            current_data=current,
            column_mapping=ColumnMapping(**config["column_mapping"]),
        )
    result = metric.get_result()
    out = {
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
    (workdir / "result.json").write_text(json.dumps(out))


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        main(Path(arg))

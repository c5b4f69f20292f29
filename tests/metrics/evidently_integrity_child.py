"""Child script of the regexp/stability parity test: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> evidently_integrity_child.py WORKDIR [WORKDIR ...]``. Each WORKDIR holds
``current.parquet``, optionally ``reference.parquet``, and ``config.json`` =
``{"metric": "ColumnRegExpMetric" | "DataQualityStabilityMetric", "options": {...}, "column_mapping": {...}}``.
Runs that Evidently legacy metric and writes its result's ``dict()`` to ``result.json``.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pandas as pd
from evidently.legacy import metrics
from evidently.legacy.pipeline.column_mapping import ColumnMapping
from evidently.legacy.report import Report


def main(workdir: Path) -> None:
    config = json.loads((workdir / "config.json").read_text())
    current = pd.read_parquet(workdir / "current.parquet")
    reference_path = workdir / "reference.parquet"
    reference = pd.read_parquet(reference_path) if reference_path.exists() else None
    metric = getattr(metrics, config["metric"])(**config.get("options", {}))
    report = Report(metrics=[metric])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.run(
            reference_data=reference,
            current_data=current,
            column_mapping=ColumnMapping(**config.get("column_mapping", {})),
        )
    result = json.loads(metric.get_result().json())
    (workdir / "result.json").write_text(json.dumps(result))


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        main(Path(arg))

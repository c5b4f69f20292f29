"""Child script of the regexp/stability parity test: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> evidently_integrity_child.py WORKDIR [WORKDIR ...]``; each WORKDIR is a case
(``tests/evidently_parity.py``) whose ``config.json`` =
``{"metric": "ColumnRegExpMetric" | "DataQualityStabilityMetric", "options": {...}, "column_mapping": {...}}``.
Runs that Evidently legacy metric and writes its result's ``dict()`` to ``result.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evidently.legacy import metrics  # noqa: E402
from evidently.legacy.pipeline.column_mapping import ColumnMapping  # noqa: E402

from evidently_child_io import main, read_case, run_report  # noqa: E402


def case(folder: Path) -> dict:
    config, current, reference = read_case(folder)
    metric = getattr(metrics, config["metric"])(**config.get("options", {}))
    run_report([metric], current, reference, ColumnMapping(**config.get("column_mapping", {})))
    return json.loads(metric.get_result().json())


if __name__ == "__main__":
    main(case)

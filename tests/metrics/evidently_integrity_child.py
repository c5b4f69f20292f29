"""Child script of the regexp/stability parity test: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> -m tests.metrics.evidently_integrity_child WORKDIR [WORKDIR ...]``; each WORKDIR
is a case (``tests/support/evidently_parity.py``) whose ``config.json`` = ``{"metric": "ColumnRegExpMetric" |
"DataQualityStabilityMetric", "options": {...}, "column_mapping": {...}}``. Runs that Evidently legacy metric
and writes its result's ``dict()`` to ``result.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from evidently.legacy import metrics
from evidently.legacy.pipeline.column_mapping import ColumnMapping

from tests.support.evidently_child_io import main, read_case, run_report


def case(folder: Path) -> dict:
    config, current, reference = read_case(folder)
    metric = getattr(metrics, config["metric"])(**config.get("options", {}))
    run_report([metric], current, reference, ColumnMapping(**config.get("column_mapping", {})))
    return json.loads(metric.get_result().json())


if __name__ == "__main__":
    main(case)

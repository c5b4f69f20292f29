"""Child script of the text parity test: runs in Evidently's interpreter, never in ours.

Each case folder holds ``current.parquet`` and ``config.json`` = ``{"descriptors": [{"type", "params",
"column"}]}``. Runs Evidently's legacy Report with one ColumnSummaryMetric per descriptor and writes
``result.json``: every descriptor column of ``report.datasets()`` (by display name), value per row.
NLTK data must be on ``NLTK_DATA``; its downloads are switched off (they would wait on the network).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import nltk

nltk.download = lambda *args, **kwargs: True

from evidently.legacy import descriptors  # noqa: E402
from evidently.legacy.metrics import ColumnSummaryMetric  # noqa: E402
from evidently.legacy.report import Report  # noqa: E402

from tests.support.evidently_child_io import main, read_case  # noqa: E402

TYPES = {"int": int, "str": str, "float": float, "bool": bool, "list": list, "dict": dict}


def plain(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def case(folder: Path) -> dict:
    config, current, _ = read_case(folder)
    columns = []
    for spec in config["descriptors"]:
        params = dict(spec["params"])
        if "expected_schema" in params:
            params["expected_schema"] = {k: TYPES[v] for k, v in params["expected_schema"].items()}
        columns.append(getattr(descriptors, spec["type"])(**params).on(spec["column"]))
    report = Report(metrics=[ColumnSummaryMetric(column_name=c) for c in columns])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.run(reference_data=None, current_data=current)
    frame = report.datasets().current
    names = [c.display_name for c in columns]
    return {name: [plain(v) for v in frame[name].tolist()] for name in names}


if __name__ == "__main__":
    main(case)

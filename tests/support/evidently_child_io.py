"""What every parity child script does in Evidently's interpreter (only the standard library and pandas
here: it is imported there, never by our tests).

A child reads each case folder that ``evidently_parity.write_case`` wrote, runs an Evidently legacy
Report on it with warnings silenced, and writes what its test compares to ``result.json``.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def read_case(folder: Path) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame | None]:
    """The case's config, current frame and reference frame (None when absent)."""
    reference = folder / "reference.parquet"
    return (
        json.loads((folder / "config.json").read_text()),
        pd.read_parquet(folder / "current.parquet"),
        pd.read_parquet(reference) if reference.exists() else None,
    )


def run_report(
    metrics: list[Any], current: pd.DataFrame, reference: pd.DataFrame | None, mapping: Any
) -> None:
    """Run Evidently's legacy Report of ``metrics`` (its warnings are not ours to judge)."""
    from evidently.legacy.report import Report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Report(metrics=metrics).run(reference_data=reference, current_data=current, column_mapping=mapping)


def main(case: Callable[[Path], dict[str, Any]]) -> None:
    """Apply ``case`` to every folder named on the command line and write its ``result.json``."""
    for arg in sys.argv[1:]:
        folder = Path(arg)
        (folder / "result.json").write_text(json.dumps(case(folder)))

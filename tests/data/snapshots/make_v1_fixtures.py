"""Write the schema-version-1 snapshot fixtures (run once; the JSON files are committed).

    python tests/data/snapshots/make_v1_fixtures.py

The fixtures freeze what version 1 snapshots look like: later versions must keep loading them
(tests/test_snapshot_files.py). Do not regenerate them after a schema change; add v2 files instead.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import TestColumnValueMean, TestNumberOfRows
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import (
    ColumnCategoryMetric,
    ColumnMissingValuesMetric,
    ColumnQuantileMetric,
    ColumnValueListMetric,
    ColumnValueRangeMetric,
)
from monitorflow.snapshot import SCHEMA_VERSION
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset

HERE = Path(__file__).parent
TIMESTAMP = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
CREATED_AT = datetime(2026, 1, 2, 8, 30, tzinfo=UTC)
REPORT_ID = uuid.UUID("01941f29-7c00-7000-8000-000000000001")
SUITE_ID = uuid.UUID("01941f29-7c00-7000-8000-000000000002")


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """current: 50 rows, reference: 40 rows; simple values whose statistics are known by hand."""
    current = pd.DataFrame(
        {
            "age": [np.nan, *range(1, 50)],  # 1..49: mean 25, one missing
            "plan": ["basic", "pro"] * 24 + ["", "enterprise"],
            7: [0, 1, 2, 0, 1] * 10,
            "empty": [np.nan] * 50,
            "when": pd.date_range("2025-12-01", periods=50, freq="h"),
        }
    )
    reference = pd.DataFrame(
        {
            "age": np.arange(40, dtype="float64"),  # 0..39: mean 19.5
            "plan": ["basic", "pro"] * 20,
            7: [0, 1, 2, 0] * 10,
            "empty": [np.nan] * 40,
            "when": pd.date_range("2025-11-01", periods=40, freq="h"),
        }
    )
    return current, reference


def main() -> None:
    assert SCHEMA_VERSION == 1, "these are the version 1 fixtures; add new files for a new version"
    current, reference = frames()
    mapping = ColumnMapping(datetime_features=["when"])
    report = Report(
        metrics=[
            DataQualityPreset(),
            ColumnValueRangeMetric(column_name="age"),
            ColumnValueListMetric(column_name="plan"),
            ColumnQuantileMetric(column_name="age", quantile=0.5),
            ColumnCategoryMetric(column_name=7, category=2),
            ColumnMissingValuesMetric(column_name="plan"),
        ],
        tags=["groupA", "shadow"],
        metadata={"deployment": "shadow"},
        model_id="churn-v3",
        reference_id="ref-2025-11",
        batch_size="daily",
        dataset_id="customers",
    )
    report.run(reference_data=reference, current_data=current, column_mapping=mapping, timestamp=TIMESTAMP)
    snap = report.to_snapshot().model_copy(update={"id": REPORT_ID, "created_at": CREATED_AT})
    snap.save(HERE / "v1_report.json")

    suite = TestSuite(
        tests=[
            DataStabilityTestPreset(),
            DataQualityTestPreset(),
            TestNumberOfRows(gte=10),
            TestColumnValueMean(column_name="age", lt=20, is_critical=False),
            TestColumnValueMean(column_name="absent", lt=20),
        ],
        tags=["nightly"],
        model_id="churn-v3",
    )
    suite.run(reference_data=reference, current_data=current, column_mapping=mapping, timestamp=TIMESTAMP)
    snap = suite.to_snapshot().model_copy(update={"id": SUITE_ID, "created_at": CREATED_AT})
    snap.save(HERE / "v1_test_suite.json")


if __name__ == "__main__":
    main()

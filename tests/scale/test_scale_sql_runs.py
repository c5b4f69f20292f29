"""Reports and test suites on SQL sources equal the in-memory run on the same rows (1e-9 relative).

The database computes pass A (profiles, counts) and streams sorted columns for order statistics;
the in-memory run gets the rows through ``pd.read_sql`` in ``id`` order.
"""

from __future__ import annotations

import pytest

from monitorflow import Report, TestSuite
from monitorflow.metric_preset import DataDriftPreset, DataQualityPreset
from monitorflow.scale.sql import SQLTableSource
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset

from .sql_tables import mixed_columns, read_back, write_table
from .test_scale_parity import assert_same
from .test_scale_sql import db_url  # noqa: F401 - the fixture

pytest.importorskip("sqlalchemy")


def run_both(url: str, make):
    reference, current = read_back(url, "reference"), read_back(url, "current")
    in_memory = make()
    in_memory.run(reference_data=reference, current_data=current)
    pushed = make()
    pushed.run(
        reference_data=SQLTableSource(url, table="reference", order_by="id"),
        current_data=SQLTableSource(url, query="SELECT * FROM current", order_by="id"),
    )
    expected, got = in_memory.as_dict(), pushed.as_dict()
    expected.pop("timestamp", None), got.pop("timestamp", None)
    return expected, got


@pytest.fixture
def tables(db_url):  # noqa: F811
    write_table(db_url, "reference", mixed_columns(1500, seed=1))
    current = mixed_columns(1200, seed=2)
    current["x"] = ("float", [None if v is None else v * 1.5 + 1 for v in current["x"][1]])  # drifted
    write_table(db_url, "current", current)
    return db_url


def test_drift_and_quality_presets_equal_the_in_memory_run(tables):
    expected, got = run_both(tables, lambda: Report(metrics=[DataDriftPreset(), DataQualityPreset()]))
    assert_same(expected, got)
    drift = next(m for m in got["metrics"] if m["metric"] == "DataDriftTable")["result"]
    assert drift["drift_by_columns"]["x"]["drift_detected"] is True


def test_stability_and_quality_test_presets_equal_the_in_memory_run(tables):
    expected, got = run_both(
        tables, lambda: TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()])
    )
    assert_same(expected, got)


def test_an_empty_window_is_refused_as_empty_data(tables):
    from monitorflow.errors import EmptyDataError

    report = Report(metrics=[DataDriftPreset()])
    with pytest.raises(EmptyDataError, match="current_data"):
        report.run(
            reference_data=SQLTableSource(tables, table="reference"),
            current_data=SQLTableSource(tables, table="current", filters={"segment": "nowhere"}),
        )

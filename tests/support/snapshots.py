"""Snapshots built by hand, shaped like real ones, for the workspace, index and service tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def build_snapshot(
    i: int = 0,
    *,
    timestamp: Any = None,
    tags: list[str] | None = None,
    metadata: dict[str, Any] | None = None,
    kind: str = "report",
    rows: int = 100,
    drift: float = 0.1,
    snapshot_id: Any = None,
) -> Any:
    """A small snapshot with results shaped like real ones (DatasetSummaryMetric, ColumnDriftMetric
    on 'age' and 'income', DataDriftTable; plus two tests for a test suite). ``i`` sets the time."""

    from monitorflow.metrics import ColumnDriftMetric, DataDriftTable, DatasetSummaryMetric
    from monitorflow.snapshot import Snapshot, TestSummary

    drifted = drift > 0.5
    metrics = [
        entry(
            DatasetSummaryMetric(),
            {
                "current": {"number_of_rows": rows, "number_of_columns": 3, "number_of_missing_values": None},
                "almost_constant_threshold": 0.95,
            },
        ),
        entry(
            ColumnDriftMetric(column_name="age"),
            {
                "column_name": "age",
                "drift_score": drift,
                "drift_detected": drifted,
                "distribution": {"edges": [0.0, 1.0, 2.0], "counts": [1, 2]},
            },
        ),
        entry(
            ColumnDriftMetric(column_name="income"),
            {"column_name": "income", "drift_score": drift / 2, "drift_detected": False},
        ),
        entry(
            DataDriftTable(),
            {
                "number_of_drifted_columns": int(drifted),
                "dataset_drift": drifted,
                "drift_by_columns": {"age": {"drift_score": drift, "drift_detected": drifted}},
            },
        ),
    ]
    tests = example_tests(rows, drift) if kind == "test_suite" else []
    return Snapshot(
        **({"id": snapshot_id} if snapshot_id is not None else {}),
        kind=kind,
        timestamp=timestamp or datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=i),
        tags=list(tags or []),
        metadata=dict(metadata or {}),
        metrics=metrics,
        top_level_metrics=[m.id for m in metrics],
        tests=tests,
        summary=TestSummary.of(tests) if tests else None,
    )


def entry(metric: Any, result: dict[str, Any]) -> Any:
    """The snapshot entry of ``metric`` with a hand-made ``result``."""
    from monitorflow.snapshot import MetricEntry

    return MetricEntry(id=metric.fingerprint, type=metric.type_name, params=metric.params(), result=result)


def example_tests(rows: int, drift: float) -> list[Any]:
    """Two test results: TestNumberOfRows (passes) and TestColumnDrift on 'age' (fails above 0.5)."""
    from monitorflow.checks.base import TestResult, TestStatus

    return [
        TestResult(
            id="t-rows",
            type="TestNumberOfRows",
            name="Number of Rows",
            description="rows",
            status=TestStatus.SUCCESS,
            group="data quality",
            parameters={"gte": 2, "value": rows},
        ),
        TestResult(
            id="t-drift-age",
            type="TestColumnDrift",
            name="Drift per Column",
            description="drift",
            status=TestStatus.FAIL if drift > 0.5 else TestStatus.SUCCESS,
            group="data drift",
            parameters={"column_name": "age", "drift_score": drift},
        ),
    ]

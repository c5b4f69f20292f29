"""TestSuite: checks conditions on metrics of one batch; each test ends SUCCESS, FAIL, WARNING, ERROR or SKIPPED.

>>> import pandas as pd
>>> from monitorflow.checks import TestNumberOfRows
>>> suite = TestSuite(tests=[TestNumberOfRows(gte=2)])
>>> suite.run(current_data=pd.DataFrame({"a": [1, 2, 3]}))
>>> suite.as_dict()["summary"]["all_passed"]
True
"""

from __future__ import annotations

from typing import Any, Self

from monitorflow._suite import Suite
from monitorflow._types import derived_columns_in
from monitorflow.checks.base import Test, TestPreset, TestResult
from monitorflow.column_mapping import ColumnMapping
from monitorflow.context import RunContext
from monitorflow.errors import ConfigurationError, MonitoringError
from monitorflow.metrics.base import MetricResult
from monitorflow.report import _unique
from monitorflow.snapshot import MetricEntry, Snapshot, TestSummary


class TestSuite(Suite):
    """Tests (and test presets) evaluated on one batch of data."""

    __test__ = False
    kind = "test_suite"

    def __init__(self, tests: list[Test | TestPreset], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for item in tests:
            if not isinstance(item, Test | TestPreset):
                raise ConfigurationError(
                    f"TestSuite tests must be tests or test presets, got {item!r}; "
                    "e.g. TestSuite(tests=[DataStabilityTestPreset()])",
                    argument="tests",
                )
        self.tests = list(tests)
        self._test_results: list[TestResult] = []
        self._metric_entries: list[MetricEntry] = []

    def run(
        self,
        *,
        reference_data: Any = None,
        current_data: Any = None,
        column_mapping: ColumnMapping | None = None,
        timestamp: Any = None,
    ) -> None:
        """Run every test once (duplicates from overlapping presets run once)."""
        ctx = self._prepare(reference_data, current_data, column_mapping, timestamp)
        presets = [t for t in self.tests if isinstance(t, TestPreset)]
        if presets:
            self.metadata["test_presets"] = [p.type_name for p in presets]
        expanded: list[Test] = []
        for item in self.tests:
            expanded.extend(item.generate_tests(ctx.definition) if isinstance(item, TestPreset) else [item])
        tests = _unique(expanded)
        ctx.derive_all(derived_columns_in(tests))
        try:
            self._test_results = [_run_test(ctx, test) for test in tests]
        finally:
            ctx.close()
        self.data_definition = ctx.definition  # with the derived (descriptor) columns
        self._metric_entries = [
            MetricEntry(
                id=key, type=metric.type_name, params=metric.params(), result=result.model_dump(mode="json")
            )
            for key, (metric, result) in ctx.computed_metrics().items()
        ]

    @property
    def results(self) -> list[TestResult]:
        self._require_run()
        return list(self._test_results)

    def summary(self) -> TestSummary:
        return TestSummary.of(self.results)

    def __bool__(self) -> bool:
        return self.summary().all_passed

    def as_dict(self) -> dict[str, Any]:
        """``{"tests": [{name, description, status, group, parameters}], "summary": {...}}``."""
        tests = [
            r.model_dump(mode="json", include={"name", "description", "status", "group", "parameters"})
            for r in self.results
        ]
        return {"tests": tests, "summary": self.summary().model_dump(mode="json")}

    def _json_dict(self) -> dict[str, Any]:
        return self.as_dict()

    def _snapshot_body(self) -> dict[str, Any]:
        return {"tests": self.results, "summary": self.summary(), "metrics": self._metric_entries}

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> Self:
        if snapshot.is_report:
            raise MonitoringError(f"snapshot {snapshot.id} is a report; load it with Report.load")
        suite = cls(tests=[])
        suite._test_results = list(snapshot.tests)
        suite._metric_entries = list(snapshot.metrics)
        suite._restore_common(snapshot)
        return suite


__all__ = ["MetricResult", "TestSuite"]


def _run_test(ctx: RunContext, test: Test) -> TestResult:
    with ctx.computing(test.type_name):
        return test.run(ctx)

"""TestSuite: checks conditions on metrics of one batch; each test ends SUCCESS, FAIL, WARNING, ERROR or
SKIPPED.

>>> import pandas as pd
>>> from monitorflow.checks import TestNumberOfRows
>>> suite = TestSuite(tests=[TestNumberOfRows(gte=2)])
>>> suite.run(current_data=pd.DataFrame({"a": [1, 2, 3]}))
>>> suite.as_dict()["summary"]["all_passed"]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from monitorflow._suite import Suite
from monitorflow._types import derived_columns_in
from monitorflow.checks.base import Test, TestPreset, TestResult, test_entry
from monitorflow.context import RunContext
from monitorflow.core import select
from monitorflow.errors import ConfigurationError, MonitoringError
from monitorflow.metrics.base import MetricResult, metric_class
from monitorflow.report import _unique, metric_entry
from monitorflow.snapshot import MetricEntry, Snapshot, TestSummary
from monitorflow.utils.generators import BaseGenerator

#: The kinds of items of ``TestSuite(tests=...)``, in the order their tests are listed.
PLAIN, PRESET, GENERATOR = 0, 1, 2


def _kind(item: Test | TestPreset | BaseGenerator) -> int:
    if isinstance(item, BaseGenerator) or (isinstance(item, TestPreset) and item.generator):
        return GENERATOR
    return PRESET if isinstance(item, TestPreset) else PLAIN


class TestSuite(Suite):
    """Tests (and test presets) evaluated on one batch of data."""

    __test__ = False
    kind = "test_suite"

    def __init__(
        self,
        tests: Sequence[Test | TestPreset | BaseGenerator],
        options: Any = None,
        timestamp: Any = None,
        id: Any = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            options=options, timestamp=timestamp, id=id, metadata=metadata, tags=tags, name=name, **kwargs
        )
        for item in tests:
            if not isinstance(item, Test | TestPreset | BaseGenerator):
                raise ConfigurationError(
                    f"TestSuite tests must be tests or test presets, got {item!r}; "
                    "e.g. TestSuite(tests=[DataStabilityTestPreset()])",
                    argument="tests",
                )
        self.tests = list(tests)
        self._tests: list[Test] = []
        self._test_results: list[TestResult] = []
        self._metric_entries: list[MetricEntry] = []
        self._metric_pairs: list[tuple[Any, Any]] = []

    def _compute(self, ctx: RunContext) -> None:
        """Run every test once (duplicates from overlapping presets run once)."""
        for key in ("test_presets", "test_generators"):  # set anew by each run
            self.metadata.pop(key, None)
        for item in self.tests:  # listed as Evidently lists them (keys in order of first appearance)
            if (kind := _kind(item)) != PLAIN:
                key = "test_presets" if kind == PRESET else "test_generators"
                self.metadata.setdefault(key, []).append(item.type_name)
        expanded: list[Test] = []
        for item in sorted(self.tests, key=_kind):  # Evidently's order: plain tests, presets, generators
            if isinstance(item, TestPreset):
                expanded.extend(item.generate_tests(ctx.definition))
            elif isinstance(item, BaseGenerator):
                expanded.extend(item.generate(ctx.definition))
            else:
                expanded.append(item)
        self._tests = _unique(expanded)
        ctx.derive_all(derived_columns_in(self._tests))
        try:
            self._test_results = [_run_test(ctx, test) for test in self._tests]
        finally:
            ctx.close()
        self.data_definition = ctx.definition  # with the derived (descriptor) columns
        self._metric_pairs = list(ctx.computed_metrics().values())
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

    def as_dict(
        self,
        include_metrics: bool = False,
        include_render: bool = False,
        include: Any = None,
        exclude: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """``{"tests": [{name, description, status, group, parameters}], "summary": {...}}``.

        ``include`` / ``exclude`` map a test (or, with ``include_metrics``, a metric) class name to the
        fields to keep or drop; ``include_metrics=True`` adds ``metric_results``, the results of the
        metrics the tests used, as ``Report.as_dict()`` gives them.
        """
        include, exclude = include or {}, exclude or {}
        tests = []
        for result in self.results:
            entry = test_entry(self._test_of(result), result)
            tests.append(select(entry, include.get(result.type), exclude.get(result.type)))
        content: dict[str, Any] = {"tests": tests, "summary": evidently_summary(self.results)}
        if include_metrics:
            content["metric_results"] = [
                metric_entry(m, r, include_render, include.get(m.type_name), exclude.get(m.type_name))
                for m, r in self._metrics_with_results()
            ]
        return content

    def _test_of(self, result: TestResult) -> Test | None:
        return next((t for t in self._tests if t.fingerprint == result.id), None)

    def _metrics_with_results(self) -> list[tuple[Any, Any]]:
        if self._metric_pairs:
            return self._metric_pairs
        pairs = []
        for entry in self._metric_entries:
            if entry.result is None:
                continue
            cls = metric_class(entry.type)
            pairs.append((cls(**entry.params), cls.result_type.model_validate(entry.result)))
        return pairs

    def _snapshot_body(self) -> dict[str, Any]:
        return {"tests": self.results, "summary": self.summary(), "metrics": self._metric_entries}

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> Self:
        if snapshot.is_report:
            raise MonitoringError(f"snapshot {snapshot.id} is a report; load it with Report.load")
        suite = cls(tests=[])
        suite._tests = []
        suite._test_results = list(snapshot.tests)
        suite._metric_entries = list(snapshot.metrics)
        suite._restore_common(snapshot)
        return suite


def evidently_summary(results: list[TestResult]) -> dict[str, Any]:
    """The ``summary`` of Evidently's ``as_dict()``: a WARNING counts as a success (SKIPPED too, here:
    Evidently has no skipped tests), ERROR as neither."""
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    passed = ("SUCCESS", "WARNING", "SKIPPED")
    return {
        "all_passed": all(r.status.value in passed for r in results),
        "total_tests": len(results),
        "success_tests": sum(counts.get(s, 0) for s in passed),
        "failed_tests": counts.get("FAIL", 0),
        "by_status": counts,
    }


__all__ = ["MetricResult", "TestSuite"]


def _run_test(ctx: RunContext, test: Test) -> TestResult:
    with ctx.computing(test.type_name):
        return test.run(ctx)

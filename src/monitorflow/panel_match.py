"""Panel selectors applied to a Report or TestSuite in memory, as Evidently's dashboard classes do.

The service selects from the index (``monitorflow.panel_data``); these are the same rules on live objects,
behind ``ReportFilter.filter``, ``PanelValue.metric_matched`` / ``get`` and ``TestFilter.test_matched`` /
``get``: a fingerprint, when given, decides alone; otherwise the class name (when given) and every
argument (dotted into the object) must be equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from monitorflow.records import TestStatus

if TYPE_CHECKING:
    from monitorflow.panels import PanelValue, ReportFilter, TestFilter

_MISSING = object()


class TestInfo(NamedTuple):
    """A matched test's outcome in one test suite (Evidently's ``TestInfo``)."""

    snapshot_id: Any
    status: TestStatus
    description: str


def getattr_nested(obj: Any, path: list[str]) -> Any:
    """``obj.a.b``, reading a key of a dict where there is one; AttributeError when a step is absent."""
    for step in path:
        value = obj.get(step, _MISSING) if isinstance(obj, dict) else getattr(obj, step, _MISSING)
        if value is _MISSING:
            raise AttributeError(f"{type(obj).__name__} has no {step!r}")
        obj = value
    return obj


def _matched(item: Any, type_name: str | None, fingerprint: str | None, args: dict[str, Any]) -> bool:
    if fingerprint is not None:
        return bool(item.get_fingerprint() == fingerprint)
    if type_name is not None and type_name != item.get_id():
        return False
    try:
        return all(getattr_nested(item, name.split(".")) == value for name, value in args.items())
    except AttributeError:
        return False


def report_matches(selector: ReportFilter, report: Any) -> bool:
    from monitorflow.test_suite import TestSuite  # lazy: the engine, only for a run suite

    if not selector.include_test_suites and isinstance(report, TestSuite):
        return False
    metadata_equal = all(report.metadata.get(k) == v for k, v in selector.metadata_values.items())
    return metadata_equal and all(tag in report.tags for tag in selector.tag_values)


def metric_matches(value: PanelValue, metric: Any) -> bool:
    return _matched(metric, value.metric_id, value.metric_fingerprint, value.metric_args)


def metric_values(value: PanelValue, report: Any) -> dict[Any, Any]:
    """The field at ``value.field_path`` of each matched metric's result (a metric without it is left out)."""
    from monitorflow.test_suite import TestSuite  # lazy: the engine, only for a run suite

    pairs = report._metrics_with_results() if isinstance(report, TestSuite) else report._pairs()
    found = {}
    for metric, result in pairs:
        if isinstance(result, Exception) or not metric_matches(value, metric):
            continue
        try:
            found[metric] = getattr_nested(result, value.field_path.split("."))
        except AttributeError:
            continue
    return found


def test_matches(selector: TestFilter, test: Any) -> bool:
    return _matched(test, selector.test_id, selector.test_fingerprint, selector.test_args)


def test_infos(selector: TestFilter, suite: Any) -> dict[Any, TestInfo]:
    """Each matched test of ``suite`` with its status and description."""
    suite._require_run()
    return {
        test: TestInfo(suite.id, result.status, result.description)
        for test, result in zip(suite._tests, suite._test_results, strict=True)
        if test_matches(selector, test)
    }

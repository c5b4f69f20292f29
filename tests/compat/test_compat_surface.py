"""The audit in docs/evidently-compat.md is the audit of the code as it is (regenerate it with
``python -m tests.compat.compat_surface``), and the import paths Evidently users hit first are there."""

from __future__ import annotations

import importlib

import pytest

from tests.compat.compat_surface import DOC, SURFACE, audit, render

#: Paths on the first line of most Evidently 0.4 scripts (sample notebooks, how-to guides, Workspace demos).
FIRST_LINES = {
    "report": ["Report"],
    "test_suite": ["TestSuite"],
    "metric_preset": ["DataDriftPreset", "DataQualityPreset", "RegressionPreset", "ClassificationPreset"],
    "test_preset": ["DataDriftTestPreset", "DataStabilityTestPreset", "NoTargetPerformanceTestPreset"],
    "pipeline.column_mapping": ["ColumnMapping", "TaskType"],
    "metrics.base_metric": ["generate_column_metrics", "Metric", "InputData"],
    "tests.base_test": ["generate_column_tests", "TestResult", "TestStatus"],
    "ui.workspace": ["Workspace", "WorkspaceBase"],
    "ui.dashboards": ["DashboardPanelPlot", "PanelValue", "ReportFilter", "CounterAgg"],
    "renderers.html_widgets": ["WidgetSize"],
    "calculations.stattests": ["StatTest"],
    "options": ["ColorOptions"],
    "report.report": ["Report"],
    "test_suite.test_suite": ["TestSuite"],
    "metrics.data_drift.column_drift_metric": ["ColumnDriftMetric"],
    "metrics.data_integrity.column_summary_metric": ["ColumnSummaryMetric", "NumericCharacteristics"],
    "metrics.regression_performance.regression_quality": ["RegressionQualityMetric"],
    "metrics.classification_performance.classification_quality_metric": ["ClassificationQualityMetric"],
    "tests.data_drift_tests": ["TestColumnDrift", "TestShareOfDriftedColumns"],
    "tests.data_quality_tests": ["TestColumnValueMean", "TestValueList"],
    "metric_preset.target_drift": ["TargetDriftPreset"],
    "test_preset.data_stability": ["DataStabilityTestPreset"],
    "metric_results": ["Distribution", "ConfusionMatrix"],
    "descriptors.text_length_descriptor": ["TextLength"],
}


def test_the_audit_document_is_current():
    import json

    surface = json.loads(SURFACE.read_text())
    expected = render(audit(surface), surface["evidently"]) + "\n"
    assert DOC.read_text() == expected, (
        "docs/evidently-compat.md is stale: run python -m tests.compat.compat_surface"
    )


@pytest.mark.parametrize("path", sorted(FIRST_LINES))
def test_first_line_imports_work(path):
    module = importlib.import_module(f"monitorflow.{path}")
    for name in FIRST_LINES[path]:
        assert hasattr(module, name), f"monitorflow.{path} has no {name}"

"""Presets expand to Evidently's composition (evidently-facts §3.2 and §4.3)."""

from __future__ import annotations

import importlib.util

import pytest

from monitorflow import ColumnMapping, TestSuite
from monitorflow.column_mapping import build_definition
from monitorflow.errors import ConfigurationError
from monitorflow.metric_preset.classification import ClassificationPreset
from monitorflow.metric_preset.regression import RegressionPreset
from monitorflow.test_preset.classification import (
    BinaryClassificationTestPreset,
    BinaryClassificationTopKTestPreset,
    MulticlassClassificationTestPreset,
)
from monitorflow.test_preset.regression import RegressionTestPreset
from tests.metrics.mq_helpers import binary_frame, multiclass_frame, regression_frame, run_report

DRIFT_AVAILABLE = importlib.util.find_spec("monitorflow.checks.data_drift") is not None


def definition(current, reference=None, **mapping):
    return build_definition(ColumnMapping(**mapping), current, reference)[0]


def names(items) -> list[str]:
    return [item.type_name for item in items]


def drift(column: str) -> list[str]:
    return ["TestColumnDrift"] if DRIFT_AVAILABLE else []


def test_classification_preset_with_probabilities():
    frame = binary_frame()[["target", "proba", "num", "cat"]]
    metrics = ClassificationPreset(columns=["num"]).generate_metrics(definition(frame, prediction="proba"))
    assert names(metrics) == [
        "ClassificationQualityMetric",
        "ClassificationClassBalance",
        "ClassificationConfusionMatrix",
        "ClassificationQualityByClass",
        "ClassificationClassSeparationPlot",
        "ClassificationProbDistribution",
        "ClassificationRocCurve",
        "ClassificationPRCurve",
        "ClassificationPRTable",
        "ClassificationQualityByFeatureTable",
    ]
    assert metrics[-1].columns == ["num"]


def test_classification_preset_with_labels_has_no_curves_and_passes_threshold():
    frame = binary_frame()[["target", "label_pred", "num"]]
    metrics = ClassificationPreset().generate_metrics(definition(frame, prediction="label_pred"))
    assert "ClassificationRocCurve" not in names(metrics) and len(metrics) == 5
    with_k = ClassificationPreset(k=5).generate_metrics(definition(binary_frame(), prediction="proba"))
    assert [m.k for m in with_k[:4] if hasattr(m, "k")] == [5, 5, 5]
    with pytest.raises(ConfigurationError):
        ClassificationPreset(probas_threshold=0.3, k=5)


def test_classification_preset_report_runs_every_metric():
    reference, labels = multiclass_frame(seed=1)
    current, _ = multiclass_frame(seed=2)
    report = run_report([ClassificationPreset()], current, reference, prediction=labels)
    entries = report.as_dict()["metrics"]
    assert all("result" in e for e in entries), [e.get("error") for e in entries]
    assert report.metadata["metric_presets"] == ["ClassificationPreset"]


def test_regression_preset_composition_and_run():
    frame = regression_frame()
    metrics = RegressionPreset(columns=["num"]).generate_metrics(definition(frame))
    assert names(metrics) == [
        "RegressionQualityMetric",
        "RegressionPredictedVsActualScatter",
        "RegressionPredictedVsActualPlot",
        "RegressionErrorPlot",
        "RegressionAbsPercentageErrorPlot",
        "RegressionErrorDistribution",
        "RegressionErrorNormality",
        "RegressionTopErrorMetric",
        "RegressionErrorBiasTable",
    ]
    assert metrics[-1].columns == ["num"]
    report = run_report([RegressionPreset()], frame, regression_frame(seed=3))
    assert all("result" in e for e in report.as_dict()["metrics"])


def test_binary_test_preset():
    frame = binary_frame()
    tests = BinaryClassificationTestPreset(probas_threshold=0.4).generate_tests(
        definition(frame, prediction="proba")
    )
    assert names(tests) == [  # Evidently's order (checked): accuracy before F1 with probabilities
        *drift("target"),
        "TestRocAuc",
        "TestPrecisionScore",
        "TestRecallScore",
        "TestAccuracyScore",
        "TestF1Score",
    ]
    assert all(t.probas_threshold == 0.4 for t in tests if hasattr(t, "probas_threshold"))
    if DRIFT_AVAILABLE:
        assert tests[0].column_name == "target"
    labels_only = BinaryClassificationTestPreset().generate_tests(definition(frame, prediction="label_pred"))
    assert names(labels_only) == [
        *drift("target"),
        "TestPrecisionScore",
        "TestRecallScore",
        "TestF1Score",
        "TestAccuracyScore",
    ]


def test_binary_top_k_test_preset():
    tests = BinaryClassificationTopKTestPreset(k=10).generate_tests(
        definition(binary_frame(), prediction="proba")
    )
    assert names(tests) == [
        "TestAccuracyScore",
        "TestPrecisionScore",
        "TestRecallScore",
        "TestF1Score",
        *drift("target"),
        "TestRocAuc",
        "TestLogLoss",
    ]
    assert [t.k for t in tests[:4]] == [10] * 4


def test_multiclass_test_preset_has_per_label_tests():
    frame, labels = multiclass_frame()
    tests = MulticlassClassificationTestPreset().generate_tests(definition(frame, prediction=labels))
    per_label = ["TestPrecisionByClass"] * len(labels) + ["TestRecallByClass"] * len(labels)
    assert names(tests) == [  # Evidently's order (checked): every label's precision, then every recall
        "TestAccuracyScore",
        "TestF1Score",
        *per_label,
        "TestNumberOfRows",
        *drift("target"),
        "TestRocAuc",
        "TestLogLoss",
    ]
    assert [t.label for t in tests[2 : 2 + 2 * len(labels)]] == labels * 2
    labels_only = MulticlassClassificationTestPreset().generate_tests(
        definition(frame, prediction="prediction")
    )
    assert "TestLogLoss" not in names(labels_only)


def test_regression_test_preset():
    tests = RegressionTestPreset().generate_tests(definition(regression_frame()))
    assert names(tests) == ["TestValueMeanError", "TestValueMAE", "TestValueRMSE", "TestValueMAPE"]


def test_test_presets_run_and_overlapping_presets_dedupe():
    reference, labels = multiclass_frame(seed=4)
    current, _ = multiclass_frame(seed=5)
    suite = TestSuite(tests=[MulticlassClassificationTestPreset(), MulticlassClassificationTestPreset()])
    suite.run(reference_data=reference, current_data=current, column_mapping=ColumnMapping(prediction=labels))
    assert len(suite.results) == 5 + 2 * len(labels) + (1 if DRIFT_AVAILABLE else 0)
    assert all(r.status.value in ("SUCCESS", "FAIL") for r in suite.results), [
        r.description for r in suite.results
    ]
    assert suite.metadata["test_presets"] == ["MulticlassClassificationTestPreset"] * 2

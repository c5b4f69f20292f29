"""Estimation from Report and TestSuite: reference-derived test conditions, the concept-drift test,
presets, snapshots, and an explicit target that only the reference has."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, mean_absolute_error, roc_auc_score

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import TestConceptDrift, TestEstimatedAccuracy, TestEstimatedMAE, TestEstimatedRocAuc
from monitorflow.metric_preset import DataDriftPreset, EstimatedClassificationPreset
from monitorflow.metrics import ClassificationEstimationError
from monitorflow.test_preset import EstimatedClassificationTestPreset, EstimatedRegressionTestPreset
from tests.estimation.est_helpers import binary_rows, logistic, regression_rows

BINARY = ColumnMapping(task="classification")


def statuses(suite: TestSuite) -> dict[str, str]:
    return {t["name"]: t["status"] for t in suite.as_dict()["tests"]}


def test_conditions_derive_from_the_reference_realized_scores():
    rng = np.random.default_rng(0)
    reference = binary_rows(rng, 4000, overconfidence=1.5)
    suite = TestSuite(tests=[TestEstimatedAccuracy(), TestEstimatedRocAuc()])
    suite.run(
        reference_data=reference,
        current_data=binary_rows(rng, 1000).drop(columns="target"),
        column_mapping=BINARY,
    )
    accuracy, auc = suite.as_dict()["tests"]
    realized = accuracy_score(reference.target, reference.prediction >= 0.5)
    assert accuracy["parameters"]["reference_value"] == pytest.approx(realized)
    assert accuracy["parameters"]["condition"]["gte"]["value"] == pytest.approx(realized)
    assert accuracy["parameters"]["condition"]["gte"]["relative"] == 0.2
    assert auc["parameters"]["reference_value"] == pytest.approx(
        roc_auc_score(reference.target, reference.prediction)
    )
    assert accuracy["parameters"]["lower"] < accuracy["parameters"]["value"] < accuracy["parameters"]["upper"]
    assert accuracy["status"] == "SUCCESS"


def test_estimated_quality_below_the_reference_fails():
    rng = np.random.default_rng(1)
    reference = binary_rows(rng, 4000)
    # rows near the decision boundary: the model is right about half the time
    hard = binary_rows(rng, 3000, shift=0.25).assign(x=lambda f: rng.normal(0.25, 0.05, len(f)))
    hard = hard.assign(prediction=logistic(2 * hard.x - 0.5))
    suite = TestSuite(tests=[EstimatedClassificationTestPreset()])
    suite.run(reference_data=reference, current_data=hard.drop(columns="target"), column_mapping=BINARY)
    assert statuses(suite)["Estimated ROC AUC"] == "FAIL"


def concept_drift_suite(reference, current, history):
    suite = TestSuite(tests=[TestConceptDrift(score="accuracy", history=history)])
    suite.run(reference_data=reference, current_data=current, column_mapping=BINARY)
    (test,) = suite.as_dict()["tests"]
    return test


def test_concept_drift_passes_warns_then_fails_when_the_gap_persists():
    rng = np.random.default_rng(2)
    reference = binary_rows(rng, 5000)
    same = binary_rows(rng, 3000)
    assert concept_drift_suite(reference, same, [])["status"] == "SUCCESS"
    drifted = same.assign(
        target=(rng.random(len(same)) < logistic(-(2 * same.x - 0.5))).astype(int)
    )  # P(y|x) flipped
    test = concept_drift_suite(reference, drifted, [])
    assert test["status"] == "WARNING" and test["parameters"]["windows_outside"] == 1
    realized = accuracy_score(drifted.target, drifted.prediction >= 0.5)
    assert test["parameters"]["realized"] == pytest.approx(realized)
    test = concept_drift_suite(reference, drifted, [False, True])
    assert test["status"] == "FAIL" and "concept drift" in test["description"]
    assert concept_drift_suite(reference, drifted, [True, False])["status"] == "WARNING"


def test_reconciliation_uses_only_the_labelled_rows():
    rng = np.random.default_rng(3)
    reference = binary_rows(rng, 4000)
    current = binary_rows(rng, 2000)
    current.loc[current.index[:1500], "target"] = np.nan  # labels of 500 rows have arrived
    report = Report(metrics=[ClassificationEstimationError()])
    report.run(reference_data=reference, current_data=current, column_mapping=BINARY)
    result = report.as_dict()["metrics"][0]["result"]
    labelled = current.dropna(subset=["target"])
    assert result["number_of_rows"] == 500
    assert result["accuracy"]["realized"] == pytest.approx(
        accuracy_score(labelled.target.astype(int), labelled.prediction >= 0.5)
    )
    assert result["accuracy"]["error"] == pytest.approx(
        result["accuracy"]["estimated"] - result["accuracy"]["realized"]
    )


def test_regression_tests_and_preset():
    rng = np.random.default_rng(4)
    reference, current = (
        regression_rows(rng, 4000).drop(columns="sigma"),
        regression_rows(rng, 1000, shift=2.0),
    )
    suite = TestSuite(tests=[EstimatedRegressionTestPreset()])
    suite.run(
        reference_data=reference,
        current_data=current.drop(columns=["sigma", "target"]),
        column_mapping=ColumnMapping(task="regression"),
    )
    tests = suite.as_dict()["tests"]
    assert [t["name"] for t in tests] == ["Estimated MAE", "Estimated RMSE"]
    assert tests[0]["parameters"]["reference_value"] == pytest.approx(
        mean_absolute_error(reference.target, reference.prediction)
    )
    assert {t["status"] for t in tests} == {"FAIL"}  # shifted rows have larger errors (|x1| grows)
    mae = TestEstimatedMAE(lte=100.0)
    suite = TestSuite(tests=[mae])
    suite.run(
        reference_data=reference,
        current_data=current.drop(columns=["sigma", "target"]),
        column_mapping=ColumnMapping(task="regression"),
    )
    assert statuses(suite) == {"Estimated MAE": "SUCCESS"}


def test_snapshot_round_trip_keeps_the_estimate(tmp_path):
    rng = np.random.default_rng(5)
    report = Report(metrics=[EstimatedClassificationPreset(band_z=2.0)])
    report.run(
        reference_data=binary_rows(rng, 3000),
        current_data=binary_rows(rng, 500).drop(columns="target"),
        column_mapping=BINARY,
    )
    path = tmp_path / "snapshot.json"
    report.save(path)
    loaded = Report.load(path)
    assert loaded.as_dict()["metrics"] == report.as_dict()["metrics"]
    assert loaded.as_dict()["metrics"][0]["result"]["band_z"] == 2.0


def test_an_explicit_target_only_in_the_reference_is_labels_to_come():
    rng = np.random.default_rng(6)
    reference = binary_rows(rng, 3000).rename(columns={"target": "churned"})
    current = binary_rows(rng, 800).drop(columns="target")
    mapping = ColumnMapping(target="churned", task="classification")
    report = Report(metrics=[EstimatedClassificationPreset(), DataDriftPreset()])
    report.run(reference_data=reference, current_data=current, column_mapping=mapping)
    names = [m["metric"] for m in report.as_dict()["metrics"]]
    assert "EstimatedClassificationQuality" in names and "DatasetDriftMetric" in names
    assert not any("error" in m for m in report.as_dict()["metrics"])


def test_estimates_and_reconciliation_render_as_html():
    rng = np.random.default_rng(7)
    report = Report(metrics=[EstimatedClassificationPreset(), ClassificationEstimationError()])
    report.run(
        reference_data=binary_rows(rng, 3000), current_data=binary_rows(rng, 800), column_mapping=BINARY
    )
    html = report.get_html()
    assert "EstimatedClassificationQuality" in html and "ClassificationEstimationError" in html
    assert "reference_error" in html or "reference error" in html

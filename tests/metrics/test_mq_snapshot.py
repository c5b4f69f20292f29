"""Reports with the model-quality metrics survive a snapshot round trip, and their size does not grow
with the number of rows."""

from __future__ import annotations

import json

import numpy as np

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.metric_preset.classification import ClassificationPreset
from monitorflow.metric_preset.regression import RegressionPreset
from monitorflow.metrics.classification import ClassificationDummyMetric
from monitorflow.metrics.regression import RegressionDummyMetric
from monitorflow.records import TestStatus
from monitorflow.test_preset.classification import BinaryClassificationTestPreset
from monitorflow.test_preset.regression import RegressionTestPreset
from tests.metrics.mq_helpers import binary_frame, multiclass_frame, regression_frame, run_report


def round_trip(report: Report, tmp_path) -> None:
    """Every metric computed a result (an error would round-trip just as well), and it comes back equal."""
    entries = report.as_dict()["metrics"]
    assert entries and all("result" in e and "error" not in e for e in entries), [
        e for e in entries if "error" in e
    ]
    path = tmp_path / "snapshot.json"
    report.save(path)
    loaded = Report.load(path)
    assert loaded.as_dict() == report.as_dict()
    assert json.loads(loaded.json()) == json.loads(report.json())


def test_binary_classification_report_round_trip(tmp_path):
    reference = binary_frame(seed=1, labels=("no", "yes"))
    current = binary_frame(seed=2, labels=("no", "yes"))
    current.loc[:5, "num"] = np.nan  # a missing bucket; NaN scores
    report = run_report(
        [ClassificationPreset(probas_threshold=0.4), ClassificationDummyMetric()],
        current,
        reference,
        prediction=["no", "yes"],
        pos_label="yes",
        target_names={"no": "stays", "yes": "churns"},
    )
    round_trip(report, tmp_path)


def test_multiclass_labels_report_round_trip(tmp_path):
    reference, _ = multiclass_frame(seed=3)
    current, _ = multiclass_frame(seed=4)
    current = current[current["target"] != "class_2"]  # undefined per-class values
    report = run_report([ClassificationPreset(), ClassificationDummyMetric()], current, reference)
    round_trip(report, tmp_path)


def test_integer_labels_report_round_trip(tmp_path):
    frame = binary_frame(seed=5)
    report = run_report([ClassificationPreset()], frame, binary_frame(seed=6), prediction="proba")
    round_trip(report, tmp_path)
    assert report.as_dict()["metrics"][0]["result"]["labels"] == [0, 1]


def test_regression_report_round_trip(tmp_path):
    current = regression_frame(seed=7)
    current.loc[:3, "target"] = 0.0
    report = run_report([RegressionPreset(), RegressionDummyMetric()], current, regression_frame(seed=8))
    round_trip(report, tmp_path)


def test_test_suite_snapshot_round_trip(tmp_path):
    suite = TestSuite(tests=[BinaryClassificationTestPreset(), RegressionTestPreset()])
    frame = binary_frame(seed=9)
    suite.run(current_data=frame, column_mapping=ColumnMapping(prediction="proba"))
    statuses = {r.type: r.status for r in suite.results}
    assert statuses.pop("TestColumnDrift") == TestStatus.ERROR  # the one test that needs reference_data
    assert TestStatus.ERROR not in statuses.values() and len(statuses) >= 9, statuses
    suite.save(tmp_path / "suite.json")
    loaded = TestSuite.load(tmp_path / "suite.json")
    assert loaded.as_dict() == suite.as_dict()


def test_snapshot_size_does_not_grow_with_rows(tmp_path):
    def size(n: int) -> int:
        reference, labels = multiclass_frame(n=n, seed=10)
        current, _ = multiclass_frame(n=n, seed=11)
        report = run_report([ClassificationPreset()], current, reference, prediction=labels)
        path = report.save(tmp_path / f"{n}.json")
        regression = run_report(
            [RegressionPreset()], regression_frame(n=n, seed=12), regression_frame(n=n, seed=13)
        )
        return path.stat().st_size + regression.save(tmp_path / f"r{n}.json").stat().st_size

    small, large = size(2_000), size(40_000)
    assert large < 1.2 * small and large < 400_000

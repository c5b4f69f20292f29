"""Recsys column mapping, tests and their default conditions, presets, snapshot round-trip and HTML."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import (
    TESTS,
    TestFBetaTopK,
    TestHitRateK,
    TestMAPK,
    TestMARK,
    TestMRRK,
    TestNDCGK,
    TestPrecisionTopK,
    TestRecallTopK,
    TestStatus,
)
from monitorflow.column_mapping import ColumnType, build_definition
from monitorflow.metric_preset import RecsysPreset
from monitorflow.metrics import METRICS, MRRKMetric, NDCGKMetric, PrecisionTopKMetric
from monitorflow.test_preset import RecsysTestPreset
from tests.metrics.recsys_frames import recommendations

RECSYS = ColumnMapping(task="recsys")
ALL_TESTS = [
    TestPrecisionTopK,
    TestRecallTopK,
    TestFBetaTopK,
    TestMAPK,
    TestMARK,
    TestNDCGK,
    TestMRRK,
    TestHitRateK,
]


def _suite(tests, current, reference=None, mapping=RECSYS) -> TestSuite:
    suite = TestSuite(tests=tests)
    suite.run(current_data=current, reference_data=reference, column_mapping=mapping)
    return suite


def test_mapping_defaults_and_user_item_columns_are_not_features():
    mapping = ColumnMapping()
    assert (mapping.user_id, mapping.item_id, mapping.recommendations_type) == ("user_id", "item_id", "score")
    frame = recommendations(1).assign(price=1.5)
    definition, _, _ = build_definition(RECSYS, frame, None)
    assert (definition.user_id, definition.item_id, definition.task) == ("user_id", "item_id", "recsys")
    assert definition.features == ["price"]
    assert definition.type_of("target") == ColumnType.NUMERICAL  # recsys: relevance is a number
    with pytest.raises(ValueError):
        ColumnMapping(recommendations_type="scores")


def test_definition_round_trips_through_json():
    definition, _, _ = build_definition(
        ColumnMapping(task="recsys", recommendations_type="rank"), recommendations(1), None
    )
    again = type(definition).model_validate_json(definition.model_dump_json())
    assert again == definition and again.recommendations_type == "rank"


def test_metrics_and_tests_are_registered():
    for name in ("PrecisionTopKMetric", "HitRateKMetric", "ScoreDistribution", "PersonalizationMetric"):
        assert name in METRICS
    for test in ALL_TESTS:
        assert TESTS[test.__name__] is test and test.__test__ is False


def test_without_reference_the_value_must_be_above_zero():
    suite = _suite([t(k=3) for t in ALL_TESTS], recommendations(2))
    for result in suite.results:
        assert result.status == TestStatus.SUCCESS, result.description
        assert result.parameters["condition"] == {"gt": 0}


def test_with_reference_the_value_must_stay_within_ten_percent():
    current, reference = recommendations(3), recommendations(3)
    reference.loc[reference["user_id"] != "u1", "target"] = 0  # reference: only u1 has feedback
    same = _suite([TestNDCGK(k=3)], current, current).results[0]
    assert same.status == TestStatus.SUCCESS
    assert same.parameters["condition"]["eq"]["relative"] == 0.1
    changed = _suite([TestNDCGK(k=3)], current, reference).results[0]
    value = NDCGKMetric(k=3)
    report = Report(metrics=[value])
    report.run(current_data=current, reference_data=reference, column_mapping=RECSYS)
    expected = report.result(value).reference_value
    assert changed.parameters["reference_value"] == pytest.approx(expected)
    assert changed.status == TestStatus.FAIL


def test_explicit_condition_and_description():
    result = _suite(
        [TestMRRK(k=2, no_feedback_users=True, gte=2.0, is_critical=False)], recommendations(4)
    ).results[0]
    assert result.status == TestStatus.WARNING
    assert result.description.startswith("MRR@2 (no feedback users included)")


def test_test_value_is_the_metric_value_at_k():
    frame = recommendations(5)
    result = _suite([TestPrecisionTopK(k=4)], frame).results[0]
    report = Report(metrics=[PrecisionTopKMetric(k=4)])
    report.run(current_data=frame, column_mapping=RECSYS)
    assert result.parameters["value"] == report.result(PrecisionTopKMetric(k=4)).current[4]


def test_test_preset_has_evidently_composition():
    suite = _suite([RecsysTestPreset(k=3, min_rel_score=1)], recommendations(6))
    assert [r.type for r in suite.results] == [
        "TestPrecisionTopK",
        "TestRecallTopK",
        "TestMAPK",
        "TestNDCGK",
        "TestHitRateK",
    ]
    assert all(r.parameters["min_rel_score"] == 1 for r in suite.results)


def test_metric_preset_composition_depends_on_scores_and_items():
    report = Report(metrics=[RecsysPreset(k=3)])
    report.run(current_data=recommendations(7), column_mapping=RECSYS)
    types = [m["metric"] for m in report.as_dict()["metrics"]]
    assert types == [
        "PrecisionTopKMetric",
        "RecallTopKMetric",
        "FBetaTopKMetric",
        "MAPKMetric",
        "NDCGKMetric",
        "MRRKMetric",
        "HitRateKMetric",
        "RecCasesTable",
        "ScoreDistribution",
        "PersonalizationMetric",
    ]
    ranks = Report(metrics=[RecsysPreset(k=3)])
    ranks.run(
        current_data=recommendations(7, rank=True).drop(columns="item_id"),
        column_mapping=ColumnMapping(task="recsys", recommendations_type="rank"),
    )
    assert [m["metric"] for m in ranks.as_dict()["metrics"]][-1] == "HitRateKMetric"


def test_report_snapshot_round_trip(tmp_path):
    report = Report(metrics=[RecsysPreset(k=4, no_feedback_users=True)])
    report.run(current_data=recommendations(8), reference_data=recommendations(9), column_mapping=RECSYS)
    path = report.save(tmp_path / "recsys.json")
    loaded = Report.load(path)
    assert loaded.as_dict() == report.as_dict()
    metric = MRRKMetric(k=4, no_feedback_users=True)
    assert loaded.result(metric) == report.result(metric)
    assert list(loaded.result(metric).current) == list(range(1, 11))  # int keys again after JSON
    stored = json.loads(path.read_text())
    assert stored["data_definition"]["user_id"] == "user_id"


def test_test_suite_snapshot_round_trip(tmp_path):
    suite = _suite([RecsysTestPreset(k=2)], recommendations(10), recommendations(11))
    assert suite.results and all(r.status != TestStatus.ERROR for r in suite.results), suite.results
    loaded = TestSuite.load(suite.save(tmp_path / "suite.json"))
    assert [r.model_dump() for r in loaded.results] == [r.model_dump() for r in suite.results]


def test_html_shows_value_at_k_and_curve(tmp_path):
    report = Report(metrics=[RecsysPreset(k=3)])
    report.run(current_data=recommendations(12), reference_data=recommendations(13), column_mapping=RECSYS)
    html = report.get_html()
    assert "ndcg@k (k = 3)" in html and "hit_rate@k for k = 1 .. 10" in html
    assert "<polyline" in html and "Users without feedback excluded." in html
    assert Report.load(report.save(tmp_path / "r.json")).get_html() == html


def test_a_test_without_user_column_is_an_error_naming_it():
    suite = _suite([TestHitRateK(k=2)], pd.DataFrame({"target": [1], "prediction": [0.5]}), mapping=None)
    assert suite.results[0].status == TestStatus.ERROR
    assert "'user_id'" in suite.results[0].description

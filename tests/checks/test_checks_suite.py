"""TestSuite behaviour: ERROR isolation, summary, duplicates run once, preset composition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, TestSuite
from monitorflow.checks import (
    TESTS,
    Test,
    TestAllColumnsShareOfMissingValues,
    TestColumnShareOfMissingValues,
    TestColumnValueMin,
    TestMeanInNSigmas,
    TestMostCommonValueShare,
    TestNumberOfColumns,
    TestNumberOfRows,
    TestNumColumnsMeanInNSigmas,
    TestShareOfOutListValues,
    TestShareOfOutRangeValues,
    TestStatus,
)
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset


class TestExplodes(Test):
    """A check whose computation raises: it must become ERROR, not stop the suite."""

    name = "Explodes"

    def check(self, ctx):
        raise RuntimeError("boom at row 3")


def frame(seed: int = 0, n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "num": rng.normal(size=n),
            "big_int": rng.integers(0, 100, n),
            "small_int": rng.integers(0, 5, n),
            "cat": rng.choice(["a", "b", "c"], n),
            "flag": rng.random(n) < 0.5,
            "when": pd.date_range("2024-01-01", periods=n, freq="D"),
            "notes": [f"free text {i}" for i in range(n)],
            "target": rng.integers(0, 2, n),
            "prediction": rng.random(n),
        }
    )


MAPPING = ColumnMapping(text_features=["notes"])


def pairs(suite: TestSuite) -> list[tuple[str, object]]:
    return [(r.type, r.parameters.get("column_name")) for r in suite.results]


# ------------------------------------------------------------------------------- errors


def test_a_raising_test_is_error_with_its_message_and_the_others_still_run():
    suite = TestSuite(tests=[TestNumberOfRows(gt=0), TestExplodes(), TestNumberOfColumns(gt=0)])
    suite.run(current_data=frame())
    statuses = [r.status for r in suite.results]
    assert statuses == [TestStatus.SUCCESS, TestStatus.ERROR, TestStatus.SUCCESS]
    error = suite.results[1]
    assert "RuntimeError" in error.description and "boom at row 3" in error.description
    assert "TestExplodes" in TESTS


def test_a_test_on_an_absent_column_is_error_naming_the_column():
    suite = TestSuite(tests=[TestColumnValueMin(column_name="nope", gte=0), TestNumberOfRows(gt=0)])
    suite.run(current_data=frame())
    error, ok = suite.results
    assert error.status == TestStatus.ERROR
    assert "'nope'" in error.description and "available columns" in error.description
    assert ok.status == TestStatus.SUCCESS


# ------------------------------------------------------------------------------ summary


def test_summary_counts_and_all_passed():
    tests = [
        TestNumberOfRows(gt=0),  # SUCCESS
        TestNumberOfRows(gt=10_000),  # FAIL
        TestNumberOfColumns(lt=0, is_critical=False),  # WARNING
        TestExplodes(),  # ERROR
        TestNumberOfColumns(gt=0),  # SUCCESS
    ]
    suite = TestSuite(tests=tests)
    suite.run(current_data=frame())
    summary = suite.as_dict()["summary"]
    assert summary["total_tests"] == 5
    assert summary["success_tests"] == 3  # Evidently's as_dict counts a WARNING as a success
    assert suite.summary().success_tests == 2  # the snapshot's summary counts SUCCESS only
    assert summary["failed_tests"] == 1
    assert summary["by_status"] == {"SUCCESS": 2, "FAIL": 1, "WARNING": 1, "ERROR": 1}
    assert summary["all_passed"] is False
    assert not suite


def test_warnings_still_pass():
    suite = TestSuite(tests=[TestNumberOfRows(gt=0), TestNumberOfRows(lt=0, is_critical=False)])
    suite.run(current_data=frame())
    assert suite.as_dict()["summary"]["all_passed"] is True
    assert bool(suite)


def test_as_dict_layout():
    suite = TestSuite(tests=[TestNumberOfRows(gt=0)])
    suite.run(current_data=frame())
    data = suite.as_dict()
    assert set(data) == {"tests", "summary"}
    assert set(data["tests"][0]) == {"name", "description", "status", "group", "parameters"}
    assert data["tests"][0]["status"] == "SUCCESS"


# ---------------------------------------------------------------------------- duplicates


def test_overlapping_presets_run_each_test_once():
    data = frame()
    suite = TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset(), TestNumberOfRows()])
    suite.run(reference_data=data, current_data=data, column_mapping=MAPPING)
    found = pairs(suite)
    assert len(found) == len(set(found))
    missing_tests = [p for p in found if p[0] == "TestColumnShareOfMissingValues"]
    assert len(missing_tests) == data.shape[1]
    assert found.count(("TestNumberOfRows", None)) == 1
    assert suite.metadata["test_presets"] == ["DataStabilityTestPreset", "DataQualityTestPreset"]


def test_equal_configs_are_duplicates_but_different_conditions_are_not():
    suite = TestSuite(tests=[TestNumberOfRows(gt=1), TestNumberOfRows(gt=1), TestNumberOfRows(gt=2)])
    suite.run(current_data=frame())
    assert len(suite.results) == 2


# -------------------------------------------------------------------------- composition


def expected_stability(columns: list, numerical: list, categorical: list) -> list[tuple[str, object]]:
    return (
        [("TestNumberOfRows", None), ("TestNumberOfColumns", None), ("TestColumnsType", None)]
        + [("TestColumnShareOfMissingValues", c) for c in columns]
        + [("TestShareOfOutRangeValues", c) for c in numerical]
        + [("TestShareOfOutListValues", c) for c in categorical]
        + [("TestMeanInNSigmas", c) for c in numerical]
    )


#: The columns of ``frame()`` in Evidently's order (its DataDefinition.get_columns()): the target and
#: prediction first, then numerical, categorical, datetime and text features (each kind in frame order).
EVIDENTLY_ORDER = ["target", "prediction", "num", "big_int", "small_int", "cat", "flag", "when", "notes"]


def test_data_stability_preset_composition():
    data = frame()
    suite = TestSuite(tests=[DataStabilityTestPreset()])
    suite.run(reference_data=data, current_data=data, column_mapping=MAPPING)
    # features only: target and prediction are utility columns; small_int (<= 5 values) is categorical
    assert sorted(EVIDENTLY_ORDER, key=str) == sorted(data.columns, key=str)
    assert pairs(suite) == expected_stability(
        EVIDENTLY_ORDER, numerical=["num", "big_int"], categorical=["small_int", "cat", "flag"]
    )


def test_data_quality_preset_composition():
    data = frame()
    suite = TestSuite(tests=[DataQualityTestPreset()])
    suite.run(reference_data=data, current_data=data, column_mapping=MAPPING)
    non_text = [c for c in EVIDENTLY_ORDER if c != "notes"]
    expected = (
        [("TestColumnShareOfMissingValues", c) for c in EVIDENTLY_ORDER]
        + [("TestMostCommonValueShare", c) for c in non_text]
        + [("TestNumberOfConstantColumns", None), ("TestNumberOfDuplicatedColumns", None)]
        + [("TestNumberOfDuplicatedRows", None)]
    )
    assert pairs(suite) == expected


def test_integer_columns_with_up_to_five_values_are_categorical_in_presets():
    five = pd.DataFrame({"i": [1, 2, 3, 4, 5] * 8})
    six = pd.DataFrame({"i": [1, 2, 3, 4, 5, 6] * 8})
    for data, kind in ((five, "TestShareOfOutListValues"), (six, "TestShareOfOutRangeValues")):
        suite = TestSuite(tests=[DataStabilityTestPreset()])
        suite.run(reference_data=data, current_data=data)
        assert (kind, "i") in pairs(suite)


def test_presets_narrowed_to_columns():
    data = frame()
    suite = TestSuite(tests=[DataStabilityTestPreset(columns=["num", "cat"])])
    suite.run(reference_data=data, current_data=data, column_mapping=MAPPING)
    assert pairs(suite) == expected_stability(["num", "cat"], numerical=["num"], categorical=["cat"])


def test_generators_expand_per_column():
    data = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"], 7: [1.0, 2.0]})
    definition_suite = TestSuite(tests=[TestAllColumnsShareOfMissingValues()])
    definition_suite.run(current_data=data)
    # Evidently's column order: numerical features, then categorical
    assert pairs(definition_suite) == [("TestColumnShareOfMissingValues", c) for c in ["a", 7, "b"]]


def test_preset_tests_are_the_public_classes():
    data = frame()
    suite = TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()])
    suite.run(reference_data=data, current_data=data, column_mapping=MAPPING)
    types = {r.type for r in suite.results}
    for cls in (
        TestColumnShareOfMissingValues,
        TestShareOfOutRangeValues,
        TestShareOfOutListValues,
        TestMeanInNSigmas,
        TestMostCommonValueShare,
    ):
        assert cls.__name__ in types


@pytest.mark.parametrize("preset", [DataStabilityTestPreset(), DataQualityTestPreset()])
def test_presets_pass_on_the_reference_itself(preset):
    data = frame(3, 200).drop(columns=["notes"])
    suite = TestSuite(tests=[preset])
    suite.run(reference_data=data, current_data=data)
    failing = [(r.name, r.description) for r in suite.results if r.status != TestStatus.SUCCESS]
    assert failing == []


def test_stability_preset_flags_a_shifted_column():
    reference = frame(4, 300)
    current = frame(5, 300)
    current["num"] = current["num"] + 10
    current.loc[:10, "cat"] = "new-category"
    suite = TestSuite(tests=[DataStabilityTestPreset()])
    suite.run(reference_data=reference, current_data=current, column_mapping=MAPPING)
    failed = {(r.type, r.parameters.get("column_name")) for r in suite.results if r.status == TestStatus.FAIL}
    assert ("TestMeanInNSigmas", "num") in failed
    assert ("TestShareOfOutRangeValues", "num") in failed
    assert ("TestShareOfOutListValues", "cat") in failed
    assert ("TestMeanInNSigmas", "big_int") not in failed


def test_a_numerical_test_on_a_text_column_is_error_naming_column_and_value():
    suite = TestSuite(
        tests=[TestColumnValueMin(column_name="cat", gte=0), TestMeanInNSigmas(column_name="cat")]
    )
    data = frame()
    suite.run(reference_data=data, current_data=data)
    for result in suite.results:
        assert result.status == TestStatus.ERROR
        assert "column 'cat'" in result.description and "numerical" in result.description


def test_a_suite_lists_plain_tests_then_presets_then_generators():
    # the order and metadata of Evidently 0.7's legacy TestSuite on this composition (checked)
    data = frame().drop(columns=["when", "notes", "flag"])
    items = [
        TestAllColumnsShareOfMissingValues(columns=["cat", "num"]),
        DataStabilityTestPreset(columns=["num"]),
        TestNumberOfRows(),
        TestNumColumnsMeanInNSigmas(columns=["big_int", "num"]),
        TestNumberOfColumns(),
    ]
    suite = TestSuite(tests=items)
    for _ in range(2):  # a second run lists the same
        suite.run(reference_data=data, current_data=data)
        assert pairs(suite) == [
            ("TestNumberOfRows", None),  # plain tests, in the order given (the preset's copies run once)
            ("TestNumberOfColumns", None),
            ("TestColumnsType", None),  # the preset's
            ("TestColumnShareOfMissingValues", "num"),
            ("TestShareOfOutRangeValues", "num"),
            ("TestMeanInNSigmas", "num"),
            ("TestColumnShareOfMissingValues", "cat"),  # the generators', each in its columns' order
            ("TestMeanInNSigmas", "big_int"),
        ]
        assert list(suite.metadata.items()) == [
            ("test_generators", ["TestAllColumnsShareOfMissingValues", "TestNumColumnsMeanInNSigmas"]),
            ("test_presets", ["DataStabilityTestPreset"]),
        ]

"""Bad inputs give a specific MonitoringError naming the column/argument and the fix; odd data gives
counts."""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import TestStatus
from monitorflow.errors import (
    ColumnNotFoundError,
    ColumnTypeError,
    ConfigurationError,
    DuplicateColumnsError,
    EmptyDataError,
    InputDataError,
    InvalidTimestampError,
    MonitoringError,
    NotADataFrameError,
)
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import DatasetMissingValuesMetric, DatasetSummaryMetric
from monitorflow.test_preset import DataQualityTestPreset, DataStabilityTestPreset


def report():
    return Report(metrics=[DataQualityPreset()])


def suite():
    return TestSuite(tests=[DataStabilityTestPreset(), DataQualityTestPreset()])


RUNNERS = [pytest.param(report, id="report"), pytest.param(suite, id="suite")]
GOOD = pd.DataFrame({"age": [31.0, 45.0, 27.0], "plan": ["a", "b", "a"]})


@pytest.mark.parametrize("make", RUNNERS)
@pytest.mark.parametrize("value", [None, [1, 2], {"a": [1]}, np.zeros((2, 2)), pd.Series([1, 2]), "data.csv"])
def test_current_data_must_be_a_dataframe(make, value):
    with pytest.raises(NotADataFrameError) as info:
        make().run(reference_data=None, current_data=value)
    message = str(info.value)
    assert info.value.argument == "current_data"
    assert message.startswith("current_data must be a pandas DataFrame")
    assert "pd.read_csv" in message


def test_missing_current_data_says_nothing_was_passed():
    with pytest.raises(NotADataFrameError, match=r"got nothing \(None\)"):
        report().run(reference_data=None, current_data=None)
    with pytest.raises(NotADataFrameError, match="current_data"):
        report().run()


@pytest.mark.parametrize("make", RUNNERS)
def test_reference_data_must_be_a_dataframe(make):
    with pytest.raises(NotADataFrameError, match="reference_data must be a pandas DataFrame, got a list"):
        make().run(reference_data=[1], current_data=GOOD)


@pytest.mark.parametrize("make", RUNNERS)
@pytest.mark.parametrize("argument", ["current_data", "reference_data"])
def test_zero_row_frames_are_rejected(make, argument):
    frames = {"current_data": GOOD, "reference_data": GOOD, argument: GOOD.iloc[:0]}
    with pytest.raises(EmptyDataError) as info:
        make().run(**frames)
    assert info.value.argument == argument
    assert str(info.value).startswith(f"{argument} has 0 rows")


@pytest.mark.parametrize("make", RUNNERS)
def test_mapping_column_absent_lists_available_columns(make):
    mapping = ColumnMapping(numerical_features=["income"])
    with pytest.raises(ColumnNotFoundError) as info:
        make().run(current_data=GOOD, column_mapping=mapping)
    assert info.value.column == "income"
    assert str(info.value) == (
        "column 'income' is in numerical_features but not in current_data; available columns: ['age', 'plan']"
    )


@pytest.mark.parametrize("make", RUNNERS)
@pytest.mark.parametrize("argument", ["current_data", "reference_data"])
def test_duplicate_column_names_are_rejected(make, argument):
    duplicated = pd.DataFrame([[1.0, 2.0, 3.0]], columns=["a", "b", "a"])
    frames = {"current_data": GOOD, "reference_data": GOOD, argument: duplicated}
    with pytest.raises(DuplicateColumnsError) as info:
        make().run(**frames)
    assert info.value.columns == ["a"]
    assert argument in str(info.value)
    assert "'a'" in str(info.value)


@pytest.mark.parametrize("make", RUNNERS)
def test_numerical_feature_with_text_values(make):
    frame = pd.DataFrame({"income": ["100", "2k", "300"]})
    with pytest.raises(ColumnTypeError) as info:
        make().run(current_data=frame, column_mapping=ColumnMapping(numerical_features=["income"]))
    message = str(info.value)
    assert info.value.column == "income"
    assert "'2k'" in message
    assert "pd.to_numeric" in message and "categorical_features" in message
    ok = pd.DataFrame({"income": ["100", "200", "300"]})
    with pytest.raises(ColumnTypeError, match="reference_data"):
        make().run(
            current_data=ok, reference_data=frame, column_mapping=ColumnMapping(numerical_features=["income"])
        )


@pytest.mark.parametrize("make", RUNNERS)
@pytest.mark.parametrize("value", ["2026-01-01", 1767225600, 3.5, object()])
def test_timestamp_that_is_not_a_datetime(make, value):
    with pytest.raises(InvalidTimestampError) as info:
        make().run(current_data=GOOD, timestamp=value)
    assert info.value.argument == "timestamp"
    assert "must be a datetime" in str(info.value)


def test_timestamp_accepts_pandas_timestamps():
    r = report()
    r.run(current_data=GOOD, timestamp=pd.Timestamp("2026-01-01", tz="UTC"))
    assert r.timestamp == datetime.fromisoformat("2026-01-01T00:00:00+00:00")
    with pytest.raises(InvalidTimestampError):
        report().run(current_data=GOOD, timestamp=pd.NaT)


@pytest.mark.parametrize("make", RUNNERS)
def test_datetime_column_with_non_datetime_values(make):
    frame = pd.DataFrame({"ts": ["2026-01-01", "yesterday"], "x": [1.0, 2.0]})
    for mapping in (ColumnMapping(datetime_features=["ts"]), ColumnMapping(datetime="ts")):
        with pytest.raises(ColumnTypeError) as info:
            make().run(current_data=frame, column_mapping=mapping)
        assert "'yesterday'" in str(info.value)
        assert "pd.to_datetime" in str(info.value)


@pytest.mark.parametrize("make", RUNNERS)
def test_datetime_column_with_a_number_among_dates(make):
    frame = pd.DataFrame({"ts": ["2026-01-01", 1767225600, None], "x": [1.0, 2.0, 3.0]})
    with pytest.raises(ColumnTypeError) as info:
        make().run(current_data=frame, column_mapping=ColumnMapping(datetime_features=["ts"]))
    assert "1767225600" in str(info.value) and "pd.to_datetime" in str(info.value)


def test_column_mapping_of_the_wrong_type():
    with pytest.raises(ConfigurationError, match="column_mapping must be a ColumnMapping"):
        report().run(current_data=GOOD, column_mapping={"target": "y"})


def test_report_and_suite_reject_wrong_items():
    with pytest.raises(ConfigurationError, match="Report metrics"):
        Report(metrics=["DatasetSummaryMetric"])
    with pytest.raises(ConfigurationError, match="TestSuite tests"):
        TestSuite(tests=[DatasetSummaryMetric()])


def test_input_errors_are_value_errors_and_monitoring_errors():
    for error in (
        NotADataFrameError,
        EmptyDataError,
        ColumnNotFoundError,
        DuplicateColumnsError,
        ColumnTypeError,
    ):
        assert issubclass(error, InputDataError)
        assert issubclass(error, MonitoringError)
        assert issubclass(error, ValueError)


def test_different_column_sets_are_skipped_and_reported():
    current = pd.DataFrame({"a": [1.0, 2.0, 3.0], "new": [1, 2, 3]})
    reference = pd.DataFrame({"a": [1.0, 2.0, 5.0], "old": ["x", "y", "z"]})
    r = Report(metrics=[DataQualityPreset()])
    r.run(reference_data=reference, current_data=current)
    assert r.data_definition.skipped_columns == {"only_in_current": ["new"], "only_in_reference": ["old"]}
    summary = r.result(DatasetSummaryMetric())
    assert summary.current.columns_only_in_this_dataset == ["new"]
    assert summary.reference.columns_only_in_this_dataset == ["old"]
    snap = json.loads(r.to_snapshot().json_bytes())
    assert snap["data_definition"]["skipped_columns"] == {
        "only_in_current": ["new"],
        "only_in_reference": ["old"],
    }
    # only the shared column gets a column summary
    names = [m.get("result", {}).get("column_name") for m in r.as_dict()["metrics"]]
    assert "a" in names and "new" not in names and "old" not in names
    s = suite()
    s.run(reference_data=reference, current_data=current)
    assert s.data_definition.skipped_columns["only_in_current"] == ["new"]
    assert all(t.parameters.get("column_name") not in ("new", "old") for t in s.results)


# ------------------------------------------------------------------ odd data gives counts

ODD_FRAMES = {
    "all_nan": pd.DataFrame({"f": [np.nan] * 4, "o": pd.Series([None] * 4, dtype=object), "i": [1, 2, 3, 4]}),
    "constant": pd.DataFrame({"f": [2.0] * 4, "s": ["a"] * 4}),
    "infinities": pd.DataFrame({"f": [np.inf, -np.inf, 1.0, np.inf]}),
    "only_infinities": pd.DataFrame({"f": [np.inf, -np.inf, np.inf]}),
    "one_row": pd.DataFrame({"f": [1.5], "s": ["x"], "i": [3], "t": pd.to_datetime(["2024-01-01"])}),
    "int_names": pd.DataFrame({0: [1.0, 2.0, 3.0], 1: ["a", "b", "a"], 2: [7, 8, 9]}),
    "no_columns": pd.DataFrame(index=range(3)),
}


@pytest.mark.parametrize("name", list(ODD_FRAMES))
@pytest.mark.parametrize("with_reference", [False, True])
def test_odd_frames_give_results_not_exceptions(name, with_reference):
    frame = ODD_FRAMES[name]
    reference = frame if with_reference else None
    r = report()
    r.run(reference_data=reference, current_data=frame)
    entries = r.as_dict()["metrics"]
    assert all("error" not in entry for entry in entries), entries
    json.loads(r.json())
    s = suite()
    s.run(reference_data=reference, current_data=frame)
    errors = [t for t in s.results if t.status == TestStatus.ERROR]
    for t in errors:
        # only tests that need a reference, or whose number is undefined (no values, one value), are ERROR
        if with_reference:
            assert "undefined (NaN)" in t.description, t.description
        else:
            assert "reference" in t.description or "undefined (NaN)" in t.description, t.description
    json.loads(s.json())


def test_counts_of_the_problems_are_reported():
    r = Report(metrics=[DatasetSummaryMetric(), DatasetMissingValuesMetric()])
    r.run(current_data=ODD_FRAMES["all_nan"])
    summary = r.result(DatasetSummaryMetric()).current
    assert summary.number_of_empty_columns == 2
    assert summary.number_of_missing_values == 8
    r.run(current_data=ODD_FRAMES["infinities"])
    missing = r.result(DatasetMissingValuesMetric()).current
    assert missing.number_of_missing_values == 3
    assert missing.different_missing_values["Infinity"] == 2
    assert missing.different_missing_values["-Infinity"] == 1
    r.run(current_data=ODD_FRAMES["constant"])
    assert r.result(DatasetSummaryMetric()).current.number_of_constant_columns == 2


@pytest.mark.parametrize(
    ("metric", "test"),
    [
        ("ColumnSummaryMetric", "TestColumnValueMin"),
        ("ColumnMissingValuesMetric", "TestColumnShareOfMissingValues"),
        ("ColumnDriftMetric", "TestColumnDrift"),
        ("ColumnValueRangeMetric", "TestValueRange"),
    ],
)
def test_a_missing_column_is_the_same_error_from_a_report_and_a_suite(metric: str, test: str) -> None:
    from monitorflow import Report, TestSuite
    from monitorflow.checks import TESTS
    from monitorflow.errors import ColumnNotFoundError
    from monitorflow.metrics import METRICS

    frame = pd.DataFrame({"age": [31.0, 45.0, 27.0, 39.0], "plan": ["a", "b", "a", "c"]})
    with pytest.raises(ColumnNotFoundError) as info:
        Report(metrics=[METRICS[metric](column_name="agee")]).run(reference_data=frame, current_data=frame)
    assert info.value.column == "agee" and info.value.available == ["age", "plan"]
    assert str(info.value).startswith(f"column 'agee' is in {metric}.column_name but not in")
    suite = TestSuite(tests=[TESTS[test](column_name="agee"), TESTS["TestNumberOfRows"](gt=0)])
    suite.run(reference_data=frame, current_data=frame)
    error, other = suite.results  # the suite goes on; the test's result is the Report's error, in its words
    assert error.status == TestStatus.ERROR and error.parameters["error"] == "ColumnNotFoundError"
    assert error.description == str(info.value).replace(metric, test)
    assert other.status == TestStatus.SUCCESS

"""Default conditions of the empty, duplicated and constant row and column tests (``lte`` reference,
row counts scaled by the row ratio; ``lte 0`` without reference), and how ``is_critical=False`` and
an undefined number change a status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow.checks import (
    TestColumnAllConstantValues,
    TestColumnAllUniqueValues,
    TestColumnValueMean,
    TestColumnValueStd,
    TestMeanInNSigmas,
    TestNumberOfConstantColumns,
    TestNumberOfDuplicatedColumns,
    TestNumberOfDuplicatedRows,
    TestNumberOfEmptyColumns,
    TestNumberOfEmptyRows,
    TestNumberOfRows,
    TestShareOfMissingValues,
    TestShareOfOutRangeValues,
    TestStatus,
    TestValueRange,
)
from tests.checks.defaults_helpers import E, F, S, col, result, status

# ------------------------------------------------------------------ empty, constant, duplicated


def frame_with_empty_rows(n_rows: int, empty: int) -> pd.DataFrame:
    frame = pd.DataFrame({"a": np.arange(n_rows, dtype="float64"), "b": np.arange(n_rows, dtype="float64")})
    frame.iloc[:empty] = np.nan
    return frame


def frame_with_duplicated_rows(n_rows: int, duplicated: int) -> pd.DataFrame:
    values = np.arange(n_rows, dtype="float64")
    values[1 : duplicated + 1] = values[0]
    return pd.DataFrame({"a": values, "b": values * 2})


@pytest.mark.parametrize(("count", "expected"), [(5, S), (6, F), (0, S)])
def test_empty_rows_scaled_by_row_ratio(count, expected):
    reference = frame_with_empty_rows(200, 20)
    assert status(TestNumberOfEmptyRows(), frame_with_empty_rows(50, count), reference) == expected


@pytest.mark.parametrize(("count", "expected"), [(5, S), (6, F), (0, S)])
def test_duplicated_rows_scaled_by_row_ratio(count, expected):
    reference = frame_with_duplicated_rows(200, 20)
    assert status(TestNumberOfDuplicatedRows(), frame_with_duplicated_rows(50, count), reference) == expected


def columns_frame(kind: str, count: int, total: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(count)
    frame = pd.DataFrame({f"c{i}": rng.normal(size=8) for i in range(total)})
    for i in range(count):
        frame[f"c{i}"] = np.nan if kind == "empty" else 1.0 + i
    return frame


@pytest.mark.parametrize(
    ("test_type", "kind"),
    [(TestNumberOfEmptyColumns, "empty"), (TestNumberOfConstantColumns, "constant")],
)
def test_counts_of_bad_columns_at_most_reference(test_type, kind):
    reference = columns_frame(kind, 10)  # at most 11
    assert status(test_type(), columns_frame(kind, 11), reference) == S
    assert status(test_type(), columns_frame(kind, 12), reference) == F
    assert status(test_type(), columns_frame(kind, 3), reference) == S
    assert status(test_type(), columns_frame(kind, 0)) == S
    assert status(test_type(), columns_frame(kind, 1)) == F


def test_duplicated_columns_at_most_reference():
    base = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0], "c": [7.0, 8.0, 9.0]})
    reference = base.assign(a2=base["a"])  # one duplicated pair
    assert status(TestNumberOfDuplicatedColumns(), reference, reference) == S
    assert status(TestNumberOfDuplicatedColumns(), base, reference) == S
    assert status(TestNumberOfDuplicatedColumns(), reference.assign(b2=base["b"]), reference) == F
    assert status(TestNumberOfDuplicatedColumns(), base) == S
    assert status(TestNumberOfDuplicatedColumns(), reference) == F


def test_all_constant_and_all_unique_values():
    assert status(TestColumnAllConstantValues(column_name="x"), col([1, 1, None])) == F
    assert status(TestColumnAllConstantValues(column_name="x"), col([1, 2, None])) == S
    assert status(TestColumnAllUniqueValues(column_name="x"), col([1, 2, None, None])) == S
    assert status(TestColumnAllUniqueValues(column_name="x"), col([1, 2, 2])) == F


# ---------------------------------------------------------------------------------- criticality


@pytest.mark.parametrize(
    "test",
    [
        TestNumberOfRows(is_critical=False),
        TestColumnValueMean(column_name="x", is_critical=False),
        TestMeanInNSigmas(column_name="x", is_critical=False),
        TestShareOfMissingValues(is_critical=False),
        TestValueRange(column_name="x", left=0, right=1, is_critical=False),
    ],
)
def test_non_critical_failures_are_warnings(test):
    current, reference = col([50.0, 60.0, np.nan]), col([1.0, 2.0, 3.0, 4.0])
    r = result(test, current, reference)
    assert r.status == TestStatus.WARNING
    assert r.is_passed()
    assert status(test.model_copy(update={"is_critical": True}), current, reference) == F


def test_non_critical_success_and_error_are_unchanged():
    assert status(TestNumberOfRows(is_critical=False, gt=0), col([1.0])) == S
    assert status(TestColumnValueMean(column_name="x", is_critical=False), col([1.0])) == E


def test_an_undefined_number_is_an_error_not_a_pass_or_fail():
    one, three = col([1.0]), col([1.0, 2.0, 4.0])
    r = result(TestColumnValueStd(column_name="x"), one, three)  # std of one value is NaN
    assert r.status == E
    assert "undefined (NaN) on current_data" in r.description
    assert r.parameters["value"] is None
    r = result(TestColumnValueStd(column_name="x"), three, one)
    assert r.status == E
    assert "undefined (NaN) on reference_data" in r.description
    assert "explicit condition" in r.description
    assert status(TestColumnValueStd(column_name="x", lt=5), three, one) == S
    empty = col([np.nan, np.nan])
    assert status(TestShareOfOutRangeValues(column_name="x", left=0, right=1), empty) == E
    r = result(TestMeanInNSigmas(column_name="x"), three, one)
    assert r.status == E
    assert "reference std" in r.description


def test_empty_and_duplicated_rows_without_reference_allow_none():
    assert status(TestNumberOfEmptyRows(), frame_with_empty_rows(10, 0)) == S
    assert status(TestNumberOfEmptyRows(), frame_with_empty_rows(10, 1)) == F
    assert status(TestNumberOfDuplicatedRows(), frame_with_duplicated_rows(10, 0)) == S
    assert status(TestNumberOfDuplicatedRows(), frame_with_duplicated_rows(10, 1)) == F

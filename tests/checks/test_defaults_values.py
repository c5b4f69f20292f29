"""Default conditions of the value-range, value-list and missing-value tests, at each boundary: counts
and shares of bad values one-sided ``lte`` reference (+10%, row counts scaled by the row ratio) or
``lte 0`` without reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow.checks import (
    TestColumnNumberOfDifferentMissingValues,
    TestColumnNumberOfMissingValues,
    TestColumnShareOfMissingValues,
    TestNumberOfColumnsWithMissingValues,
    TestNumberOfDifferentMissingValues,
    TestNumberOfMissingValues,
    TestNumberOfOutListValues,
    TestNumberOfOutRangeValues,
    TestNumberOfRowsWithMissingValues,
    TestShareOfColumnsWithMissingValues,
    TestShareOfMissingValues,
    TestShareOfOutListValues,
    TestShareOfOutRangeValues,
    TestShareOfRowsWithMissingValues,
    TestValueList,
    TestValueRange,
)
from tests.checks.defaults_helpers import E, F, S, col, result, status


def with_missing(n_rows: int, n_missing: int, extra_columns: int = 0) -> pd.DataFrame:
    """``n_rows`` rows, the first ``n_missing`` of column x missing."""
    x = np.arange(n_rows, dtype="float64")
    x[:n_missing] = np.nan
    frame = pd.DataFrame({"x": x})
    for i in range(extra_columns):
        frame[f"e{i}"] = np.arange(n_rows, dtype="float64") + i
    return frame


# -------------------------------------------------------------------- ranges and value lists


def test_out_of_range_bounds_default_to_reference_min_and_max():
    reference = col(np.linspace(0, 10, 11))
    inside = col([0.0, 5.0, 10.0, np.nan])
    outside = col([0.0, 5.0, 10.5])
    for test in (TestShareOfOutRangeValues(column_name="x"), TestNumberOfOutRangeValues(column_name="x")):
        assert status(test, inside, reference) == S
        assert status(test, outside, reference) == F
    assert status(TestValueRange(column_name="x"), inside, reference) == S
    r = result(TestValueRange(column_name="x"), col([-0.5, 5.0, 11.0]), reference)
    assert r.status == F
    assert r.parameters["value"] == 2


def test_out_of_range_default_is_zero_whatever_the_reference_share():
    # As Evidently: with no condition given the out-of-range tests expect none out of range,
    # even when the reference itself has values outside the bounds.
    reference = col(list(range(90)) + [1000] * 10)  # 10% above 100
    for test in (
        TestShareOfOutRangeValues(column_name="x", left=0, right=100),
        TestNumberOfOutRangeValues(column_name="x", left=0, right=100),
    ):
        assert status(test, col(list(range(89)) + [1000] * 11), reference) == F
        assert status(test, col(list(range(100))), reference) == S
    r = result(TestShareOfOutRangeValues(column_name="x", left=0, right=100), col([1.0, 1000.0]), reference)
    assert r.parameters["condition"] == {"eq": {"value": 0, "relative": 1e-06, "absolute": 1e-12}}


def test_out_of_range_without_reference():
    bounded = TestNumberOfOutRangeValues(column_name="x", left=0, right=10)
    assert status(bounded, col([0.0, 10.0])) == S
    assert status(bounded, col([0.0, 10.5])) == F
    r = result(TestShareOfOutRangeValues(column_name="x"), col([1.0]))
    assert r.status == E
    assert "left and right" in r.description


def test_out_of_list_defaults_to_reference_values_and_missing_values_are_out():
    # As Evidently: the list is the reference's distinct values, and a missing value in current is
    # counted out of the list (rows count includes it), whatever the list holds.
    reference = col(["a", "b", "c", None])
    for test in (
        TestShareOfOutListValues(column_name="x"),
        TestNumberOfOutListValues(column_name="x"),
        TestValueList(column_name="x"),
    ):
        assert status(test, col(["a", "c", "c"]), reference) == S
        assert status(test, col(["a", None, "c", np.nan]), reference) == F
        assert status(test, col(["a", "z"]), reference) == F
    r = result(TestNumberOfOutListValues(column_name="x"), col(["a", "z", "z", None]), reference)
    assert r.parameters["value"] == 3


def test_out_of_list_default_is_zero_whatever_the_reference_share():
    reference = col(["a"] * 90 + ["z"] * 10)
    for test in (
        TestShareOfOutListValues(column_name="x", values=["a"]),
        TestNumberOfOutListValues(column_name="x", values=["a"]),
    ):
        assert status(test, col(["a"] * 89 + ["z"] * 11), reference) == F
        assert status(test, col(["a"] * 100), reference) == S


def test_out_of_list_without_reference():
    assert status(TestValueList(column_name="x", values=["a"]), col(["a", "a"])) == S
    assert status(TestValueList(column_name="x", values=["a"]), col(["a", None])) == F
    assert status(TestValueList(column_name="x", values=["a"]), col(["a", "b"])) == F
    assert status(TestShareOfOutListValues(column_name="x"), col(["a"])) == E


def test_numeric_value_list():
    reference = col([1, 2, 3, 1, 2, 3])
    assert status(TestValueList(column_name="x"), col([1, 2, 2]), reference) == S
    assert status(TestValueList(column_name="x"), col([1, 2, 4]), reference) == F


# ---------------------------------------------------------------------------- missing values


@pytest.mark.parametrize("test_type", [TestNumberOfMissingValues, TestNumberOfRowsWithMissingValues])
@pytest.mark.parametrize(("missing", "expected"), [(5, S), (6, F), (0, S)])
def test_counts_of_missing_rows_are_scaled_by_row_ratio(test_type, missing, expected):
    reference = with_missing(200, 20)  # 20 per 200 rows -> 5 per 50, + 10% -> 5.5
    assert status(test_type(), with_missing(50, missing), reference) == expected


@pytest.mark.parametrize(("missing", "expected"), [(11, S), (12, F), (0, S)])
def test_column_number_of_missing_values_scaled(missing, expected):
    reference = with_missing(100, 10)
    assert (
        status(TestColumnNumberOfMissingValues(column_name="x"), with_missing(100, missing), reference)
        == expected
    )


@pytest.mark.parametrize(
    "test",
    [TestShareOfRowsWithMissingValues(), TestColumnShareOfMissingValues(column_name="x")],
)
@pytest.mark.parametrize(("missing", "expected"), [(22, S), (23, F), (0, S), (10, S)])
def test_shares_of_missing_are_at_most_reference_plus_ten_percent(test, missing, expected):
    reference = with_missing(100, 20)  # share 0.2 -> at most 0.22
    assert status(test, with_missing(100, missing), reference) == expected


def test_share_of_missing_values_over_all_cells():
    reference = with_missing(100, 20, extra_columns=1)  # 20 of 200 cells = 0.1
    assert status(TestShareOfMissingValues(), with_missing(100, 22, extra_columns=1), reference) == S
    assert status(TestShareOfMissingValues(), with_missing(100, 23, extra_columns=1), reference) == F


def test_columns_with_missing_values():
    reference = pd.DataFrame({"a": [np.nan, 1.0], "b": [np.nan, 1.0], "c": [1.0, 2.0], "d": [1.0, 2.0]})
    two = reference.copy()
    three = reference.assign(c=[np.nan, 1.0])
    one = reference.assign(b=[2.0, 1.0])
    assert status(TestNumberOfColumnsWithMissingValues(), two, reference) == S
    assert status(TestNumberOfColumnsWithMissingValues(), three, reference) == F  # 3 > 2.2
    assert status(TestNumberOfColumnsWithMissingValues(), one, reference) == S
    assert status(TestShareOfColumnsWithMissingValues(), two, reference) == S
    assert status(TestShareOfColumnsWithMissingValues(), three, reference) == F
    assert status(TestShareOfColumnsWithMissingValues(), one, reference) == S


def test_number_of_different_missing_values():
    reference = pd.DataFrame({"s": ["", "a", None], "f": [1.0, 2.0, 3.0]})  # "" and null
    same_kinds = pd.DataFrame({"s": ["", None, None], "f": [1.0, 2.0, 3.0]})
    more_kinds = pd.DataFrame({"s": ["", None, None], "f": [1.0, np.inf, 3.0]})
    fewer = pd.DataFrame({"s": ["b", "a", "c"], "f": [1.0, 2.0, 3.0]})
    for test in (
        TestNumberOfDifferentMissingValues(),
        TestColumnNumberOfDifferentMissingValues(column_name="s"),
    ):
        assert status(test, same_kinds, reference) == S
        assert status(test, fewer, reference) == S
    assert status(TestNumberOfDifferentMissingValues(), more_kinds, reference) == F
    assert status(TestColumnNumberOfDifferentMissingValues(column_name="f"), more_kinds, reference) == F


@pytest.mark.parametrize(
    "test",
    [
        TestNumberOfMissingValues(),
        TestShareOfMissingValues(),
        TestNumberOfColumnsWithMissingValues(),
        TestShareOfColumnsWithMissingValues(),
        TestNumberOfRowsWithMissingValues(),
        TestShareOfRowsWithMissingValues(),
        TestNumberOfDifferentMissingValues(),
        TestColumnNumberOfMissingValues(column_name="x"),
        TestColumnShareOfMissingValues(column_name="x"),
        TestColumnNumberOfDifferentMissingValues(column_name="x"),
    ],
)
def test_missing_value_tests_without_reference_allow_none(test):
    assert status(test, with_missing(10, 0)) == S
    assert status(test, with_missing(10, 1)) == F
    r = result(test, with_missing(10, 1))
    assert r.parameters["condition"] == {"lte": 0}


def test_missing_values_default_set_includes_empty_strings_and_infinities():
    assert status(TestNumberOfMissingValues(), col(["a", ""])) == F
    assert status(TestNumberOfMissingValues(), col([1.0, -np.inf])) == F
    assert status(TestNumberOfMissingValues(missing_values=["?"]), col([1.0, -np.inf])) == S
    assert status(TestNumberOfMissingValues(missing_values=["?"], replace=False), col(["?", "a"])) == F


def test_a_clean_reference_fails_a_single_missing_value():
    assert status(TestShareOfMissingValues(), with_missing(100, 1), with_missing(100, 0)) == F

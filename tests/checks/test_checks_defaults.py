"""Default conditions of every test, at each boundary: just inside and just outside the tolerance.

Rules (the issue's table): rows ``eq approx(ref, rel=0.1)`` / ``gt 30``; columns ``eq ref`` / ``gt 0``;
types equal to the reference; min ``gte ref``; max ``lte ref``; mean, median, std, quantile, unique count,
most-common share ``eq approx(ref, rel=0.1)``; mean within n reference sigmas; counts and shares of bad
things one-sided ``lte`` reference (+10%, row counts scaled by the row ratio) or ``lte 0`` without reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow import TestSuite
from monitorflow.checks import (
    TestCategoryCount,
    TestCategoryShare,
    TestColumnAllConstantValues,
    TestColumnAllUniqueValues,
    TestColumnNumberOfDifferentMissingValues,
    TestColumnNumberOfMissingValues,
    TestColumnQuantile,
    TestColumnShareOfMissingValues,
    TestColumnsType,
    TestColumnValueMax,
    TestColumnValueMean,
    TestColumnValueMedian,
    TestColumnValueMin,
    TestColumnValueStd,
    TestMeanInNSigmas,
    TestMostCommonValueShare,
    TestNumberOfColumns,
    TestNumberOfColumnsWithMissingValues,
    TestNumberOfConstantColumns,
    TestNumberOfDifferentMissingValues,
    TestNumberOfDuplicatedColumns,
    TestNumberOfDuplicatedRows,
    TestNumberOfEmptyColumns,
    TestNumberOfEmptyRows,
    TestNumberOfMissingValues,
    TestNumberOfOutListValues,
    TestNumberOfOutRangeValues,
    TestNumberOfRows,
    TestNumberOfRowsWithMissingValues,
    TestNumberOfUniqueValues,
    TestShareOfColumnsWithMissingValues,
    TestShareOfMissingValues,
    TestShareOfOutListValues,
    TestShareOfOutRangeValues,
    TestShareOfRowsWithMissingValues,
    TestStatus,
    TestUniqueValuesShare,
    TestValueList,
    TestValueRange,
)

S, F, E = TestStatus.SUCCESS, TestStatus.FAIL, TestStatus.ERROR


def result(test, current, reference=None):
    suite = TestSuite(tests=[test])
    suite.run(reference_data=reference, current_data=current)
    return suite.results[0]


def status(test, current, reference=None):
    return result(test, current, reference).status


def col(values, name="x") -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values)})


def with_missing(n_rows: int, n_missing: int, extra_columns: int = 0) -> pd.DataFrame:
    """``n_rows`` rows, the first ``n_missing`` of column x missing."""
    x = np.arange(n_rows, dtype="float64")
    x[:n_missing] = np.nan
    frame = pd.DataFrame({"x": x})
    for i in range(extra_columns):
        frame[f"e{i}"] = np.arange(n_rows, dtype="float64") + i
    return frame


# ------------------------------------------------------------------------------ dataset shape


@pytest.mark.parametrize(("n", "expected"), [(110, S), (111, F), (90, S), (89, F), (100, S)])
def test_number_of_rows_within_ten_percent_of_reference(n, expected):
    assert status(TestNumberOfRows(), col(range(n)), col(range(100))) == expected


@pytest.mark.parametrize(("n", "expected"), [(31, S), (30, F), (1, F)])
def test_number_of_rows_without_reference_is_more_than_30(n, expected):
    assert status(TestNumberOfRows(), col(range(n))) == expected


def test_number_of_rows_records_condition_and_reference():
    r = result(TestNumberOfRows(), col(range(105)), col(range(100)))
    assert r.parameters["value"] == 105
    assert r.parameters["reference_value"] == 100
    assert r.parameters["condition"] == {"eq": {"value": 100.0, "relative": 0.1, "absolute": 1e-12}}


def test_number_of_columns_equals_reference():
    reference = pd.DataFrame({"a": [1.0], "b": [2.0], "c": [3.0]})
    assert status(TestNumberOfColumns(), reference, reference) == S
    assert status(TestNumberOfColumns(), reference.assign(d=1.0), reference) == F
    assert status(TestNumberOfColumns(), reference[["a", "b"]], reference) == F
    assert status(TestNumberOfColumns(), reference) == S
    assert status(TestNumberOfColumns(), pd.DataFrame(index=range(3))) == F


def test_column_types_equal_to_the_reference():
    reference = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"], 3: [1, 2]})
    assert status(TestColumnsType(), reference.copy(), reference) == S
    changed = reference.assign(a=["1", "2"])
    r = result(TestColumnsType(), changed, reference)
    assert r.status == F
    assert "'a'" in r.description
    assert r.parameters["mismatched_columns"]["a"]["expected"] == "float64"
    assert {"column_name": "a", "actual_type": "object_", "expected_type": "float64"} in r.parameters[
        "columns"
    ]
    ints = reference.assign(**{"a": [1, 2]})
    assert status(TestColumnsType(), ints, reference) == F


def test_column_types_without_reference_needs_columns_type():
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    r = result(TestColumnsType(), frame)
    assert r.status == E
    assert "reference" in r.description and "columns_type" in r.description
    assert status(TestColumnsType(columns_type={"a": "float64"}), frame) == S
    assert status(TestColumnsType(columns_type={"a": "int64"}), frame) == F
    assert status(TestColumnsType(columns_type={"zz": "int64"}), frame) == F


# --------------------------------------------------------------------------- column statistics

REFERENCE = col([10.0, 12.0, 14.0, 16.0, 18.0, 20.0])  # min 10, max 20, mean 15, median 15


@pytest.mark.parametrize(("minimum", "expected"), [(10.0, S), (9.999, F), (15.0, S)])
def test_min_not_below_reference_min(minimum, expected):
    assert status(TestColumnValueMin(column_name="x"), col([minimum, 19.0]), REFERENCE) == expected


@pytest.mark.parametrize(("maximum", "expected"), [(20.0, S), (20.001, F), (12.0, S)])
def test_max_not_above_reference_max(maximum, expected):
    assert status(TestColumnValueMax(column_name="x"), col([11.0, maximum]), REFERENCE) == expected


@pytest.mark.parametrize(("mean", "expected"), [(15.0, S), (16.5, S), (16.51, F), (13.5, S), (13.49, F)])
def test_mean_within_ten_percent_of_reference(mean, expected):
    assert status(TestColumnValueMean(column_name="x"), col([mean - 1, mean + 1]), REFERENCE) == expected


@pytest.mark.parametrize(("median", "expected"), [(16.5, S), (16.51, F), (13.5, S), (13.49, F)])
def test_median_within_ten_percent_of_reference(median, expected):
    assert status(TestColumnValueMedian(column_name="x"), col([0.0, median, 100.0]), REFERENCE) == expected


@pytest.mark.parametrize(("factor", "expected"), [(1.0, S), (1.099, S), (1.101, F), (0.901, S), (0.899, F)])
def test_std_within_ten_percent_of_reference(factor, expected):
    reference = col([0.0, 2.0, 4.0])
    current = col([0.0, 2.0 * factor, 4.0 * factor])
    assert status(TestColumnValueStd(column_name="x"), current, reference) == expected


@pytest.mark.parametrize(("value", "expected"), [(13.2, S), (13.21, F), (10.8, S), (10.79, F)])
def test_quantile_within_ten_percent_of_reference(value, expected):
    reference = col([12.0, 12.0, 12.0, 12.0])  # 0.25-quantile 12: the window is [10.8, 13.2]
    current = col([value] * 3)
    assert status(TestColumnQuantile(column_name="x", quantile=0.25), current, reference) == expected


@pytest.mark.parametrize(("unique", "expected"), [(10, S), (11, S), (12, F), (9, S), (8, F)])
def test_number_of_unique_values_within_ten_percent_of_reference(unique, expected):
    reference = col([f"v{i}" for i in range(10)] * 2)
    current = col([f"w{i}" for i in range(unique)])
    assert status(TestNumberOfUniqueValues(column_name="x"), current, reference) == expected


def test_number_of_unique_values_without_reference_is_more_than_one():
    assert status(TestNumberOfUniqueValues(column_name="x"), col(["a", "b"])) == S
    assert status(TestNumberOfUniqueValues(column_name="x"), col(["a", "a"])) == F


def test_unique_values_share_within_ten_percent_of_reference():
    reference = col(["a", "b", "c", "d", "e"] * 2)  # share 0.5
    assert (
        status(TestUniqueValuesShare(column_name="x"), col(list("abcdefghijk") + ["a"] * 9), reference) == S
    )
    assert (
        status(TestUniqueValuesShare(column_name="x"), col(list("abcdefghijkl") + ["a"] * 8), reference) == F
    )
    assert status(TestUniqueValuesShare(column_name="x"), reference) == E


@pytest.mark.parametrize(("top", "expected"), [(50, S), (55, S), (56, F), (45, S), (44, F)])
def test_most_common_share_within_ten_percent_of_reference(top, expected):
    reference = col(["a"] * 50 + [f"r{i}" for i in range(50)])  # share 0.5
    current = col(["a"] * top + [f"c{i}" for i in range(100 - top)])
    assert status(TestMostCommonValueShare(column_name="x"), current, reference) == expected


def test_most_common_share_of_a_nearly_unique_column_is_judged_unrounded():
    """Deliberate (docs/evidently-compat.md): Evidently judges percentages rounded to 2 places, so a share of
    1/758 (0.13%) passes against 1/842 (0.12%) +- 10%; the exact shares are 10.5% apart, which fails."""
    reference = col([0, 0] + list(range(1, 841)))  # share 2/842
    current = col([0, 0] + list(range(1, 757)))  # share 2/758
    ref_share = reference.value_counts(normalize=True).max()
    cur_share = current.value_counts(normalize=True).max()
    assert abs(cur_share - ref_share) > 0.1 * ref_share  # exactly: outside the tolerance
    rounded_ref, rounded_cur = round(100 * ref_share, 2) / 100, round(100 * cur_share, 2) / 100
    assert abs(rounded_cur - rounded_ref) <= 0.1 * rounded_ref  # Evidently's rounded shares: inside
    assert status(TestMostCommonValueShare(column_name="x"), current, reference) == F


def test_most_common_share_without_reference_is_below_080():
    assert status(TestMostCommonValueShare(column_name="x"), col(["a"] * 79 + ["b"] * 21)) == S
    assert status(TestMostCommonValueShare(column_name="x"), col(["a"] * 80 + ["b"] * 20)) == F


@pytest.mark.parametrize("test_type", [TestColumnValueMin, TestColumnValueMax, TestColumnValueMean])
def test_min_max_mean_without_reference_are_errors_asking_for_one(test_type):
    r = result(test_type(column_name="x"), col([1.0, 2.0]))
    assert r.status == E
    assert "reference_data or an explicit condition" in r.description
    assert "'x'" in r.description


@pytest.mark.parametrize(
    "test",
    [
        TestColumnValueMedian(column_name="x"),
        TestColumnValueStd(column_name="x"),
        TestColumnQuantile(column_name="x", quantile=0.5),
        TestCategoryShare(column_name="x", category=1.0),
        TestCategoryCount(column_name="x", category=1.0),
    ],
)
def test_other_reference_only_statistics_are_errors_without_reference(test):
    r = result(test, col([1.0, 2.0]))
    assert r.status == E
    assert "reference" in r.description


def test_category_count_and_share_within_ten_percent_of_reference():
    reference = col(["a"] * 20 + ["b"] * 80)
    assert (
        status(TestCategoryCount(column_name="x", category="a"), col(["a"] * 22 + ["b"] * 10), reference) == S
    )
    assert (
        status(TestCategoryCount(column_name="x", category="a"), col(["a"] * 23 + ["b"] * 10), reference) == F
    )
    assert (
        status(TestCategoryShare(column_name="x", category="a"), col(["a"] * 22 + ["b"] * 78), reference) == S
    )
    assert (
        status(TestCategoryShare(column_name="x", category="a"), col(["a"] * 23 + ["b"] * 77), reference) == F
    )


# ----------------------------------------------------------------------------- mean in sigmas


@pytest.mark.parametrize("n_sigmas", [2, 3, 0.5])
def test_mean_in_n_sigmas_boundary(n_sigmas):
    reference = col([0.0, 2.0, 4.0, 6.0, 8.0])
    ref_mean, ref_std = reference["x"].mean(), reference["x"].std()
    test = TestMeanInNSigmas(column_name="x", n_sigmas=n_sigmas)
    for sign in (1, -1):
        inside = ref_mean + sign * (n_sigmas * ref_std - 1e-6)
        outside = ref_mean + sign * (n_sigmas * ref_std + 1e-6)
        assert status(test, col([inside - 1, inside + 1]), reference) == S
        assert status(test, col([outside - 1, outside + 1]), reference) == F


def test_mean_in_n_sigmas_defaults_to_two_and_needs_a_reference():
    assert TestMeanInNSigmas(column_name="x").n_sigmas == 2
    r = result(TestMeanInNSigmas(column_name="x"), col([1.0, 2.0]))
    assert r.status == E
    assert "reference" in r.description


def test_mean_in_n_sigmas_records_values():
    reference = col([0.0, 2.0, 4.0])
    r = result(TestMeanInNSigmas(column_name="x"), col([3.0, 5.0]), reference)
    assert r.parameters["value"] == 4.0
    assert r.parameters["reference_mean"] == 2.0
    assert r.parameters["reference_std"] == pytest.approx(2.0)
    assert r.status == S  # |4 - 2| < 2 * 2


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

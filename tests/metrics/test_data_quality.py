"""Value range, value list, quantile and category metrics against pandas, with and without reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow import Report
from monitorflow.column_stats import HISTOGRAM_BINS
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, MonitoringError
from monitorflow.metrics import (
    ColumnCategoryMetric,
    ColumnQuantileMetric,
    ColumnValueListMetric,
    ColumnValueRangeMetric,
)
from tests.metrics.metric_runs import run_metric


def numbers(seed: int, n: int, loc: float = 50.0, scale: float = 10.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(loc, scale, n)
    x[rng.random(n) < 0.08] = np.nan
    x[3] = np.inf
    x[4] = -np.inf
    colour = rng.choice(["red", "green", "blue"], n).astype(object)
    colour[rng.random(n) < 0.1] = None
    return pd.DataFrame({"x": x, "colour": colour, 5: rng.integers(0, 3, n)})


def finite(series: pd.Series) -> pd.Series:
    values = series.astype("float64")
    return values[np.isfinite(values)]


# ---------------------------------------------------------------------------- value range


def test_value_range_with_explicit_bounds_counts_non_missing_values_inclusive():
    frame = numbers(0, 500)
    metric = ColumnValueRangeMetric(column_name="x", left=45.0, right=60.0)
    result = run_metric(metric, frame)
    values = frame["x"].dropna()
    inside = int(values.between(45.0, 60.0, inclusive="both").sum())
    assert (result.left, result.right) == (45.0, 60.0)
    assert result.current.number_in_range == inside
    assert result.current.number_of_values == len(values)
    assert result.current.number_not_in_range == len(values) - inside
    assert result.current.share_in_range == pytest.approx(inside / len(values))
    assert result.current.share_not_in_range == pytest.approx(1 - inside / len(values))
    assert result.reference is None


def test_value_range_bounds_are_inclusive():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, np.nan]})
    result = run_metric(ColumnValueRangeMetric("x", left=2.0, right=4.0), frame)
    assert result.current.number_in_range == 3
    assert result.current.number_not_in_range == 1  # 1.0; NaN is neither


def test_value_range_bounds_default_to_the_reference_min_and_max():
    current = numbers(1, 400, loc=55)
    reference = numbers(2, 300)
    result = run_metric(ColumnValueRangeMetric(column_name="x"), current, reference)
    ref_values = finite(reference["x"])
    left, right = ref_values.min(), ref_values.max()
    assert result.left == left
    assert result.right == right
    for side, frame in (("current", current), ("reference", reference)):
        values = frame["x"].dropna()
        inside = int(values.between(left, right).sum())
        got = getattr(result, side)
        assert got.number_in_range == inside
        assert got.number_not_in_range == len(values) - inside
    # the reference's own infinities are outside its finite range
    assert result.reference.number_not_in_range == 2


def test_value_range_one_explicit_bound_and_the_other_from_reference():
    current = numbers(3, 200)
    reference = numbers(4, 200)
    result = run_metric(ColumnValueRangeMetric(column_name="x", left=40.0), current, reference)
    assert result.left == 40.0
    assert result.right == finite(reference["x"]).max()


def test_value_range_without_bounds_or_reference_is_an_error_naming_the_fix():
    frame = numbers(5, 50)
    report = Report(metrics=[ColumnValueRangeMetric(column_name="x")])
    report.run(current_data=frame)
    entry = report.as_dict()["metrics"][0]
    assert "left and right" in entry["error"]
    assert "reference_data" in entry["error"]
    with pytest.raises(MonitoringError):
        report.result(ColumnValueRangeMetric(column_name="x"))


def test_value_range_distribution_is_a_numpy_histogram():
    current = numbers(6, 500)
    reference = numbers(7, 500, loc=40)
    result = run_metric(ColumnValueRangeMetric(column_name="x", left=0, right=100), current, reference)
    both = np.concatenate([finite(current["x"]), finite(reference["x"])])
    edges = np.histogram_bin_edges(both, bins=HISTOGRAM_BINS)
    np.testing.assert_allclose(result.distribution.edges, edges)
    assert result.distribution.current == np.histogram(finite(current["x"]), bins=edges)[0].tolist()
    assert result.distribution.reference == np.histogram(finite(reference["x"]), bins=edges)[0].tolist()


# ----------------------------------------------------------------------------- value list


def test_value_list_with_explicit_values_counts_missing_values_out_of_the_list():
    # As Evidently: shares are of all rows, and a missing value is never in the list.
    frame = numbers(10, 400)
    allowed = ["red", "green"]
    result = run_metric(ColumnValueListMetric(column_name="colour", values=allowed), frame)
    values = frame["colour"].dropna()
    rows = len(frame)
    n_in = int(values.isin(allowed).sum())
    cur = result.current
    assert cur.number_in_list == n_in
    assert (
        cur.number_not_in_list
        == rows - n_in
        == int((values == "blue").sum()) + int(frame["colour"].isna().sum())
    )
    assert cur.rows_count == rows
    assert cur.share_in_list == pytest.approx(n_in / rows)
    assert cur.share_not_in_list == pytest.approx(1 - n_in / rows)
    assert cur.values_in_list == {k: int(v) for k, v in values[values.isin(allowed)].value_counts().items()}
    assert cur.values_not_in_list == {"blue": int((values == "blue").sum())}  # missing values not listed
    assert result.values == allowed


def test_value_list_defaults_to_the_reference_values():
    reference = pd.DataFrame({"c": ["a", "b", "b", None, "c"]})
    current = pd.DataFrame({"c": ["a", "d", None, None, "e", "e", "b"]})
    result = run_metric(ColumnValueListMetric(column_name="c"), current, reference)
    # Evidently's unique(): in order of appearance, the missing value too (null in JSON)
    assert result.values[:2] + result.values[3:] == ["a", "b", "c"] and pd.isna(result.values[2])
    assert result.current.number_in_list == 2
    assert result.current.number_not_in_list == 5
    assert result.current.values_not_in_list == {"e": 2, "d": 1}
    assert result.reference.number_not_in_list == 1
    assert result.reference.number_in_list == 4


def test_value_list_of_numeric_and_integer_named_columns():
    frame = numbers(11, 300)
    result = run_metric(ColumnValueListMetric(column_name=5, values=[0, 1]), frame)
    series = frame[5]
    assert result.column_name == 5
    assert result.current.number_in_list == int(series.isin([0, 1]).sum())
    assert result.current.number_not_in_list == int((series == 2).sum())


def test_value_list_without_values_or_reference_is_an_error():
    report = Report(metrics=[ColumnValueListMetric(column_name="colour")])
    report.run(current_data=numbers(12, 20))
    assert "values=" in report.as_dict()["metrics"][0]["error"]


# -------------------------------------------------------------------------------- quantile


@pytest.mark.parametrize("q", [0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
def test_quantile_matches_pandas_over_finite_values(q):
    current = numbers(20, 333)
    reference = numbers(21, 444, loc=70)
    result = run_metric(ColumnQuantileMetric(column_name="x", quantile=q), current, reference)
    assert result.quantile == q
    assert result.current.value == pytest.approx(finite(current["x"]).quantile(q), rel=1e-12)
    assert result.reference.value == pytest.approx(finite(reference["x"]).quantile(q), rel=1e-12)
    alone = run_metric(ColumnQuantileMetric(column_name="x", quantile=q), current)
    assert alone.reference is None
    assert alone.current.value == pytest.approx(finite(current["x"]).quantile(q), rel=1e-12)


def test_quantile_outside_zero_one_is_a_configuration_error():
    with pytest.raises(MonitoringError, match="quantile"):
        ColumnQuantileMetric(column_name="x", quantile=1.5)


def test_quantile_of_an_all_missing_column_is_nan_and_serialises_as_null():
    frame = pd.DataFrame({"x": [np.nan, np.nan]})
    report = Report(metrics=[ColumnQuantileMetric(column_name="x", quantile=0.5)])
    report.run(current_data=frame)
    assert np.isnan(report.result(ColumnQuantileMetric(column_name="x", quantile=0.5)).current.value)
    assert '"value": null' in report.json()


# -------------------------------------------------------------------------------- category


def test_category_count_and_share_against_pandas():
    current = numbers(30, 500)
    reference = numbers(31, 300)
    result = run_metric(ColumnCategoryMetric(column_name="colour", category="red"), current, reference)
    for side, frame in (("current", current), ("reference", reference)):
        got = getattr(result, side)
        assert got.all_num == len(frame)
        assert got.category_num == int((frame["colour"] == "red").sum())
        assert got.category_ratio == pytest.approx((frame["colour"] == "red").sum() / len(frame))
    assert result.category == "red"


def test_category_of_an_integer_column_and_an_absent_category():
    frame = numbers(32, 100)
    result = run_metric(ColumnCategoryMetric(column_name=5, category=2), frame)
    assert result.current.category_num == int((frame[5] == 2).sum())
    absent = run_metric(ColumnCategoryMetric(column_name="colour", category="violet"), frame)
    assert absent.current.category_num == 0
    assert absent.current.category_ratio == 0.0
    assert absent.reference is None


def test_metric_on_an_absent_column_names_it_and_the_available_columns():
    report = Report(metrics=[ColumnQuantileMetric(column_name="nope", quantile=0.5)])
    with pytest.raises(ColumnNotFoundError) as info:
        report.run(current_data=numbers(33, 10))
    message = str(info.value)
    assert info.value.column == "nope"
    assert "'nope'" in message and "ColumnQuantileMetric" in message
    assert "'x'" in message and "'colour'" in message


def test_metric_on_a_column_only_in_current_says_reference_lacks_it():
    current = pd.DataFrame({"x": [1.0, 2.0], "new": [1.0, 2.0]})
    reference = pd.DataFrame({"x": [1.0, 3.0]})
    with pytest.raises(ColumnNotFoundError, match="reference_data"):
        Report(metrics=[ColumnQuantileMetric(column_name="new", quantile=0.5)]).run(
            current_data=current, reference_data=reference
        )


@pytest.mark.parametrize(
    ("values", "example"),
    [
        (["a", "b", "c"], "'a'"),
        (pd.Series([1, "x", 2.5], dtype=object), "'x'"),
        (pd.to_datetime(["2024-01-01", None, "2024-01-03"]), "2024-01-01"),
    ],
)
def test_numerical_metric_on_a_non_numerical_column_names_column_and_value(values, example):
    frame = pd.DataFrame({"c": values})
    with pytest.raises(ColumnTypeError) as info:
        Report(metrics=[ColumnQuantileMetric(column_name="c", quantile=0.5)]).run(current_data=frame)
    assert info.value.column == "c"
    assert example in str(info.value)
    assert "numerical" in str(info.value)


def test_numerical_metric_on_a_small_integer_column_works():
    frame = pd.DataFrame({"i": [1, 2, 2, 3]})  # categorical by type, but numbers
    result = run_metric(ColumnQuantileMetric(column_name="i", quantile=0.5), frame)
    assert result.current.value == 2.0

"""ColumnSummaryMetric against pandas/numpy: numerical, categorical, datetime and text columns, integer
column names, degenerate columns."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping
from monitorflow.column_stats import HISTOGRAM_BINS, TOP_CATEGORIES
from monitorflow.metrics import ColumnSummaryMetric
from tests.metrics.integrity_frames import make_frame
from tests.metrics.metric_runs import run_metric


def finite(series: pd.Series) -> pd.Series:
    values = series.astype("float64")
    return values[np.isfinite(values)]


def same(a, b) -> bool:
    """Equal, with NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if a is None or b is None:
        return a is b
    return a == pytest.approx(b, rel=1e-12, abs=1e-12)


# ----------------------------------------------------------------------------- ColumnSummary


def expected_numeric(series: pd.Series) -> dict:
    n = len(series)
    values = finite(series)
    counts = series.value_counts(dropna=True)
    top = counts.max()
    most_common = min(counts[counts == top].index)
    if series.isna().sum() > top:  # as Evidently: missing values count as one value, winning only when more
        most_common, top = None, series.isna().sum()
    return {
        "number_of_rows": n,
        "count": int(series.notna().sum()),
        "missing": int(series.isna().sum()),
        "missing_percentage": 100 * series.isna().sum() / n,
        "mean": values.mean(),
        "std": values.std(ddof=1),
        "min": values.min(),
        "p25": values.quantile(0.25),
        "p50": values.quantile(0.5),
        "p75": values.quantile(0.75),
        "max": values.max(),
        "unique": int(series.nunique()),
        "unique_percentage": 100 * series.nunique() / n,
        "infinite_count": int(np.isinf(series.astype("float64")).sum()),
        "infinite_percentage": 100 * np.isinf(series.astype("float64")).sum() / n,
        "most_common": most_common,
        "most_common_percentage": 100 * top / n,
    }


def assert_characteristics(actual, expected: dict) -> None:
    dumped = actual.model_dump()
    for key, value in expected.items():
        assert same(dumped[key], value), (key, dumped[key], value)


@pytest.mark.parametrize("with_reference", [False, True])
def test_numeric_column_summary_matches_pandas(with_reference):
    current = make_frame(10, 500)
    reference = make_frame(11, 700) if with_reference else None
    result = run_metric(ColumnSummaryMetric(column_name="num"), current, reference)
    assert result.column_type == "num"
    assert_characteristics(result.current_characteristics, expected_numeric(current["num"]))
    if with_reference:
        assert_characteristics(result.reference_characteristics, expected_numeric(reference["num"]))
    else:
        assert result.reference_characteristics is None


def test_numeric_most_common_counts_infinities_and_breaks_ties_to_the_smallest_value():
    series = pd.Series([np.inf, np.inf, np.inf, 5.0, 5.0, 2.0, 2.0, np.nan, np.nan, np.nan])
    c = run_metric(ColumnSummaryMetric(column_name="x"), pd.DataFrame({"x": series})).current_characteristics
    assert c.most_common == np.inf  # 3 infinities against 3 missing values: a tie, the value wins
    more_missing = pd.DataFrame({"x": [*series, np.nan]})
    c_missing = run_metric(ColumnSummaryMetric(column_name="x"), more_missing).current_characteristics
    assert c_missing.most_common is None and c_missing.most_common_percentage == pytest.approx(100 * 4 / 11)
    assert c.unique == series.nunique() == 3
    assert c.infinite_count == 3
    tie = pd.Series([5.0, 5.0, 2.0, 2.0, 9.0, 1.5, 0.5])
    c = run_metric(ColumnSummaryMetric(column_name="x"), pd.DataFrame({"x": tie})).current_characteristics
    assert c.most_common == 2.0  # Evidently takes the first seen (5.0): see docs/evidently-compat.md, ties
    assert c.most_common_percentage == pytest.approx(100 * 2 / 7)


def test_numeric_histogram_matches_numpy_on_shared_edges():
    current = make_frame(12, 600)
    reference = make_frame(13, 800)
    reference["num"] = reference["num"] * 2 - 5
    result = run_metric(ColumnSummaryMetric(column_name="num"), current, reference)
    hist = result.plot_data.histogram
    both = np.concatenate([finite(current["num"]).to_numpy(), finite(reference["num"]).to_numpy()])
    edges = np.histogram_bin_edges(both, bins=HISTOGRAM_BINS)
    assert len(hist.edges) == HISTOGRAM_BINS + 1
    np.testing.assert_allclose(hist.edges, edges, rtol=1e-12)
    assert hist.current == np.histogram(finite(current["num"]), bins=edges)[0].tolist()
    assert hist.reference == np.histogram(finite(reference["num"]), bins=edges)[0].tolist()
    assert sum(hist.current) == len(finite(current["num"]))


def test_histogram_of_a_constant_column_has_one_filled_bin():
    frame = pd.DataFrame({"x": [3.5] * 10})
    hist = run_metric(ColumnSummaryMetric(column_name="x"), frame).plot_data.histogram
    assert sum(hist.current) == 10
    assert hist.edges[0] <= 3.5 <= hist.edges[-1]


@pytest.mark.parametrize("with_reference", [False, True])
def test_categorical_column_summary_matches_pandas(with_reference):
    current = make_frame(20, 500)
    reference = make_frame(21, 400) if with_reference else None
    if with_reference:
        current.loc[:5, "cat"] = "purple"  # new in current
        reference.loc[:5, "cat"] = "black"  # unused in current
        reference.loc[6:8, "cat"] = "white"
    result = run_metric(ColumnSummaryMetric(column_name="cat"), current, reference)
    assert result.column_type == "cat"
    c = result.current_characteristics
    series = current["cat"]
    n = len(series)
    counts = series.value_counts()
    assert c.number_of_rows == n
    assert c.count == int(series.notna().sum())
    assert c.missing == int(series.isna().sum())
    assert c.missing_percentage == pytest.approx(100 * series.isna().sum() / n)
    assert c.unique == series.nunique()
    assert c.most_common == counts.index[0]
    assert c.most_common_percentage == pytest.approx(100 * counts.iloc[0] / n)
    if with_reference:
        cur, ref = set(series.dropna()), set(reference["cat"].dropna())
        assert c.new_in_current_values_count == len(cur - ref) == 1
        assert c.unused_in_current_values_count == len(ref - cur) == 2
        assert result.reference_characteristics.unique == reference["cat"].nunique()
    else:
        assert c.new_in_current_values_count is None
        assert c.unused_in_current_values_count is None


def test_small_integer_column_is_summarised_as_categorical():
    frame = make_frame(22, 200)
    result = run_metric(ColumnSummaryMetric(column_name="small_int"), frame)
    assert result.column_type == "cat"
    assert result.current_characteristics.unique == frame["small_int"].nunique()
    counts = frame["small_int"].value_counts()
    assert result.plot_data.current_counts.values == counts.index.tolist()
    assert result.plot_data.current_counts.counts == counts.tolist()


def test_stored_value_counts_are_capped_top_k_plus_other():
    n_categories = TOP_CATEGORIES + 15
    # category k appears k + 1 times: distinct counts, so the top-k order is unambiguous
    values = [f"c{k:02d}" for k in range(n_categories) for _ in range(k + 1)]
    frame = pd.DataFrame({"c": values})
    result = run_metric(ColumnSummaryMetric(column_name="c"), frame, frame.iloc[::2])
    counts = frame["c"].value_counts()
    stored = result.plot_data.current_counts
    assert len(stored.values) == TOP_CATEGORIES
    assert stored.values == counts.index[:TOP_CATEGORIES].tolist()
    assert stored.counts == counts.iloc[:TOP_CATEGORIES].tolist()
    assert stored.other == int(counts.iloc[TOP_CATEGORIES:].sum())
    assert sum(stored.counts) + stored.other == len(frame)
    assert len(result.plot_data.reference_counts.values) == TOP_CATEGORIES


def test_datetime_column_summary_first_and_last():
    frame = make_frame(23, 300)
    reference = make_frame(24, 100)
    result = run_metric(ColumnSummaryMetric(column_name="when"), frame, reference)
    assert result.column_type == "datetime"
    c = result.current_characteristics
    assert c.first == frame["when"].min().isoformat()
    assert c.last == frame["when"].max().isoformat()
    assert c.missing == int(frame["when"].isna().sum())
    assert c.unique == frame["when"].nunique()
    assert result.reference_characteristics.last == reference["when"].max().isoformat()


def test_text_column_summary_lengths():
    texts = pd.Series(["hello world", "a", None, "12 ab!", "", "naïve café"], dtype=object)
    frame = pd.DataFrame({"t": texts})
    result = run_metric(
        ColumnSummaryMetric(column_name="t"), frame, mapping=ColumnMapping(text_features=["t"])
    )
    assert result.column_type == "text"
    c = result.current_characteristics
    lengths = texts.dropna().str.len()
    assert c.text_length_min == lengths.min()
    assert c.text_length_max == lengths.max()
    assert c.text_length_mean == pytest.approx(lengths.mean())
    assert c.missing == 1


def test_column_summary_with_integer_column_name():
    frame = pd.DataFrame({0: [1.0, 2.0, 4.0, np.nan], 1: ["a", "b", "a", "a"]})
    result = run_metric(ColumnSummaryMetric(column_name=0), frame, frame)
    assert result.column_name == 0
    assert result.current_characteristics.mean == pytest.approx(frame[0].mean())
    cat = run_metric(ColumnSummaryMetric(1), frame)
    assert cat.current_characteristics.most_common == "a"


@pytest.mark.parametrize(
    "values",
    [
        [np.nan, np.nan, np.nan],
        [np.inf, -np.inf, np.nan],
        [4.0],
        [5.0, 5.0, 5.0],
    ],
)
def test_degenerate_numeric_columns_give_counts_not_errors(values):
    frame = pd.DataFrame({"x": pd.Series(values, dtype="float64")})
    c = run_metric(ColumnSummaryMetric(column_name="x"), frame, frame).current_characteristics
    series = frame["x"]
    assert c.missing == int(series.isna().sum())
    assert c.infinite_count == int(np.isinf(series).sum())
    assert c.unique == series.nunique()
    fin = finite(series)
    assert same(c.mean, fin.mean() if len(fin) else math.nan)
    assert same(c.std, fin.std() if len(fin) > 1 else math.nan)


def test_all_missing_categorical_column():
    frame = pd.DataFrame({"c": pd.Series([None, None], dtype=object)})
    c = run_metric(ColumnSummaryMetric(column_name="c"), frame).current_characteristics
    assert c.missing == 2
    assert c.unique == 0
    assert c.most_common is None

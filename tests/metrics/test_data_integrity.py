"""Data-integrity metrics against numbers computed here with pandas/numpy.

DatasetSummaryMetric, ColumnSummaryMetric, DatasetMissingValuesMetric, ColumnMissingValuesMetric;
with and without reference, with integer column names, on degenerate columns.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report
from monitorflow.column_stats import HISTOGRAM_BINS, TOP_CATEGORIES
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import (
    ColumnMissingValuesMetric,
    ColumnSummaryMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
)
from tests.metrics.metric_runs import run_metric

# ----------------------------------------------------------------------------------- helpers


def make_frame(seed: int, n: int = 400) -> pd.DataFrame:
    """Mixed dtypes with NaN, +-inf, empty strings, duplicated and almost duplicated columns."""
    rng = np.random.default_rng(seed)
    num = rng.normal(10, 3, n)
    num[rng.random(n) < 0.1] = np.nan
    num[0], num[1], num[2] = np.inf, -np.inf, np.inf
    big_int = rng.integers(0, 1000, n)
    near_copy = big_int.copy()
    near_copy[: max(1, n // 50)] += 1  # 2% of rows differ: almost duplicated (>= 95% equal)
    cat = rng.choice(["red", "green", "blue", ""], n, p=[0.5, 0.3, 0.15, 0.05]).astype(object)
    cat[rng.random(n) < 0.05] = None
    times = pd.Series(pd.date_range("2024-01-01", periods=n, freq="h"))
    times[rng.random(n) < 0.05] = pd.NaT
    return pd.DataFrame(
        {
            "num": num,
            "num_copy": num.copy(),
            "big_int": big_int,
            "near_copy": near_copy,
            "small_int": rng.integers(0, 4, n),
            "cat": cat,
            "flag": rng.random(n) < 0.3,
            "const": np.full(n, 7.0),
            "almost_const": np.where(np.arange(n) < max(1, n // 100), 1, 0) + 3,
            "when": times,
            "empty": np.full(n, np.nan),
        }
    )


def pandas_almost_duplicated_pairs(frame: pd.DataFrame, threshold: float) -> int:
    """Pairs of same-dtype columns whose ``Series.eq`` share is at least ``threshold``."""
    pairs = 0
    for a, b in combinations(frame.columns, 2):
        if frame[a].dtype.name != frame[b].dtype.name:
            continue
        if frame[a].eq(frame[b]).sum() / len(frame) >= threshold:
            pairs += 1
    return pairs


def pandas_duplicated_pairs(frame: pd.DataFrame) -> int:
    return sum(1 for a, b in combinations(frame.columns, 2) if frame[a].equals(frame[b]))


def pandas_almost_constant(frame: pd.DataFrame, threshold: float) -> int:
    count = 0
    for column in frame.columns:
        counts = frame[column].value_counts()
        if len(counts) and counts.max() / len(frame) >= threshold:
            count += 1
    return count


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


# ---------------------------------------------------------------------------- DatasetSummary


@pytest.mark.parametrize("seed", [0, 1])
def test_dataset_summary_counts_match_pandas(seed):
    frame = make_frame(seed)
    result = run_metric(DatasetSummaryMetric(), frame)
    s = result.current
    assert result.reference is None
    assert s.number_of_rows == len(frame)
    assert s.number_of_columns == frame.shape[1]
    assert s.number_of_missing_values == int(frame.isna().sum().sum())
    assert s.number_of_constant_columns == int((frame.nunique() <= 1).sum())
    assert s.number_of_almost_constant_columns == pandas_almost_constant(frame, 0.95)
    assert s.number_of_duplicated_columns == pandas_duplicated_pairs(frame)
    assert s.number_of_almost_duplicated_columns == pandas_almost_duplicated_pairs(frame, 0.95)
    assert s.number_of_empty_columns == int(frame.isna().all().sum())
    assert s.number_of_empty_rows == int(frame.isna().all(axis=1).sum())
    assert s.number_of_duplicated_rows == int(frame.duplicated().sum())
    assert s.nans_by_columns == {str(c): int(v) for c, v in frame.isna().sum().items()}
    assert s.number_uniques_by_columns == {str(c): int(v) for c, v in frame.nunique().items()}
    assert s.columns_type_data == {str(c): str(t) for c, t in frame.dtypes.items()}
    # the designed frame: duplicates and near duplicates exist, so the counts are not trivially 0
    assert s.number_of_duplicated_columns >= 1
    assert s.number_of_almost_duplicated_columns >= 1  # big_int ~ near_copy (num has NaN: eq fails there)
    assert s.number_of_constant_columns >= 2


def test_dataset_summary_type_counts_follow_the_inference_rule():
    frame = make_frame(3)
    s = run_metric(DatasetSummaryMetric(), frame).current
    # As Evidently's DatasetSummaryMetric (its process_columns typing, monitorflow.dataset_columns):
    # every numeric dtype counts as numerical, whatever its number of values (the per-column
    # inference rule of column_mapping does not apply here); bool and object columns are categorical.
    assert s.number_of_numeric_columns == 8
    assert s.number_of_categorical_columns == 2  # cat, flag
    assert s.number_of_datetime_columns == 1
    assert s.number_of_text_columns == 0
    text = run_metric(DatasetSummaryMetric(), frame, mapping=ColumnMapping(text_features=["cat"])).current
    assert text.number_of_text_columns == 1
    assert text.number_of_categorical_columns == 1


def test_dataset_summary_rows_empty_duplicated_and_three_equal_columns():
    frame = pd.DataFrame(
        {
            "a": [1.0, np.nan, 1.0, np.nan, 2.0],
            "b": [1.0, np.nan, 1.0, np.nan, 2.0],
            "c": [1.0, np.nan, 1.0, np.nan, 2.0],
            "d": ["x", None, "x", None, "y"],
        }
    )
    s = run_metric(DatasetSummaryMetric(), frame).current
    assert s.number_of_empty_rows == int(frame.isna().all(axis=1).sum()) == 2
    assert s.number_of_duplicated_rows == int(frame.duplicated().sum()) == 2
    # a, b and c are pairwise equal: 3 pairs
    assert s.number_of_duplicated_columns == pandas_duplicated_pairs(frame) == 3
    assert s.number_of_almost_duplicated_columns == pandas_almost_duplicated_pairs(frame, 0.95)


def test_dataset_summary_thresholds_are_parameters():
    n = 100
    frame = pd.DataFrame(
        {"a": np.arange(n) % 7, "b": (np.arange(n) % 7), "c": np.r_[np.zeros(90), np.arange(10)]}
    )
    frame.loc[:14, "b"] = -1  # 85% equal
    for threshold in (0.8, 0.85, 0.86, 0.95):
        result = run_metric(
            DatasetSummaryMetric(almost_duplicated_threshold=threshold, almost_constant_threshold=threshold),
            frame,
        )
        assert result.almost_duplicated_threshold == threshold
        assert result.current.number_of_almost_duplicated_columns == pandas_almost_duplicated_pairs(
            frame, threshold
        )
        assert result.current.number_of_almost_constant_columns == pandas_almost_constant(frame, threshold)


def test_dataset_summary_with_reference_and_integer_column_names():
    current = make_frame(4, 300)
    reference = make_frame(5, 500)
    current.columns = range(current.shape[1])
    reference.columns = range(reference.shape[1])
    result = run_metric(DatasetSummaryMetric(), current, reference)
    for side, frame in (("current", current), ("reference", reference)):
        s = getattr(result, side)
        assert s.number_of_rows == len(frame)
        assert s.number_of_missing_values == int(frame.isna().sum().sum())
        assert s.number_of_duplicated_columns == pandas_duplicated_pairs(frame)
        assert s.number_of_almost_duplicated_columns == pandas_almost_duplicated_pairs(frame, 0.95)
        assert s.nans_by_columns == {str(c): int(v) for c, v in frame.isna().sum().items()}
        assert s.number_uniques_by_columns == {str(c): int(v) for c, v in frame.nunique().items()}


def test_dataset_summary_reports_columns_only_in_one_dataset():
    current = pd.DataFrame({"a": [1.0, 2.0], "only_cur": ["x", "y"]})
    reference = pd.DataFrame({"a": [1.0, 3.0], "only_ref": [1, 2]})
    result = run_metric(DatasetSummaryMetric(), current, reference)
    assert result.current.columns_only_in_this_dataset == ["only_cur"]
    assert result.reference.columns_only_in_this_dataset == ["only_ref"]
    assert result.current.number_of_columns == 2


def test_almost_duplicated_uses_series_eq_where_nan_never_equals_nan():
    n = 40
    floats = pd.DataFrame({"f1": np.full(n, np.nan), "f2": np.full(n, np.nan)})
    s = run_metric(DatasetSummaryMetric(), floats).current
    assert s.number_of_almost_duplicated_columns == pandas_almost_duplicated_pairs(floats, 0.95) == 0
    assert s.number_of_duplicated_columns == pandas_duplicated_pairs(floats) == 1  # equals: NaN == NaN
    mixed = pd.DataFrame(
        {
            "o1": pd.Series([None] * n, dtype=object),
            "o2": pd.Series([None] * n, dtype=object),
            "s1": pd.Series(["a", None] * (n // 2)),
            "s2": pd.Series(["a", None] * (n // 2)),
        }
    )
    s = run_metric(DatasetSummaryMetric(), mixed).current
    assert s.number_of_almost_duplicated_columns == pandas_almost_duplicated_pairs(mixed, 0.95)
    assert s.number_of_duplicated_columns == pandas_duplicated_pairs(mixed)


def test_columns_of_different_dtype_are_never_duplicated():
    frame = pd.DataFrame({"i": [1, 2, 3, 4, 5, 6], "f": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    s = run_metric(DatasetSummaryMetric(), frame).current
    assert s.number_of_duplicated_columns == 0
    assert s.number_of_almost_duplicated_columns == 0


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


# ----------------------------------------------------------------------------- missing values

DEFAULT_SET = ["", np.inf, -np.inf]


def pandas_missing_mask(frame: pd.DataFrame, values=None, include_pandas_missing=True) -> pd.DataFrame:
    values = DEFAULT_SET if values is None else values
    mask = frame.isin(values)
    if include_pandas_missing:
        mask |= frame.isna()
    return mask


@pytest.mark.parametrize("with_reference", [False, True])
def test_dataset_missing_values_default_set(with_reference):
    current = make_frame(30, 300)
    reference = make_frame(31, 200) if with_reference else None
    result = run_metric(DatasetMissingValuesMetric(), current, reference)
    sides = [("current", current)] + ([("reference", reference)] if with_reference else [])
    for side, frame in sides:
        m = getattr(result, side)
        mask = pandas_missing_mask(frame)
        n_rows, n_cols = frame.shape
        assert m.number_of_missing_values == int(mask.sum().sum())
        assert m.share_of_missing_values == pytest.approx(mask.sum().sum() / (n_rows * n_cols))
        assert m.number_of_missing_values_by_column == {str(c): int(v) for c, v in mask.sum().items()}
        assert m.share_of_missing_values_by_column == pytest.approx(
            {str(c): v / n_rows for c, v in mask.sum().items()}
        )
        assert m.number_of_rows_with_missing_values == int(mask.any(axis=1).sum())
        assert m.share_of_rows_with_missing_values == pytest.approx(mask.any(axis=1).sum() / n_rows)
        with_missing = sorted(c for c in frame.columns if mask[c].any())  # sorted, as Evidently
        assert m.columns_with_missing_values == with_missing
        assert m.number_of_columns_with_missing_values == len(with_missing)
        assert m.share_of_columns_with_missing_values == pytest.approx(len(with_missing) / n_cols)
        assert m.number_of_rows == n_rows
        assert m.number_of_columns == n_cols
        assert m.different_missing_values["null"] == int(frame.isna().sum().sum())
        assert m.different_missing_values[""] == int((frame == "").sum().sum())
        assert m.different_missing_values["Infinity"] == int(frame.isin([np.inf]).sum().sum())
        assert m.different_missing_values["-Infinity"] == int(frame.isin([-np.inf]).sum().sum())
        assert m.number_of_different_missing_values == 4
    if not with_reference:
        assert result.reference is None


def test_dataset_missing_values_is_broader_than_the_summary_count():
    frame = pd.DataFrame({"s": ["a", "", None], "f": [1.0, np.inf, 2.0]})
    summary = run_metric(DatasetSummaryMetric(), frame).current
    missing = run_metric(DatasetMissingValuesMetric(), frame).current
    assert summary.number_of_missing_values == 1
    assert missing.number_of_missing_values == 3


def test_custom_missing_values_replace_the_default_set():
    frame = pd.DataFrame({"s": ["n/a", "", None, "x", "n/a"], "f": [-1.0, np.nan, np.inf, -1.0, 3.0]})
    custom = ["n/a", -1]
    m = run_metric(DatasetMissingValuesMetric(missing_values=custom, replace=True), frame).current
    mask = pandas_missing_mask(frame, custom, include_pandas_missing=False)
    assert m.number_of_missing_values == int(mask.sum().sum()) == 4
    assert m.number_of_missing_values_by_column == {"s": 2, "f": 2}
    assert m.different_missing_values == {"n/a": 2, "-1": 2}


def test_custom_missing_values_added_to_the_default_set():
    frame = pd.DataFrame({"s": ["n/a", "", None, "x", "n/a"], "f": [-1.0, np.nan, np.inf, -1.0, 3.0]})
    custom = ["n/a", -1]
    m = run_metric(DatasetMissingValuesMetric(missing_values=custom, replace=False), frame).current
    mask = pandas_missing_mask(frame, [*DEFAULT_SET, *custom])
    assert m.number_of_missing_values == int(mask.sum().sum()) == 8
    assert m.number_of_rows_with_missing_values == int(mask.any(axis=1).sum())


def test_custom_missing_values_including_none_count_pandas_missing():
    frame = pd.DataFrame({"s": ["n/a", None, "x"], "f": [np.nan, 1.0, 2.0]})
    m = run_metric(DatasetMissingValuesMetric(missing_values=[None, "n/a"]), frame).current
    assert m.number_of_missing_values == 3


@pytest.mark.parametrize("with_reference", [False, True])
def test_column_missing_values(with_reference):
    current = make_frame(40, 300)
    reference = make_frame(41, 250) if with_reference else None
    metric = ColumnMissingValuesMetric(column_name="cat")
    result = run_metric(metric, current, reference)
    assert result.column_name == "cat"
    sides = [("current", current)] + ([("reference", reference)] if with_reference else [])
    for side, frame in sides:
        m = getattr(result, side)
        mask = pandas_missing_mask(frame[["cat"]])["cat"]
        assert m.number_of_missing_values == int(mask.sum())
        assert m.share_of_missing_values == pytest.approx(mask.sum() / len(frame))
        assert m.number_of_rows == len(frame)
        assert m.different_missing_values["null"] == int(frame["cat"].isna().sum())
        assert m.different_missing_values[""] == int((frame["cat"] == "").sum())
    num = run_metric(ColumnMissingValuesMetric("num"), current).current
    assert num.number_of_missing_values == int(pandas_missing_mask(current[["num"]])["num"].sum())
    assert num.different_missing_values["Infinity"] == int((current["num"] == np.inf).sum())


def test_column_missing_values_custom_set_and_integer_name():
    frame = pd.DataFrame({7: [0, -99, 3, -99, 5, 6, 7]})
    replaced = run_metric(ColumnMissingValuesMetric(7, missing_values=[-99]), frame).current
    assert replaced.number_of_missing_values == 2
    assert replaced.share_of_missing_values == pytest.approx(2 / 7)
    added = run_metric(ColumnMissingValuesMetric(7, missing_values=[0], replace=False), frame).current
    assert added.number_of_missing_values == 1
    assert added.number_of_different_missing_values == 1


def test_missing_values_of_all_nan_columns_and_one_row_frames():
    frame = pd.DataFrame({"a": [np.nan], "b": [None]})
    m = run_metric(DatasetMissingValuesMetric(), frame, frame).current
    assert m.number_of_missing_values == 2
    assert m.share_of_missing_values == 1.0
    assert m.number_of_rows_with_missing_values == 1
    s = run_metric(DatasetSummaryMetric(), frame).current
    assert s.number_of_empty_columns == 2
    assert s.number_of_empty_rows == 1
    assert s.number_of_constant_columns == 2


# ------------------------------------------------------------------------------------ preset


def test_data_quality_preset_composition():
    frame = pd.DataFrame({"uid": range(8), "x": np.arange(8.0), "c": list("abababab"), 3: [1, 2] * 4})
    report = Report(metrics=[DataQualityPreset()])
    report.run(current_data=frame, column_mapping=ColumnMapping(id="uid"))
    entries = report.as_dict()["metrics"]
    assert [e["metric"] for e in entries] == [
        "DatasetSummaryMetric",
        "ColumnSummaryMetric",
        "ColumnSummaryMetric",
        "ColumnSummaryMetric",
        "DatasetMissingValuesMetric",
    ]
    assert [e["result"]["column_name"] for e in entries[1:4]] == ["x", "c", 3]  # the id column is left out
    narrowed = Report(metrics=[DataQualityPreset(columns=["c"])])
    narrowed.run(current_data=frame)
    assert [e["result"].get("column_name") for e in narrowed.as_dict()["metrics"]] == [None, "c", None]


def test_overlapping_metrics_are_computed_once():
    frame = make_frame(50, 50)
    report = Report(
        metrics=[DataQualityPreset(), DatasetSummaryMetric(), ColumnSummaryMetric(column_name="num")]
    )
    report.run(current_data=frame)
    names = [(e["metric"], e["result"].get("column_name")) for e in report.as_dict()["metrics"]]
    assert len(names) == len(set(names)) == frame.shape[1] + 2

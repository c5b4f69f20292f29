"""DatasetSummaryMetric against counts computed here with pandas, and the DataQualityPreset that
bundles the integrity metrics."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping, Report
from monitorflow.metric_preset import DataQualityPreset
from monitorflow.metrics import ColumnSummaryMetric, DatasetSummaryMetric
from tests.metrics.integrity_frames import make_frame, pandas_almost_duplicated_pairs
from tests.metrics.metric_runs import run_metric


def pandas_duplicated_pairs(frame: pd.DataFrame) -> int:
    return sum(1 for a, b in combinations(frame.columns, 2) if frame[a].equals(frame[b]))


def pandas_almost_constant(frame: pd.DataFrame, threshold: float) -> int:
    count = 0
    for column in frame.columns:
        counts = frame[column].value_counts()
        if len(counts) and counts.max() / len(frame) >= threshold:
            count += 1
    return count


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

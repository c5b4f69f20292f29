"""DatasetMissingValuesMetric and ColumnMissingValuesMetric against pandas masks: the default set of
missing values, custom sets replacing or extending it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow.metrics import ColumnMissingValuesMetric, DatasetMissingValuesMetric, DatasetSummaryMetric
from tests.metrics.integrity_frames import make_frame
from tests.metrics.metric_runs import run_metric

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

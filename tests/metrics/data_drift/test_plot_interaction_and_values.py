"""ColumnInteractionPlot and ColumnValuePlot: aggregates equal to numbers computed independently with
numpy / pandas, on every pair of column types and over the index or a datetime column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitorflow import ColumnMapping
from monitorflow.metrics.plots import INDEX_BINS, INTERACTION_BINS, ColumnInteractionPlot, ColumnValuePlot
from tests.metrics.data_drift.plot_frames import _edges, _frame

# ------------------------------------------------------------------------------ ColumnInteractionPlot


def test_interaction_two_numerical_columns_are_2d_histograms(rng, run_metric):
    reference, current = _frame(rng, 700), _frame(rng, 500, shift=1.0)
    current.loc[[3, 7], "num"] = np.nan
    current.loc[11, "other"] = np.inf
    result = run_metric(ColumnInteractionPlot(x_column="num", y_column="other"), reference, current)
    x_edges = _edges(reference["num"].to_numpy(), current["num"].to_numpy(), bins=INTERACTION_BINS)
    y_edges = _edges(reference["other"].to_numpy(), current["other"].to_numpy(), bins=INTERACTION_BINS)
    np.testing.assert_allclose(result.x_edges, x_edges)
    np.testing.assert_allclose(result.y_edges, y_edges)
    for side, frame in (("current", current), ("reference", reference)):
        ok = np.isfinite(frame["num"]) & np.isfinite(frame["other"])
        expected, _, _ = np.histogram2d(frame["num"][ok], frame["other"][ok], bins=[x_edges, y_edges])
        data = getattr(result, side)
        assert np.array_equal(np.array(data.counts), expected.astype(int))
        assert data.dropped_rows == int((~ok).sum())
    assert result.kind == "num_num" and result.current.dropped_rows == 3


def test_interaction_two_categorical_columns_are_crosstabs(rng, run_metric):
    reference, current = _frame(rng, 400), _frame(rng, 300)
    current["cat2"] = rng.choice(["x", "y"], 300)
    reference["cat2"] = rng.choice(["x", "y"], 400)
    current.loc[[0, 1], "cat2"] = None
    result = run_metric(ColumnInteractionPlot(x_column="cat", y_column="cat2"), reference, current)
    assert result.x_categories == ["a", "b", "c"] and result.y_categories == ["x", "y"]
    table = pd.crosstab(current["cat"], current["cat2"].fillna("(missing)"))
    counts = np.array(result.current.counts)
    assert counts.shape == (5, 4)  # categories + other + missing on each axis
    for i, a in enumerate("abc"):
        assert counts[i, :2].tolist() == [int(table.loc[a, "x"]), int(table.loc[a, "y"])]
        assert counts[i, 3] == int(table.loc[a].get("(missing)", 0))
    assert counts.sum() == 300 and counts[3:, :].sum() == 0 and counts[:, 2].sum() == 0


def test_interaction_categorical_and_numerical_keeps_quartiles_per_category(rng, run_metric):
    reference, current = _frame(rng, 400), _frame(rng, 300)
    current.loc[5, "num"] = np.nan
    result = run_metric(ColumnInteractionPlot(x_column="num", y_column="cat"), reference, current)
    assert result.kind == "cat_num" and result.y_categories == ["a", "b", "c"] and result.x_categories is None
    boxes = result.current.boxes
    grouped = current.dropna(subset=["num"]).groupby("cat")["num"]
    for i, a in enumerate("abc"):
        q = grouped.get_group(a).quantile([0.0, 0.25, 0.5, 0.75, 1.0]).tolist()
        got = [boxes.mins[i], boxes.lowers[i], boxes.means[i], boxes.uppers[i], boxes.maxs[i]]
        np.testing.assert_allclose(got, q)
        assert boxes.count[i] == grouped.get_group(a).size
    assert result.current.dropped_rows == 1


def test_interaction_datetime_and_numerical_means_per_period(rng, run_metric):
    reference, current = _frame(rng, 900), _frame(rng, 600, start="2024-03-01")
    result = run_metric(ColumnInteractionPlot(x_column="ts", y_column="num"), reference, current)
    assert result.kind == "datetime_num" and result.prefix == "day"  # ~210 days: days are closest to 150
    by_day = current.groupby(current["ts"].dt.floor("D"))["num"].agg(["mean", "count"])
    assert result.current.periods == [t.isoformat() for t in by_day.index]
    np.testing.assert_allclose(result.current.mean, by_day["mean"].to_numpy())
    assert result.current.count == by_day["count"].tolist()


def test_interaction_datetime_and_categorical_counts_per_period(rng, run_metric):
    reference, current = _frame(rng, 300), _frame(rng, 200)
    result = run_metric(ColumnInteractionPlot(x_column="cat", y_column="ts"), reference, current)
    assert result.kind == "datetime_cat" and result.x_categories == ["a", "b", "c"]
    table = pd.crosstab(current["ts"].dt.floor("D"), current["cat"])
    counts = np.array(result.current.counts)
    assert counts[:, :3].tolist() == table[["a", "b", "c"]].to_numpy().tolist()
    assert result.current.periods == [t.isoformat() for t in table.index]


def test_interaction_without_reference(rng, run_metric):
    result = run_metric(ColumnInteractionPlot(x_column="num", y_column="cat"), None, _frame(rng, 100))
    assert result.reference is None and sum(result.current.boxes.count) == 100


# ------------------------------------------------------------------------------------ ColumnValuePlot


def test_value_plot_over_the_index_keeps_bin_means(rng, run_metric):
    reference, current = _frame(rng, 800).drop(columns="ts"), _frame(rng, 600, shift=1).drop(columns="ts")
    current.index = current.index + 1000
    current.loc[1010, "num"] = np.nan
    result = run_metric(ColumnValuePlot(column_name="num"), reference, current)
    assert result.x_axis == "index" and result.prefix is None
    edges = np.linspace(0, 1599, INDEX_BINS + 1)
    np.testing.assert_allclose(result.index_edges, edges)
    for side, frame in (("current", current), ("reference", reference)):
        values = frame["num"].dropna()
        bins = np.clip(np.digitize(values.index.to_numpy(), edges) - 1, 0, INDEX_BINS - 1)
        stats = values.groupby(bins).agg(["count", "mean", "std"]).reindex(range(INDEX_BINS))
        data = getattr(result, side)
        assert data.count == stats["count"].fillna(0).astype(int).tolist()
        np.testing.assert_allclose(data.mean, stats["mean"].to_numpy())  # NaN where a bin is empty
        np.testing.assert_allclose(data.std, stats["std"].to_numpy())
    assert result.current.dropped_rows == 1
    assert result.reference_mean == pytest.approx(reference["num"].mean())
    assert result.reference_std == pytest.approx(reference["num"].std())


def test_value_plot_over_the_datetime_column(rng, run_metric):
    reference, current = _frame(rng, 800), _frame(rng, 600, start="2024-02-01")
    current.loc[4, "num"] = np.inf
    result = run_metric(ColumnValuePlot(column_name="num"), reference, current, ColumnMapping(datetime="ts"))
    assert result.x_axis == "datetime" and result.datetime_column_name == "ts" and result.prefix == "day"
    kept = current[np.isfinite(current["num"])]
    by_day = kept.groupby(kept["ts"].dt.floor("D"))["num"].agg(["mean", "std", "count"])
    assert result.current.x == [t.isoformat() for t in by_day.index]
    np.testing.assert_allclose(result.current.mean, by_day["mean"].to_numpy())
    np.testing.assert_allclose(result.current.std, by_day["std"].to_numpy())
    assert result.current.dropped_rows == 1


def test_value_plot_chooses_coarser_periods_for_long_ranges(rng, run_metric):
    n = 500
    frame = pd.DataFrame(
        {"v": rng.normal(size=n), "datetime": pd.date_range("2000-01-01", periods=n, freq="7D")}
    )
    result = run_metric(ColumnValuePlot(column_name="v"), frame, frame)
    assert result.prefix == "month"  # ~3500 days: 116 months are closest to 150 points
    assert len(result.current.x) == frame["datetime"].dt.to_period("M").nunique()

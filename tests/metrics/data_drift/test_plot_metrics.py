"""TargetByFeaturesTable, ColumnValuePlot and ColumnInteractionPlot: aggregates equal to numbers computed
independently with numpy / pandas, bounded size, TargetDriftPreset composition, snapshots, HTML, errors."""

from __future__ import annotations

import html
import json
import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitorflow import ColumnMapping, Report
from monitorflow.column_mapping import build_definition
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError, MonitoringError
from monitorflow.metric_preset import TargetDriftPreset
from monitorflow.metrics.plots import (
    FEATURE_BINS,
    INDEX_BINS,
    INTERACTION_BINS,
    VALUE_BINS,
    ColumnInteractionPlot,
    ColumnValuePlot,
    TargetByFeaturesTable,
)
from monitorflow.render import render_snapshot

EVIL = "<script>alert(1)</script>"


def _frame(rng: np.random.Generator, n: int, shift: float = 0.0, start: str = "2024-01-01") -> pd.DataFrame:
    num = rng.normal(shift, 1.0, n)
    return pd.DataFrame(
        {
            "num": num,
            "other": rng.normal(0.0, 3.0, n) + num,
            "cat": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
            "ts": pd.Timestamp(start) + pd.to_timedelta(np.sort(rng.uniform(0, 150 * 24, n)), unit="h"),
            "target": 2.0 * num + rng.normal(0.0, 0.5, n),
            "prediction": 2.0 * num + rng.normal(0.0, 0.7, n),
        }
    )


def _run(metrics, reference, current, mapping=None) -> Report:
    report = Report(metrics=metrics)
    report.run(reference_data=reference, current_data=current, column_mapping=mapping)
    return report


def _edges(*arrays: np.ndarray, bins: int) -> np.ndarray:
    values = np.concatenate([a[np.isfinite(a)] for a in arrays])
    return np.linspace(values.min(), values.max(), bins + 1)


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


# ------------------------------------------------------------------------------ TargetByFeaturesTable


def test_target_by_features_regression_counts_and_means(rng, run_metric):
    reference, current = _frame(rng, 900), _frame(rng, 700, shift=0.5)
    current.loc[[1, 2], "num"] = np.nan
    current.loc[3, "target"] = np.nan
    mapping = ColumnMapping(datetime="ts")
    result = run_metric(TargetByFeaturesTable(), reference, current, mapping)
    assert result.task == "regression" and result.columns == ["num", "other", "cat"]
    value_edges = _edges(
        *(f[c].to_numpy() for f in (reference, current) for c in ("target", "prediction")), bins=VALUE_BINS
    )
    np.testing.assert_allclose(result.value_edges, value_edges)
    edges = _edges(reference["num"].to_numpy(), current["num"].to_numpy(), bins=FEATURE_BINS)
    feature = result.current["num"]
    np.testing.assert_allclose(feature.edges, edges)
    assert feature.count[-1] == 2 and sum(feature.count) == 700  # the last bucket: missing feature
    for role in ("target", "prediction"):
        ok = current["num"].notna() & current[role].notna()
        expected, _, _ = np.histogram2d(current["num"][ok], current[role][ok], bins=[edges, value_edges])
        counts = np.array(getattr(feature, role).counts)
        assert np.array_equal(counts[:-1], expected.astype(int))
        bins = np.clip(np.digitize(current["num"][ok], edges) - 1, 0, FEATURE_BINS - 1)
        means = current[role][ok].groupby(bins).mean().reindex(range(FEATURE_BINS))
        np.testing.assert_allclose(getattr(feature, role).mean[:-1], means.to_numpy())
    target_counts = np.array(feature.target.counts)
    assert target_counts.sum() == 699  # the row without a target is left out
    assert target_counts[-1].sum() == 2  # the rows without a feature value: the missing bucket
    cat = result.reference["cat"]
    assert cat.categories == ["a", "b", "c"] and cat.count[:3] == [
        int((reference["cat"] == a).sum()) for a in "abc"
    ]
    np.testing.assert_allclose(
        cat.target.mean[:3], reference.groupby("cat")["target"].mean().loc[list("abc")]
    )


def test_target_by_features_classification_counts_labels(rng, run_metric):
    reference, current = _frame(rng, 600), _frame(rng, 400)
    for frame in (reference, current):
        frame["target"] = np.where(frame["num"] > 0, "yes", "no")
        frame["prediction"] = np.where(frame["other"] > 0, "yes", "no")
    result = run_metric(TargetByFeaturesTable(columns=["cat", "num"]), reference, current)
    assert result.task == "classification" and result.labels == ["no", "yes"]
    assert result.columns == ["cat", "num"]
    table = pd.crosstab(current["cat"], current["prediction"])
    counts = np.array(result.current["cat"].prediction.counts)
    assert counts[:3, :2].tolist() == table.loc[list("abc"), ["no", "yes"]].to_numpy().tolist()
    assert counts[:, 2].sum() == 0  # no other label
    assert result.current["num"].target.mean is None


def test_target_by_features_probabilities_become_labels(rng, run_metric):
    reference, current = _frame(rng, 300), _frame(rng, 200)
    for frame in (reference, current):
        p = 1 / (1 + np.exp(-frame["num"].to_numpy()))
        frame["target"] = np.where(frame["num"] > 0, "yes", "no")
        frame["no"], frame["yes"] = 1 - p, p
    mapping = ColumnMapping(prediction=["no", "yes"], pos_label="yes")
    result = run_metric(TargetByFeaturesTable(columns=["cat"]), reference, current, mapping)
    predicted = np.where(1 / (1 + np.exp(-current["num"])) >= 0.5, "yes", "no")
    table = pd.crosstab(current["cat"], predicted)
    counts = np.array(result.current["cat"].prediction.counts)
    assert counts[:3, :2].tolist() == table.loc[list("abc"), ["no", "yes"]].to_numpy().tolist()

    without_target = ColumnMapping(target=None, prediction=["no", "yes"])
    result = run_metric(
        TargetByFeaturesTable(columns=["cat"]),
        reference.drop(columns="target"),
        current.drop(columns="target"),
        without_target,
    )
    assert result.target_name is None and result.labels == ["no", "yes"]
    assert (
        np.array(result.current["cat"].prediction.counts)[:3, :2].tolist()
        == table.loc[list("abc")].to_numpy().tolist()
    )


def test_target_by_features_text_descriptors(rng, run_metric):
    texts = ["hello world", "a-b!", None, "ok?"]
    reference = pd.DataFrame({"txt": texts * 25, "target": rng.normal(size=100)})
    current = pd.DataFrame({"txt": texts[::-1] * 25, "target": rng.normal(size=100)})
    result = run_metric(
        TargetByFeaturesTable(), reference, current, ColumnMapping(text_features=["txt"], task="regression")
    )
    assert result.columns == ["txt: Text Length", "txt: Non Letter Character %"]
    lengths = [len(t) if t else 0 for t in texts]  # Evidently counts a missing text as length 0
    length = result.current["txt: Text Length"]
    assert [length.edges[0], length.edges[-1]] == [min(lengths), max(lengths)]
    assert sum(length.count) == 100 and length.count[-1] == 0  # no missing bucket used
    non_letter = [0.0, 100 * 2 / 4, 0.0, 100 * 1 / 3]  # "a-b!" has 2 of 4, "ok?" 1 of 3; spaces are letters
    share = result.current["txt: Non Letter Character %"]
    assert share.edges[0] == 0 and share.edges[-1] == pytest.approx(max(non_letter))
    bins = np.clip(np.digitize(non_letter, share.edges) - 1, 0, FEATURE_BINS - 1)
    assert share.count[:FEATURE_BINS] == (25 * np.bincount(bins, minlength=FEATURE_BINS)).tolist()


# ----------------------------------------------------------------------------------- size and snapshots


def test_results_stay_small_on_200k_rows(rng):
    big_ref, big_cur = _frame(rng, 200_000), _frame(rng, 200_000, shift=0.3)
    small_ref, small_cur = _frame(rng, 2_000), _frame(rng, 2_000, shift=0.3)
    metrics = [
        TargetByFeaturesTable(),
        ColumnValuePlot(column_name="target"),
        ColumnInteractionPlot(x_column="num", y_column="other"),
        ColumnInteractionPlot(x_column="num", y_column="cat"),
        ColumnInteractionPlot(x_column="ts", y_column="cat"),
    ]
    mapping = ColumnMapping(datetime="ts")
    big = _run(metrics, big_ref, big_cur, mapping).as_dict()["metrics"]
    small = _run(metrics, small_ref, small_cur, mapping).as_dict()["metrics"]
    for b, s in zip(big, small, strict=True):
        assert "error" not in b, b
        size = len(json.dumps(b))
        assert size < 40_000, (b["metric"], size)
        assert size < 1.5 * len(json.dumps(s)) + 2_000, b[
            "metric"
        ]  # counts get longer digits, not more values


def test_snapshot_round_trip_and_html(rng, tmp_path):
    reference, current = _frame(rng, 300), _frame(rng, 250, shift=1.0)
    for frame in (reference, current):
        frame[EVIL] = frame["num"] * 2
        frame["cat"] = frame["cat"].replace({"a": "<b>a</b>"})
    metrics = [
        TargetByFeaturesTable(),
        ColumnValuePlot(column_name=EVIL),
        ColumnInteractionPlot(x_column=EVIL, y_column="other"),
        ColumnInteractionPlot(x_column="cat", y_column=EVIL),
        ColumnInteractionPlot(x_column="cat", y_column="cat"),
        ColumnInteractionPlot(x_column="ts", y_column=EVIL),
        ColumnInteractionPlot(x_column="ts", y_column="cat"),
    ]
    report = _run(metrics, reference, current, ColumnMapping(datetime="ts"))
    assert all("error" not in e for e in report.as_dict()["metrics"])
    path = tmp_path / "snapshot.json"
    report.save(path)
    loaded = Report.load(path)
    assert loaded.as_dict() == report.as_dict()
    assert json.loads(loaded.json()) == json.loads(report.json())
    page = render_snapshot(loaded.to_snapshot())
    assert "<script" not in page.lower() and "<b>a</b>" not in page
    assert html.escape(EVIL) in page and html.escape("<b>a</b>") in page
    assert page.count("<svg") >= 10 and "This metric failed" not in page
    for name in ("TargetByFeaturesTable", "ColumnValuePlot", "ColumnInteractionPlot"):
        assert f"<h3>{name}</h3>" in page


def test_classification_and_no_reference_pages_render(rng):
    reference, current = _frame(rng, 300), _frame(rng, 200)
    for frame in (reference, current):
        frame["target"] = np.where(frame["num"] > 0, "yes", EVIL)
        frame["prediction"] = np.where(frame["other"] > 0, "yes", EVIL)
    report = _run([TargetByFeaturesTable(), ColumnInteractionPlot("ts", "other")], reference, current)
    page = render_snapshot(report.to_snapshot())
    assert "<script" not in page.lower() and html.escape(EVIL) in page and "This metric failed" not in page
    alone = _run([ColumnInteractionPlot("num", "other"), ColumnValuePlot("num")], None, current)
    page = render_snapshot(alone.to_snapshot())
    assert page.count("This metric failed") == 1 and "pass reference_data" in page


# ----------------------------------------------------------------------------- TargetDriftPreset order


# Evidently 0.7.23, src/evidently/legacy/metric_preset/target_drift.py (TargetDriftPreset.generate_metrics):
# target: ColumnDriftMetric, ColumnValuePlot (regression task only), ColumnCorrelationsMetric; prediction:
# ColumnDriftMetric, ColumnCorrelationsMetric; then TargetByFeaturesTable when a target or prediction exists.
EVIDENTLY_REGRESSION = [
    ("ColumnDriftMetric", "target"),
    ("ColumnValuePlot", "target"),
    ("ColumnCorrelationsMetric", "target"),
    ("ColumnDriftMetric", "prediction"),
    ("ColumnCorrelationsMetric", "prediction"),
    ("TargetByFeaturesTable", None),
]
EVIDENTLY_CLASSIFICATION = [
    ("ColumnDriftMetric", "target"),
    ("ColumnCorrelationsMetric", "target"),
    ("ColumnDriftMetric", "prediction"),
    ("ColumnCorrelationsMetric", "prediction"),
    ("TargetByFeaturesTable", None),
]


def _shape(metrics) -> list[tuple[str, str | None]]:
    return [(type(m).__name__, getattr(m, "column_name", None)) for m in metrics]


def test_target_drift_preset_follows_evidentlys_order(rng):
    frame = _frame(rng, 200)
    regression = build_definition(ColumnMapping(datetime="ts"), frame, frame)[0]
    assert regression.task == "regression"
    assert _shape(TargetDriftPreset().generate_metrics(regression)) == EVIDENTLY_REGRESSION

    labelled = frame.assign(target=np.where(frame["num"] > 0, "yes", "no"), prediction="yes")
    classification = build_definition(ColumnMapping(datetime="ts"), labelled, labelled)[0]
    assert classification.task == "classification"
    metrics = TargetDriftPreset(columns=["num"]).generate_metrics(classification)
    assert _shape(metrics) == EVIDENTLY_CLASSIFICATION
    assert metrics[-1].columns == ["num"]

    only_prediction = build_definition(ColumnMapping(target=None), frame.drop(columns="target"), frame)[0]
    assert _shape(TargetDriftPreset().generate_metrics(only_prediction)) == EVIDENTLY_REGRESSION[3:]
    nothing = build_definition(ColumnMapping(target=None, prediction=None), frame, frame)[0]
    assert TargetDriftPreset().generate_metrics(nothing) == []


def test_target_drift_preset_runs_with_the_plot_metrics(rng):
    reference, current = _frame(rng, 400), _frame(rng, 300, shift=1.0)
    report = _run(
        [TargetDriftPreset(columns=["num", "cat"])], reference, current, ColumnMapping(datetime="ts")
    )
    entries = report.as_dict()["metrics"]
    assert [e["metric"] for e in entries] == [name for name, _ in EVIDENTLY_REGRESSION]
    assert all("error" not in e for e in entries), entries
    # as Evidently's, these plot results show nothing in as_dict() unless asked for their render data
    rendered = report.as_dict(include_render=True)["metrics"]
    assert rendered[-1]["result"]["columns"] == ["num", "cat"]
    assert rendered[1]["result"]["x_axis"] == "datetime"


# --------------------------------------------------------------------------------------------- errors


def test_missing_columns_name_the_column_and_the_fix(rng):
    frame = _frame(rng, 50)
    cases = [
        (ColumnValuePlot(column_name="nope"), "ColumnValuePlot.column_name"),
        (ColumnInteractionPlot(x_column="num", y_column="nope"), "ColumnInteractionPlot.y_column"),
        (TargetByFeaturesTable(columns=["num", "nope"]), "TargetByFeaturesTable.columns"),
    ]
    for metric, where in cases:
        with pytest.raises(ColumnNotFoundError, match=where) as info:
            _run([metric], frame, frame)
        assert info.value.column == "nope" and "available columns" in str(info.value)


def test_wrong_types_raise_column_type_errors(rng):
    frame = _frame(rng, 50).assign(txt="some text")
    with pytest.raises(ColumnTypeError, match=r"'cat'.*numerical.*'a'|'cat'.*numerical") as info:
        _run([ColumnValuePlot(column_name="cat")], frame, frame)
    assert info.value.column == "cat" and "numerical_features" in str(info.value)
    with pytest.raises(ColumnTypeError, match="txt") as info:
        _run(
            [ColumnInteractionPlot(x_column="txt", y_column="num")],
            frame,
            frame,
            ColumnMapping(text_features=["txt"]),
        )
    assert "some text" in str(info.value)
    with pytest.raises(ColumnTypeError, match="ts"):
        _run([ColumnInteractionPlot(x_column="ts", y_column="ts")], frame, frame)


def test_target_by_features_needs_a_target_or_prediction_and_features(rng):
    frame = _frame(rng, 50)
    with pytest.raises(ColumnNotFoundError, match="needs a target or a prediction"):
        _run([TargetByFeaturesTable()], frame, frame, ColumnMapping(target=None, prediction=None))
    with pytest.raises(
        ConfigurationError, match="'ts'.*datetime.*list numerical, categorical or text features"
    ):
        _run([TargetByFeaturesTable(columns=["ts"])], frame, frame, ColumnMapping(datetime="ts"))
    with pytest.raises(ConfigurationError, match="target"):
        _run([TargetByFeaturesTable(columns=["target"])], frame, frame)


def test_reference_is_required_where_evidently_requires_it(rng):
    frame = _frame(rng, 50)
    for metric in (TargetByFeaturesTable(), ColumnValuePlot(column_name="num")):
        report = _run([metric], None, frame)
        entry = report.as_dict()["metrics"][0]
        assert "pass reference_data" in entry["error"]
        with pytest.raises(MonitoringError, match="reference"):
            report.result(metric)


def test_bad_arguments_are_configuration_errors():
    with pytest.raises(ConfigurationError, match="column_name"):
        ColumnValuePlot()
    with pytest.raises(ConfigurationError, match="y_column"):
        ColumnInteractionPlot(x_column="a")
    assert ColumnInteractionPlot("a", "b").y_column == "b"  # positional, as in Evidently


# ----------------------------------------------------------------------------------------- properties

_floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, 1.0, 1e308, -1e308]),
)
_cells = {
    "num": _floats,
    "cat": st.one_of(st.none(), st.sampled_from(["a", "b", "<i>", ""]), st.integers(-2, 2)),
    "ts": st.one_of(st.none(), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1))),
    "target": _floats,
    "prediction": st.one_of(st.none(), st.sampled_from(["yes", "no"])),
}


@st.composite
def _frames(draw):
    def frame(n: int) -> pd.DataFrame:
        data = {name: draw(st.lists(cells, min_size=n, max_size=n)) for name, cells in _cells.items()}
        out = pd.DataFrame(data)
        out["num"] = out["num"].astype("float64")
        out["ts"] = pd.to_datetime(out["ts"])
        return out

    current = frame(draw(st.integers(1, 12)))
    reference = frame(draw(st.integers(1, 12))) if draw(st.booleans()) else None
    return current, reference


@pytest.mark.filterwarnings("error::RuntimeWarning")
@given(_frames(), st.sampled_from(["regression", "classification", None]))
def test_any_small_frame_raises_only_monitoring_errors_and_gives_strict_json(frames, task):
    current, reference = frames
    metrics = [
        TargetByFeaturesTable(),
        ColumnValuePlot(column_name="num"),
        *(
            ColumnInteractionPlot(x_column=x, y_column=y)
            for x in ("num", "cat", "ts")
            for y in ("num", "cat")
        ),
    ]
    mapping = ColumnMapping(
        datetime="ts", task=task, numerical_features=["num"], categorical_features=["cat"]
    )
    try:
        report = _run(metrics, reference, current, mapping)
    except MonitoringError:
        return
    text = report.json()
    json.loads(text, parse_constant=lambda token: pytest.fail(f"non-standard JSON token {token}"))
    for entry in report.as_dict()["metrics"]:
        assert "error" not in entry or "reference_data" in entry["error"], entry
    render_snapshot(report.to_snapshot())

"""TargetByFeaturesTable, ColumnValuePlot and ColumnInteractionPlot: bounded size, snapshots, HTML,
errors naming the column and the fix, and any small frame giving only monitoring errors."""

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
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError, MonitoringError
from monitorflow.metrics.plots import ColumnInteractionPlot, ColumnValuePlot, TargetByFeaturesTable
from monitorflow.render import render_snapshot
from tests.metrics.data_drift.plot_frames import _frame, _run

EVIL = "<script>alert(1)</script>"


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

"""Model quality and drift are drawn, not printed: curves, matrices and distributions as SVG whose
numbers match scikit-learn / pandas computed here, and no list of numbers left as text."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix, roc_curve

from monitorflow import ColumnMapping, Report
from monitorflow.metric_preset import ClassificationPreset, DataDriftPreset, RegressionPreset
from monitorflow.metrics import ClassificationPRTable, ClassificationQualityByFeatureTable
from monitorflow.render import render_snapshot
from monitorflow.render.charts import MAX_POINTS, WIDTH, Series, nice_ticks, xy_svg
from monitorflow.snapshot import MetricEntry, Snapshot
from tests.render.render_data import card, entry_of

WHEN = datetime(2026, 2, 1, tzinfo=UTC)
#: Five or more numbers in brackets: a raw array printed as text.
RAW_ARRAY = re.compile(r"\[\s*(?:[-+]?(?:\d[\d,.e+-]*|nan|NaN|—)\s*,\s*){4,}")


def visible_text(page: str) -> str:
    """The text a reader sees: drawings, tooltips and tags removed."""
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def binary() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)

    def frame(n: int, shift: float) -> pd.DataFrame:
        x = rng.normal(size=n)
        y = (rng.random(n) < 1 / (1 + np.exp(-1.5 * x))).astype(int)
        return pd.DataFrame({"x": x, "target": y, "prediction": 1 / (1 + np.exp(-(1.5 * x + shift)))})

    return frame(1500, 0.0), frame(600, 0.5)


@pytest.fixture(scope="module")
def binary_page(binary: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[Snapshot, str]:
    reference, current = binary
    report = Report(
        metrics=[ClassificationPreset(), ClassificationPRTable(), ClassificationQualityByFeatureTable()]
    )
    mapping = ColumnMapping(target="target", prediction="prediction", numerical_features=["x"])
    report.run(reference_data=reference, current_data=current, column_mapping=mapping, timestamp=WHEN)
    snapshot = report.to_snapshot()
    return snapshot, render_snapshot(snapshot)


def _cells(svg_html: str) -> dict[tuple[str, str], int]:
    """(actual, predicted) -> count, read from the matrix cells' tooltips."""
    found = re.findall(r"<title>actual (\S+), predicted (\S+): ([\d,]+) \(", svg_html)
    return {(a, p): int(n.replace(",", "")) for a, p, n in found}


def test_confusion_matrix_is_drawn_with_the_counts_scikit_learn_finds(binary, binary_page) -> None:
    _, current = binary
    snapshot, page = binary_page
    html_card = card(page, entry_of(snapshot, "ClassificationConfusionMatrix"))
    current_svg = html_card[: html_card.index("reference")]
    expected = confusion_matrix(current["target"], (current["prediction"] >= 0.5).astype(int), labels=[0, 1])
    drawn = _cells(current_svg)
    assert drawn == {(str(a), str(p)): int(expected[a, p]) for a in (0, 1) for p in (0, 1)}
    assert html_card.count("<svg") == 2  # current and reference
    assert not RAW_ARRAY.search(visible_text(html_card))


def _polyline_points(svg_html: str, css: str) -> list[tuple[float, float]]:
    match = re.search(rf'<polyline class="line {css}[^"]*" points="([^"]+)"', svg_html)
    assert match, f"no {css} line"
    return [tuple(map(float, p.split(","))) for p in match.group(1).split()]  # type: ignore[misc]


def test_roc_curve_is_a_line_through_scikit_learns_curve(binary, binary_page) -> None:
    """Every drawn point, mapped back from pixels onto the unit square, lies on scikit-learn's curve."""
    _, current = binary
    snapshot, page = binary_page
    html_card = card(page, entry_of(snapshot, "ClassificationRocCurve"))
    fpr, tpr, _ = roc_curve(current["target"], current["prediction"])
    points = _polyline_points(html_card, "cur")
    assert 10 <= len(points) <= MAX_POINTS
    left, right, top, bottom = 48, WIDTH - 12, 10, 250 - 40  # the plotting frame of charts.xy_svg
    for px, py in points:
        x, y = (px - left) / (right - left), (bottom - py) / (bottom - top)
        assert np.min(np.hypot(fpr - x, tpr - y)) < 0.005, (x, y)
    assert "ROC curve" in html_card and "false positive rate" in html_card


def test_quality_metric_card_shows_scores_as_tiles_and_its_roc_and_rates_as_drawings(binary_page) -> None:
    snapshot, page = binary_page
    html_card = card(page, entry_of(snapshot, "ClassificationQualityMetric"))
    assert (
        "ROC curve" in html_card and "rates by threshold" in html_card and "quartiles by label" in html_card
    )
    assert html_card.count('class="tile"') >= 5
    assert not RAW_ARRAY.search(visible_text(html_card))


def test_class_balance_bars_are_the_label_shares_pandas_counts(binary, binary_page) -> None:
    reference, current = binary
    snapshot, page = binary_page
    html_card = card(page, entry_of(snapshot, "ClassificationClassBalance"))
    shares = current["target"].value_counts(normalize=True)
    for label, share in shares.items():
        assert f"current: {int((current['target'] == label).sum()):,} ({share * 100:.1f}%)" in html_card


def test_no_list_of_numbers_is_printed_in_model_quality_drift_or_regression_pages(binary_page) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=900)
    frame = pd.DataFrame({"x": x, "c": rng.choice(list("abc"), 900), "target": 3 * x + rng.normal(size=900)})
    frame["prediction"] = 3 * x + rng.normal(0.3, 1.2, 900)
    pages = [binary_page[1]]
    for metrics in ([RegressionPreset()], [DataDriftPreset()]):
        report = Report(metrics=metrics)
        mapping = ColumnMapping(
            target="target", prediction="prediction", numerical_features=["x"], categorical_features=["c"]
        )
        report.run(
            reference_data=frame.iloc[:500],
            current_data=frame.iloc[500:],
            column_mapping=mapping,
            timestamp=WHEN,
        )
        pages.append(render_snapshot(report.to_snapshot()))
    for page in pages:
        text = visible_text(page)
        assert not RAW_ARRAY.search(text), RAW_ARRAY.search(text).group(0)  # type: ignore[union-attr]
        assert "plot data [" not in text
    assert "predicted against actual" in pages[1] and "error (prediction − target)" in pages[1]


def test_drift_table_is_full_width_with_each_columns_distribution_beside_its_row() -> None:
    rng = np.random.default_rng(11)
    reference = pd.DataFrame(
        {"a": rng.normal(size=800), "b": rng.choice(["x", "y", "z"], 800, p=[0.6, 0.3, 0.1])}
    )
    current = pd.DataFrame(
        {"a": rng.normal(1.0, size=400), "b": rng.choice(["x", "y", "z"], 400, p=[0.2, 0.3, 0.5])}
    )
    report = Report(metrics=[DataDriftPreset()])
    report.run(reference_data=reference, current_data=current, timestamp=WHEN)
    snapshot = report.to_snapshot()
    html_card = card(render_snapshot(snapshot), entry_of(snapshot, "DataDriftTable"))
    table = html_card[html_card.index('<table class="drift">') :]
    rows = re.findall(r"<tr[^>]*><th scope=\"row\">(.*?)</tr>", table, flags=re.S)
    assert [r.split("<")[0] for r in rows] == ["a", "b"]  # both drifted; stored order kept among equals
    assert all('<td class="dist"><svg' in r for r in rows)
    shares = current["b"].value_counts(normalize=True)
    for value, share in shares.items():
        assert re.search(
            rf"{value}: reference [\d,]+ \([\d.]+%\), current [\d,]+ \({share * 100:.1f}%\)", table
        )
    assert "metric-body" not in html_card  # not squeezed into the half-width tables column


def test_a_result_shaped_like_a_curve_is_drawn_without_a_renderer_of_its_own() -> None:
    """A metric type the renderer does not know (e.g. a lift curve) is drawn from its shape."""
    top = list(np.linspace(0.05, 1, 20))
    lift = [2.5 - 1.5 * t for t in top]
    entry = MetricEntry(
        id="l", type="SomeLiftCurve", result={"current_lift_curve": {"1": {"top": top, "lift": lift}}}
    )
    snapshot = Snapshot(kind="report", timestamp=WHEN, metrics=[entry], top_level_metrics=["l"])
    html_card = card(render_snapshot(snapshot), entry)
    assert "<polyline" in html_card and "lift" in html_card
    assert not RAW_ARRAY.search(visible_text(html_card))


def test_long_lines_are_thinned_to_a_bounded_number_of_points() -> None:
    xs = np.linspace(0, 1, 20_000)
    drawing = xy_svg([Series("s", xs.tolist(), (xs**2).tolist())], x_label="x", y_label="y")
    points = re.search(r'points="([^"]+)"', drawing).group(1).split()  # type: ignore[union-attr]
    assert len(points) == MAX_POINTS
    assert len(drawing) < 40_000


@given(st.floats(-1e9, 1e9, allow_nan=False), st.floats(1e-6, 1e3, allow_nan=False))
def test_ticks_are_round_increasing_and_cover_the_range(low: float, relative_span: float) -> None:
    """Any axis whose span is at least a millionth of its magnitude (charts never draw finer)."""
    high = low + max(abs(low), 1.0) * relative_span
    ticks = nice_ticks(low, high)
    assert ticks == sorted(ticks) and 2 <= len(ticks) <= 11
    step = ticks[1] - ticks[0]
    assert ticks[0] >= low - step * 1e-6 and ticks[-1] <= high + step * 1e-6
    assert ticks[0] - step < low + step * 1e-6 and ticks[-1] + step > high - step * 1e-6
    mantissa = step / 10 ** np.floor(np.log10(step))
    float_error = 4 * abs(high) * np.finfo(float).eps / step  # of a difference of two large ticks
    assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-6 + float_error * mantissa


def _unit_points(svg_html: str, css: str) -> list[tuple[float, float]]:
    """A line's points mapped back from pixels onto the unit square of charts.xy_svg."""
    left, right, top, bottom = 48, WIDTH - 12, 10, 250 - 40
    return [
        ((px - left) / (right - left), (bottom - py) / (bottom - top))
        for px, py in _polyline_points(svg_html, css)
    ]


def test_probability_histograms_give_distribution_bars_and_a_calibration_curve() -> None:
    """Shape of ClassificationProbDistribution (``{edges, label, other}`` per label): the calibration
    point of each bin is the share of its rows that have the label, as pandas computes it."""
    rng = np.random.default_rng(5)
    p = rng.random(4000)
    y = rng.random(4000) < p**1.5  # over-confident scores: below the diagonal
    edges = np.linspace(0, 1, 11)
    hist = {
        "edges": edges.tolist(),
        "label": np.histogram(p[y], edges)[0].tolist(),
        "other": np.histogram(p[~y], edges)[0].tolist(),
    }
    entry = MetricEntry(
        id="d", type="ClassificationProbDistribution", result={"current_distribution": {"1": hist}}
    )
    html_card = card(
        render_snapshot(Snapshot(kind="report", timestamp=WHEN, metrics=[entry], top_level_metrics=["d"])),
        entry,
    )
    frame = pd.DataFrame({"bin": pd.cut(p, edges, labels=False, include_lowest=True), "y": y})
    expected = frame.groupby("bin")["y"].mean()
    centres = (edges[:-1] + edges[1:]) / 2
    drawn = _unit_points(html_card[html_card.index("calibration") :], "cur")
    assert len(drawn) == 10
    for (x, share), centre, want in zip(drawn, centres, expected.to_numpy(), strict=True):
        assert abs(x - centre) < 0.003 and abs(share - want) < 0.003
    assert "score distribution" in html_card and "rows of the label" in html_card


def test_class_separation_boxes_and_lift_curves_and_tables_are_drawn() -> None:
    """Shapes of ClassificationClassSeparationPlot (quartiles per ``values`` group), ClassificationLiftCurve
    (``{top, lift, ...}`` lists) and ClassificationLiftTable (rows of 12 numbers)."""
    boxes = {
        "values": ["others", "1"],
        "mins": [0.0, 0.1],
        "lowers": [0.1, 0.4],
        "means": [0.2, 0.6],
        "uppers": [0.3, 0.8],
        "maxs": [0.9, 1.0],
    }
    top = list(range(1, 101))
    lift = {"top": top, "count": top, "lift": [2 - t / 100 for t in top], "max_lift": [2.0] * 100}
    rows = [
        [t, t * 10, 1 - t / 100, t * 5, t * 5, 50.0, t * 1.0, 40.0, 2 - t / 100, 2.0, 0.9, 50.0] for t in top
    ]
    entries = [
        MetricEntry(
            id="s",
            type="ClassificationClassSeparationPlot",
            result={"target_name": "y", "current": {"1": boxes}},
        ),
        MetricEntry(id="c", type="ClassificationLiftCurve", result={"current_lift_curve": {"1": lift}}),
        MetricEntry(
            id="t", type="ClassificationLiftTable", result={"current_lift_table": {"1": rows}, "top": 10}
        ),
    ]
    page = render_snapshot(
        Snapshot(kind="report", timestamp=WHEN, metrics=entries, top_level_metrics=["s", "c", "t"])
    )
    separation, curve, table = (card(page, e) for e in entries)
    assert separation.count('<g class="box cur">') == 2 and "others" in separation
    assert "lift curve" in curve and len(_polyline_points(curve, "cur")) == 100
    assert "lift of the top rows" in table and "<th>max lift</th>" in table
    for html_card in (separation, curve, table):
        assert not RAW_ARRAY.search(visible_text(html_card))


def test_column_distributions_and_regression_values_over_time_are_drawn() -> None:
    """Shapes of ColumnDistributionMetric (``{x, y, other}``: edges or values) and of the regression
    plots over time (per value name, mean per period): bars and lines, no number list as text."""
    rng = np.random.default_rng(2)
    values = rng.normal(size=500)
    counts, edges = np.histogram(values, bins=12)
    numeric = {"column_name": "x", "current": {"x": edges.tolist(), "y": counts.tolist(), "other": 0}}
    categorical = {
        "column_name": "c",
        "current": {"x": ["a", "b", None], "y": [5, 3, 1], "other": 2},
        "reference": {"x": ["a", "b"], "y": [4, 6], "other": 0},
    }
    days = [f"2026-01-0{d}T00:00:00+00:00" for d in range(1, 8)]
    error = {
        "x": days,
        "count": [10] * 7,
        "mean": [0.1 * d for d in range(7)],
        "std": [1.0] * 7,
        "dropped_rows": 0,
    }
    over_time = {
        "x_axis": "datetime",
        "prefix": "day",
        "datetime_column_name": "ts",
        "current": {"Predicted - Actual": error},
    }
    entries = [
        MetricEntry(id="n", type="ColumnDistributionMetric", result=numeric),
        MetricEntry(id="c", type="ColumnDistributionMetric", result=categorical),
        MetricEntry(id="e", type="RegressionErrorPlot", result=over_time),
    ]
    page = render_snapshot(
        Snapshot(kind="report", timestamp=WHEN, metrics=entries, top_level_metrics=["n", "c", "e"])
    )
    hist, bars, line = (card(page, e) for e in entries)
    assert hist.count("<rect") >= 12 and 'aria-label="histogram"' in hist
    assert "(other values)" in bars and "current: 3 (27.3%)" in bars  # b: 3 of 11 current values
    points = _polyline_points(line, "s0")
    assert len(points) == 7
    bottom, top = 250 - 40, 10
    heights = [(bottom - y) / (bottom - top) for _, y in points]
    assert heights == sorted(heights) and heights[-1] - heights[0] > 0.8  # the mean error grows day by day
    for html_card in (hist, bars, line):
        assert not RAW_ARRAY.search(visible_text(html_card))

"""A figure (caption, legend, drawing) for each chart kind found in a result by :mod:`layout`.

Kinds are recognised by shape, not by metric type, so a new metric whose result holds a curve, a
confusion matrix or quartiles per label is drawn without a renderer of its own. Curves with known
field names get their usual axes: ``{fpr, tpr}`` is a ROC curve, ``{rcl, pr}`` a precision-recall
curve, ``{thrs, tpr, fpr, fnr, tnr}`` the rates by threshold, ``{x, y}`` a scatter of points.

>>> from monitorflow.render.layout import Chart, box_labels
>>> rates = {"fpr": [0, 0.2, 1], "tpr": [0, 0.7, 1], "thrs": [None, 0.5, 0.1]}
>>> html = chart_figure(Chart(("roc_curve", "1"), "curve", rates))
>>> "ROC curve" in html and "<polyline" in html
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitorflow.render.charts import (
    PALETTE,
    Box,
    Series,
    bars_svg,
    boxes_svg,
    density_svg,
    matrix_svg,
    xy_svg,
)
from monitorflow.render.format import esc, fmt_number, fmt_text
from monitorflow.render.layout import Chart, box_labels
from monitorflow.render.svg import counts_svg, histogram_svg
from monitorflow.render.tables import path_label

SIDES = (("ref", "reference"), ("cur", "current"))
UNIT = (0.0, 1.0)


@dataclass(frozen=True)
class CurveSpec:
    """How to draw a curve whose fields are exactly ``keys``."""

    keys: frozenset[str]
    title: str
    x: str
    ys: tuple[str, ...]
    x_label: str
    y_label: str
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    diagonal: bool = False
    markers: bool = False
    #: Match when the fields include ``keys`` (not only when they equal them).
    subset: bool = False


CURVES = (
    CurveSpec(
        frozenset({"fpr", "tpr", "thrs"}),
        "ROC curve",
        "fpr",
        ("tpr",),
        "false positive rate",
        "true positive rate",
        UNIT,
        UNIT,
        diagonal=True,
    ),
    CurveSpec(
        frozenset({"pr", "rcl", "thrs"}),
        "precision-recall curve",
        "rcl",
        ("pr",),
        "recall",
        "precision",
        UNIT,
        UNIT,
    ),
    CurveSpec(
        frozenset({"thrs", "tpr", "fpr", "fnr", "tnr"}),
        "rates by threshold",
        "thrs",
        ("tpr", "fpr", "fnr", "tnr"),
        "probability threshold",
        "rate",
        UNIT,
        UNIT,
    ),
    CurveSpec(frozenset({"x", "y"}), "points", "x", ("y",), "x", "y", markers=True),
    CurveSpec(
        frozenset({"top", "lift"}),
        "lift curve",
        "top",
        ("lift",),
        "top % of rows by probability",
        "lift",
        subset=True,
    ),
)


def curve_spec(value: dict[str, Any]) -> CurveSpec:
    """The known spec for these field names, else: the first list along x, the others up."""
    keys = frozenset(value)
    for spec in CURVES:
        if spec.keys == keys or (spec.subset and spec.keys <= keys):
            return spec
    first, *rest = list(value)
    return CurveSpec(keys, "curve", first, tuple(rest), first.replace("_", " "), ", ".join(rest))


def _legend(items: list[tuple[str, str]], note: str = "") -> str:
    keys = "".join(f'<span class="key {css}"></span>{esc(name)} ' for css, name in items)
    return f'<span class="legend">{keys}{f"<span class=unit>· {esc(note)}</span>" if note else ""}</span>'


def figure(caption: str, drawing: str, legend: str = "", css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<figure{cls}><figcaption>{esc(caption)}{legend}</figcaption>{drawing}</figure>"


#: Field names that only say "this is plot data": left out of captions.
_NOISE = {"plot data", "rate plots data", "matrix", "roc curve", "pr curve", "bins", "plot", "distribution"}


def _caption(chart: Chart, title: str) -> str:
    """``title`` and the chart's place in the result, e.g. "ROC curve · 1" (label ``1``)."""
    parts = [path_label((p,)) for p in chart.path]
    where = " › ".join(p for p in parts if p not in _NOISE and p.lower() not in title.lower())
    return f"{title} · {where}" if where and title else where or title


def _present(chart: Chart) -> list[tuple[str, str, Any]]:
    return [
        (css, name, side)
        for (css, name), side in zip(SIDES, (chart.reference, chart.current), strict=True)
        if side is not None
    ]


def curve_figure(chart: Chart) -> str:
    sides = _present(chart)
    spec = curve_spec(sides[-1][2])
    series, legend = [], []
    for css, name, side in sides:
        for k, y in enumerate(spec.ys):
            colour = css if len(spec.ys) == 1 else PALETTE[k % len(PALETTE)]
            label = name if len(spec.ys) == 1 else f"{y} ({name})"
            series.append(
                Series(
                    label,
                    side.get(spec.x) or [],
                    side.get(y) or [],
                    colour,
                    css == "ref" and len(spec.ys) > 1,
                )
            )
    if len(spec.ys) == 1:
        legend = [(css, name) for css, name, _ in sides]
        note = ""
    else:
        legend = [(PALETTE[k % len(PALETTE)], y) for k, y in enumerate(spec.ys)]
        note = "dashed: reference" if len(sides) > 1 else ""
    drawing = xy_svg(
        series,
        x_label=spec.x_label,
        y_label=spec.y_label,
        x_range=spec.x_range,
        y_range=spec.y_range,
        diagonal=spec.diagonal,
        markers=spec.markers,
    )
    return figure(_caption(chart, spec.title), drawing, _legend(legend, note), "fig-curve")


def matrix_figure(chart: Chart) -> str:
    parts = []
    for css, name, side in reversed(_present(chart)):  # current first
        labels = [fmt_text(v) if not isinstance(v, str) else v for v in side["labels"]]
        parts.append(
            figure(
                f"{_caption(chart, 'confusion matrix')} · {name}",
                matrix_svg(side["values"], labels, labels, css=css),
                '<span class="legend"><span class="unit">shade: share of the actual class</span></span>',
                "fig-matrix",
            )
        )
    return "".join(parts)


def _boxes(side: dict[str, Any] | None) -> list[Box | None]:
    if side is None:
        return []
    keys = ("mins", "lowers", "means", "uppers", "maxs")
    return [
        Box(*(side[k][i] if side[k][i] is not None else float("nan") for k in keys))
        for i in range(len(box_labels(side)))
    ]


def boxes_figure(chart: Chart) -> str:
    sides = _present(chart)
    labels = [fmt_text(v) if not isinstance(v, str) else v for v in box_labels(sides[-1][2])]
    values = [v for _, _, s in sides for k in ("mins", "maxs") for v in s[k] if v is not None]
    unit = UNIT if values and min(values) >= 0 and max(values) <= 1 else None
    drawing = boxes_svg(
        labels,
        {css: _boxes(side) for css, _, side in sides},
        x_label="probability" if unit else "value",
        x_range=unit,
    )
    return figure(
        _caption(chart, "quartiles by label"),
        drawing,
        _legend([(css, name) for css, name, _ in sides], "box: 25%-75%, line: median"),
        "fig-boxes",
    )


def label_counts_figure(chart: Chart) -> str:
    value = chart.current or chart.reference
    sides = {"current": value["current"], "reference": value.get("reference")}
    counts = {
        name: {"values": value["labels"], "counts": side} if side is not None else None
        for name, side in sides.items()
    }
    legend = [(css, name) for css, name in SIDES if counts[name] is not None]
    return figure(
        _caption(chart, "rows by label"),
        counts_svg(counts["current"], counts["reference"]),
        _legend(legend, "% of each side's rows"),
        "fig-counts",
    )


def density_figure(chart: Chart) -> str:
    parts = []
    for css, name, side in reversed(_present(chart)):
        drawing = density_svg(side["counts"], side["edges"], x_label="actual", y_label="predicted", css=css)
        parts.append(
            figure(
                f"{_caption(chart, 'predicted against actual')} · {name}",
                drawing,
                '<span class="legend"><span class="unit">shade: rows; line: predicted = actual</span></span>',
                "fig-density",
            )
        )
    return "".join(parts)


def _bin_labels(edges: list[float]) -> list[str]:
    return [f"{fmt_number(a)}–{fmt_number(b)}" for a, b in zip(edges[:-1], edges[1:], strict=True)]


def label_histogram_figure(chart: Chart) -> str:
    """A score on the rows of a label and on the others (bars, % of each group), then the calibration
    it implies: per bin, the share of the bin's rows that have the label, against the bin's centre."""
    present = _present(chart)
    figures, series = [], []
    for css, name, side in reversed(present):
        edges = side["edges"]
        shares = {
            group: [c / (sum(side[key]) or 1) for c in side[key]]
            for group, key in (("label", "label"), ("others", "other"))
        }
        drawing = bars_svg(_bin_labels(edges), shares, y_label="share of the group's rows")
        figures.append(
            figure(
                f"{_caption(chart, 'score distribution')} · {name}",
                drawing,
                _legend([(PALETTE[0], "rows of the label"), (PALETTE[1], "other rows")]),
                "fig-bars",
            )
        )
        centres = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:], strict=True)]
        observed = [
            hit / (hit + o) if hit + o else None for hit, o in zip(side["label"], side["other"], strict=True)
        ]
        series.append(Series(name, centres, observed, css, markers=False))
    calibration = xy_svg(
        series,
        x_label="predicted probability (bin centre)",
        y_label="observed share of the label",
        x_range=UNIT,
        y_range=UNIT,
        diagonal=True,
    )
    legend = _legend([(css, name) for css, name, _ in present], "dashed line: perfect calibration")
    return "".join(figures) + figure(_caption(chart, "calibration"), calibration, legend, "fig-curve")


def distribution_figure(chart: Chart) -> str:
    """Histograms and value counts: bars as shares of each side's values."""
    if chart.kind == "histogram":
        drawing = histogram_svg(chart.edges or [], chart.current, chart.reference)
    else:
        drawing = counts_svg(chart.current, chart.reference)
    legend = [(css, name) for css, name, _ in _present(chart)]
    return figure(
        path_label(chart.path) or "distribution", drawing, _legend(legend, "% of each side's values")
    )


FIGURES = {
    "histogram": distribution_figure,
    "counts": distribution_figure,
    "curve": curve_figure,
    "matrix": matrix_figure,
    "boxes": boxes_figure,
    "label_counts": label_counts_figure,
    "density": density_figure,
    "label_histogram": label_histogram_figure,
}


def metric_body(tables: list[str], figures: list[str], *, figures_below: bool = False) -> str:
    """A card body: tables beside a column of figures, or (no tables, or ``figures_below``) the
    figures side by side under the tables, using the card's full width."""
    if not figures:
        return f'<div class="metric-body"><div class="tables">{"".join(tables)}</div></div>'
    if not tables or figures_below:
        return f'{"".join(tables)}<div class="figures">{"".join(figures)}</div>'
    return (
        f'<div class="metric-body"><div class="tables">{"".join(tables)}</div>'
        f'<div class="charts">{"".join(figures)}</div></div>'
    )


def chart_figure(chart: Chart) -> str:
    """The figure(s) of a chart, by its kind."""
    return FIGURES[chart.kind](chart)

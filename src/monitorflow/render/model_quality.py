"""Card bodies of the model-quality metrics: headline scores as tiles, the stored curves, matrices and
per-class or per-bucket scores as drawings (registered in ``RENDERERS``).

Each body falls back to the generic tables for every field it does not draw, and reads only what
the snapshot holds (aggregates: thinned curves, counts, quartiles), so its size does not grow with
the rows evaluated.

>>> from monitorflow.snapshot import MetricEntry, Snapshot
>>> from datetime import UTC, datetime
>>> snap = Snapshot(kind="report", timestamp=datetime(2026, 1, 1, tzinfo=UTC))
>>> result = {"current": {"metrics": {"a": {"precision": 0.5, "recall": 1.0, "f1": 0.67, "support": 2}}}}
>>> entry = MetricEntry(id="q", type="ClassificationQualityByClass", result=result)
>>> "<svg" in quality_by_class_body(entry, snap)
True
"""

from __future__ import annotations

from typing import Any

from monitorflow.render.charts import PALETTE, Series, bars_svg, xy_svg
from monitorflow.render.figures import CURVES, chart_figure, figure, metric_body
from monitorflow.render.format import esc, fmt_number, fmt_text, fmt_value
from monitorflow.render.layout import decompose
from monitorflow.render.plots import bucket_labels, lines_svg
from monitorflow.render.svg import counts_svg, histogram_svg
from monitorflow.render.tables import keyed_table, path_label, rows_table, tiles
from monitorflow.snapshot import MetricEntry, Snapshot

SIDES = (("ref", "reference"), ("cur", "current"))
ROC = CURVES[0]


def _legend(items: list[tuple[str, str]], note: str = "") -> str:
    keys = "".join(f'<span class="key {css}"></span>{esc(name)} ' for css, name in items)
    return f'<span class="legend">{keys}{f"<span class=unit>· {esc(note)}</span>" if note else ""}</span>'


def _sides(result: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(css, name, result[name]) for css, name in SIDES if isinstance(result.get(name), dict)]


def _generic(result: dict[str, Any], leave_out: set[str]) -> list[str]:
    """The generic tables of the result's fields not drawn by the body (charts left out)."""
    layout = decompose({k: v for k, v in result.items() if k not in leave_out})
    out = [rows_table(layout.rows)] if layout.rows else []
    out += [
        f'<div class="scroll"><h4>{esc(path_label(t.path))}</h4>{keyed_table(t)}</div>' for t in layout.tables
    ]
    return out


def _score_tiles(
    current: dict[str, Any], reference: dict[str, Any] | None, names: list[tuple[str, str]]
) -> str:
    items = [
        (label, current.get(key), (reference or {}).get(key))
        for label, key in names
        if current.get(key) is not None
    ]
    return tiles(items)


def roc_from_rates(rates: dict[str, dict[str, Any]]) -> str:
    """The ROC curve of each side, from the quality metric's rates by threshold (fpr, tpr)."""
    series = [
        Series(name, side.get("fpr") or [], side.get("tpr") or [], css) for css, name, side in _sides(rates)
    ]
    drawing = xy_svg(
        series,
        x_label=ROC.x_label,
        y_label=ROC.y_label,
        x_range=ROC.x_range,
        y_range=ROC.y_range,
        diagonal=True,
    )
    return figure("ROC curve", drawing, _legend([(s.css, s.label) for s in series]), "fig-curve")


def classification_quality_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """ClassificationQualityMetric: scores as tiles; ROC curve, rates by threshold and the predicted
    probabilities' quartiles per label as drawings; every other field in the tables."""
    result = entry.result or {}
    current, reference = result.get("current") or {}, result.get("reference")
    names = [
        ("accuracy", "accuracy"),
        ("precision", "precision"),
        ("recall", "recall"),
        ("F1", "f1"),
        ("ROC AUC", "roc_auc"),
        ("log loss", "log_loss"),
    ]
    figures = []
    rates = {name: rates for _, name, side in _sides(result) if (rates := side.get("rate_plots_data"))}
    if rates:
        figures.append(roc_from_rates(rates))
    layout = decompose(result)
    figures += [chart_figure(c) for c in layout.charts]
    drawn = {"accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"}
    rest = decompose(
        {
            side: {k: v for k, v in (result.get(side) or {}).items() if k not in drawn}
            for side in ("current", "reference")
            if result.get(side)
        }
        | {k: v for k, v in result.items() if k not in ("current", "reference")}
    )
    tables = [rows_table(rest.rows)] if rest.rows else []
    return _score_tiles(current, reference, names) + metric_body(tables, figures, figures_below=True)


def quality_by_class_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """ClassificationQualityByClass: precision, recall and F1 per class as bars (reference values as
    marks across them), then the full table."""
    result = entry.result or {}
    current = (result.get("current") or {}).get("metrics") or {}
    reference = ((result.get("reference") or {}).get("metrics")) or {}
    classes = list(current)
    scores = ("precision", "recall", "f1")
    groups = {s: [(current[c] or {}).get(s) for c in classes] for s in scores}
    marks = {s: [(reference.get(c) or {}).get(s) for c in classes] for s in scores} if reference else None
    drawing = bars_svg(classes, groups, y_label="score", y_range=(0.0, 1.0), marks=marks)
    legend = _legend(
        [(PALETTE[i], s) for i, s in enumerate(scores)], "black line: reference" if marks else ""
    )
    return metric_body(_generic(result, set()), [figure("quality by class", drawing, legend, "fig-bars")])


PR_COLUMNS = ("top %", "rows", "probability", "TP", "FP", "precision %", "recall %")
LIFT_COLUMNS = (
    "top %",
    "rows",
    "probability",
    "TP",
    "FP",
    "precision %",
    "recall %",
    "F1 %",
    "lift",
    "max lift",
    "relative lift",
    "% of the label",
)


def ranked_tables(
    sides: dict[str, dict[str, list[list[Any]]] | None],
    columns: tuple[str, ...],
    lines: tuple[int, ...],
    title: str,
    y_label: str,
) -> str:
    """Tables of rows ranked by probability (one per side and label, with named ``columns``) and, per
    label, the ``lines`` columns drawn against the first one (reference dashed)."""
    present = [(css, name, side) for css, name in SIDES if (side := sides.get(name))]
    figures, tables = [], []
    for label in sides.get("current") or {}:
        series, legend = [], []
        for k, index in enumerate(lines):
            colour = PALETTE[k % len(PALETTE)]
            legend.append((colour, columns[index]))
            for css, name, side in present:
                rows = [r for r in side.get(label) or [] if len(r) > index]
                series.append(
                    Series(
                        f"{columns[index]} ({name})",
                        [r[0] for r in rows],
                        [r[index] for r in rows],
                        colour,
                        dashed=css == "ref",
                    )
                )
        drawing = xy_svg(series, x_label="top % of rows by probability", y_label=y_label)
        note = "dashed: reference" if len(present) > 1 else ""
        figures.append(figure(f"{title} · {label}", drawing, _legend(legend, note)))
        for _, name, side in reversed(present):
            rows = side.get(label) or []
            head = "".join(f"<th>{esc(c)}</th>" for c in columns)
            body = "".join(
                "<tr>" + "".join(f'<td class="num">{fmt_value(v)}</td>' for v in row) + "</tr>"
                for row in rows
            )
            tables.append(
                f'<details class="scroll"><summary>{esc(name)} · label {esc(label)}: {len(rows)} rows'
                "</summary>"
                f'<table class="keyed"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>'
            )
    return metric_body(tables, figures)


def pr_table_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """ClassificationPRTable: per label, precision and recall of the top rows by probability."""
    result = entry.result or {}
    return ranked_tables(result, PR_COLUMNS, (5, 6), "precision and recall of the top rows", "%")


def lift_table_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """ClassificationLiftTable: per label, the lift of the top rows by probability and its table."""
    result = entry.result or {}
    sides = {"current": result.get("current_lift_table"), "reference": result.get("reference_lift_table")}
    return ranked_tables(sides, LIFT_COLUMNS, (8, 9), "lift of the top rows", "lift")


FEATURE_SCORES = ("accuracy", "precision", "recall", "f1")


def _bucket_rows(column: Any, cur: dict[str, Any], ref: dict[str, Any] | None) -> str:
    """Rows per bucket: a histogram over the bins (the missing bucket in the caption), or value counts."""
    counts, ref_counts = cur.get("count") or [], (ref or {}).get("count")
    legend = _legend(
        [(css, name) for css, name in SIDES if name == "current" or ref_counts], "% of each side's rows"
    )
    edges = cur.get("edges")
    if edges and len(counts) == len(edges):  # bins, then the missing bucket
        same = ref_counts is not None and (ref or {}).get("edges") == edges
        drawing = histogram_svg(
            edges, counts[:-1], ref_counts[:-1] if ref_counts is not None and same else None
        )
        return figure(f"rows by {fmt_text(column)} ({counts[-1]} missing)", drawing, legend)
    labels = bucket_labels(None, cur.get("categories"))[: len(counts)]
    sides = [{"values": labels, "counts": c} if c is not None else None for c in (counts, ref_counts)]
    return figure(f"rows by {fmt_text(column)}", counts_svg(sides[0], sides[1]), legend)


def quality_by_feature_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """ClassificationQualityByFeatureTable: per feature (folded), the scores per bin or category as
    lines (reference dashed) and the rows per bucket as bars."""
    result = entry.result or {}
    current, reference = result.get("current") or {}, result.get("reference") or {}
    sections = []
    for column in result.get("columns") or list(current):
        cur, ref = current.get(str(column)) or {}, reference.get(str(column))
        buckets = bucket_labels(cur.get("edges"), cur.get("categories"))[: len(cur.get("count") or [])]
        score_figures = []
        for score in FEATURE_SCORES:
            lines = {"ref": (ref or {}).get(score) or [], "cur": cur.get(score) or []}
            if not ref:
                lines.pop("ref")
            score_figures.append(
                figure(
                    f"{score} by {column}",
                    lines_svg(buckets, lines),
                    _legend([(css, name) for css, name in SIDES if css in lines]),
                )
            )
        rows_drawing = bars_svg(buckets, {"rows": cur.get("count") or []}, y_label="rows")
        sections.append(
            f'<details class="feature"><summary>{esc(fmt_text(column))}</summary><div class="figures">'
            f"{''.join(score_figures)}{figure(f'rows by {column} (current)', rows_drawing)}</div></details>"
        )
    rows = rows_table(decompose({k: result.get(k) for k in ("target_name", "labels")}).rows)
    return rows + "".join(sections)


def regression_quality_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """RegressionQualityMetric: the headline errors as tiles, the error histogram, the tables."""
    result = entry.result or {}
    names = [
        ("R²", "r2_score"),
        ("RMSE", "rmse"),
        ("mean error", "mean_error"),
        ("MAE", "mean_abs_error"),
        ("MAPE %", "mean_abs_perc_error"),
    ]
    layout = decompose(result)
    tables = [rows_table(layout.rows)] + [
        f'<div class="scroll"><h4>{esc(path_label(t.path))}</h4>{keyed_table(t)}</div>' for t in layout.tables
    ]
    figures = [chart_figure(c) for c in layout.charts]
    return _score_tiles(result.get("current") or {}, result.get("reference"), names) + metric_body(
        tables, figures
    )


def error_distribution_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """RegressionErrorDistribution: the error histogram of both sides on shared bins."""
    result = entry.result or {}
    current, reference = result.get("current_bins") or {}, result.get("reference_bins")
    edges = current.get("edges") or []
    same = reference is not None and reference.get("edges") == edges
    drawing = histogram_svg(
        edges, current.get("count") or [], reference.get("count") if reference is not None and same else None
    )
    legend = _legend(
        [(css, name) for css, name in SIDES if name == "current" or same], "% of each side's rows"
    )
    figures = [figure("error (prediction − target)", drawing, legend, "fig-hist")]
    if reference is not None and not same:
        figures.append(figure("error · reference", histogram_svg(reference["edges"], reference["count"]), ""))
    return metric_body([], figures)


def error_normality_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """RegressionErrorNormality: Q-Q points of the standardised error with each side's fitted line."""
    result = entry.result or {}
    series = []
    for css, name in SIDES:
        points, line = result.get(f"{name}_plot"), result.get(f"{name}_theoretical")
        if points:
            series.append(Series(name, points.get("x") or [], points.get("y") or [], css, markers=True))
        if line:
            series.append(Series(f"{name} fit", line.get("x") or [], line.get("y") or [], css, dashed=True))
    drawing = xy_svg(series, x_label="normal quantile", y_label="error quantile (standardised)")
    table = rows_table(
        decompose(
            {
                f"{side} fit": {
                    k: (result.get(f"{side}_theoretical") or {}).get(k) for k in ("slope", "intercept", "r")
                }
                for side in ("current", "reference")
                if result.get(f"{side}_theoretical")
            }
        ).rows
    )
    legend = _legend(
        [(css, name) for css, name in SIDES if result.get(f"{name}_plot")], "dashed: fitted line"
    )
    return metric_body([table], [figure("Q-Q plot of the error", drawing, legend, "fig-curve")])


def _period_labels(result: dict[str, Any], xs: list[Any]) -> tuple[list[str], str]:
    """Labels of the x buckets (ISO period starts shortened, or index bins) and the axis title."""
    if result.get("x_axis") == "datetime":
        return [
            str(x)[:16].replace("T00:00", "") for x in xs
        ], f"{result.get('datetime_column_name') or 'time'} ({result.get('prefix') or 'period'})"
    edges = result.get("index_edges") or []
    return [fmt_number(e) for e in edges[:-1]], "index (binned)"


def over_time_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """RegressionPredictedVsActualPlot, RegressionErrorPlot, RegressionAbsPercentageErrorPlot: each
    value's mean per period (or index bin), current solid and reference dashed, on one time axis."""
    result = entry.result or {}
    sides = [(css, name, result[name]) for css, name in SIDES if isinstance(result.get(name), dict)]
    names = list((result.get("current") or {}).keys())
    if result.get("x_axis") == "datetime":
        xs = sorted({x for _, _, side in sides for n in names for x in (side.get(n) or {}).get("x") or []})
    else:
        xs = list(range(max(0, len(result.get("index_edges") or []) - 1)))
    position = {x: i for i, x in enumerate(xs)}
    series = []
    for k, value_name in enumerate(names):
        for css, name, side in sides:
            values = side.get(value_name) or {}
            keys = (
                values.get("x")
                if result.get("x_axis") == "datetime"
                else range(len(values.get("mean") or []))
            )
            points = [
                (position[x], m)
                for x, m in zip(keys or [], values.get("mean") or [], strict=False)
                if x in position
            ]
            series.append(
                Series(
                    f"{value_name} ({name})",
                    [p[0] for p in points],
                    [p[1] for p in points],
                    PALETTE[k % len(PALETTE)],
                    dashed=css == "ref",
                )
            )
    labels, axis = _period_labels(result, xs)
    every = max(1, -(-len(labels) // 6))
    ticks = [(i, label) for i, label in enumerate(labels) if i % every == 0]
    drawing = xy_svg(series, x_label=axis, y_label="mean", x_ticks=ticks)
    legend = _legend(
        [(PALETTE[k % len(PALETTE)], n) for k, n in enumerate(names)],
        "dashed: reference" if len(sides) > 1 else "",
    )
    dropped = [
        (name, sum((v or {}).get("dropped_rows", 0) for v in side.values())) for _, name, side in sides
    ]
    rows = rows_table(decompose({"x axis": axis, **{f"rows left out ({n})": d for n, d in dropped}}).rows)
    return metric_body(
        [rows], [figure(f"mean of {', '.join(names)} by {axis}", drawing, legend, "fig-curve")]
    )


BODIES = {
    "ClassificationQualityMetric": classification_quality_body,
    "ClassificationQualityByClass": quality_by_class_body,
    "ClassificationPRTable": pr_table_body,
    "ClassificationLiftTable": lift_table_body,
    "ClassificationQualityByFeatureTable": quality_by_feature_body,
    "RegressionQualityMetric": regression_quality_body,
    "RegressionErrorDistribution": error_distribution_body,
    "RegressionErrorNormality": error_normality_body,
    "RegressionPredictedVsActualPlot": over_time_body,
    "RegressionErrorPlot": over_time_body,
    "RegressionAbsPercentageErrorPlot": over_time_body,
}

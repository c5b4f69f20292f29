"""Card bodies of the drift metrics: one full-width row per column with its test, score, verdict and
its distribution drawn beside it (reference bars in grey, current in blue, as shares of each side).

>>> dist = {"histogram": {"edges": [0, 1, 2], "current": [1, 3], "reference": [2, 2]}}
>>> mini_distribution_svg(dist).startswith("<svg")
True
"""

from __future__ import annotations

from typing import Any

from monitorflow.render.charts import svg
from monitorflow.render.format import esc, fmt_number, fmt_text, fmt_value
from monitorflow.render.tables import tiles
from monitorflow.snapshot import MetricEntry, Snapshot

MINI_WIDTH, MINI_HEIGHT = 260, 52
#: Categories drawn per column at most (by reference then current count).
MINI_CATEGORIES = 12
#: Widest bucket (px): a few categories keep thin bars.
MAX_SLOT = 36


def _shares(counts: list[int]) -> list[float]:
    total = sum(counts)
    return [c / total if total else 0.0 for c in counts]


def _bars(groups: list[tuple[str, list[float]]], tips: list[str]) -> str:
    """Pairs of thin bars (reference then current) per bucket, scaled to the largest share."""
    n = max((len(shares) for _, shares in groups), default=0)
    if not n:
        return ""
    top = max((s for _, shares in groups for s in shares), default=0.0) or 1.0
    slot = min(MINI_WIDTH / n, MAX_SLOT)
    bar = max((slot - 1) / len(groups), 0.5)
    parts = []
    for i in range(n):
        rects = []
        for k, (css, shares) in enumerate(groups):
            h = shares[i] / top * (MINI_HEIGHT - 4) if i < len(shares) else 0.0
            rects.append(
                f'<rect class="{css}" x="{i * slot + k * bar:.1f}" y="{MINI_HEIGHT - 2 - h:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}"/>'
            )
        parts.append(f"<g><title>{esc(tips[i])}</title>{''.join(rects)}</g>")
    parts.append(
        f'<line class="axis" x1="0" y1="{MINI_HEIGHT - 1.5}" x2="{MINI_WIDTH}" y2="{MINI_HEIGHT - 1.5}"/>'
    )
    return svg(MINI_WIDTH, MINI_HEIGHT, "".join(parts), "distribution, reference and current")


def mini_distribution_svg(distribution: dict[str, Any] | None) -> str:
    """A row-sized drawing of a column's stored distribution (histogram or category counts)."""
    distribution = distribution or {}
    histogram = distribution.get("histogram")
    if histogram:
        edges, current, reference = histogram["edges"], histogram["current"], histogram.get("reference")
        sides = [("ref", reference), ("cur", current)] if reference is not None else [("cur", current)]
        shares = {css: _shares(c) for css, c in sides}
        tips = [
            f"[{fmt_number(edges[i])}, {fmt_number(edges[i + 1])}): "
            + ", ".join(
                f"{'current' if css == 'cur' else 'reference'} {shares[css][i]:.1%}" for css, _ in sides
            )
            for i in range(len(current))
        ]
        return _bars([(css, shares[css]) for css, _ in sides], tips)
    current, reference = distribution.get("current_counts"), distribution.get("reference_counts")
    if not current and not reference:
        return '<span class="muted">—</span>'
    totals: dict[str, dict[Any, int]] = {}
    for name, vc in (("reference", reference), ("current", current)):
        if vc:
            totals[name] = dict(zip(map(fmt_text, vc["values"]), vc["counts"], strict=True))
            if vc.get("other"):
                totals[name]["(other)"] = vc["other"]
    order = sorted(
        {v for t in totals.values() for v in t}, key=lambda v: -sum(t.get(v, 0) for t in totals.values())
    )
    order = order[:MINI_CATEGORIES]
    groups = [
        ("ref" if name == "reference" else "cur", _shares([t.get(v, 0) for v in order]) if t else [])
        for name, t in totals.items()
    ]
    tips = [
        f"{v}: "
        + ", ".join(
            f"{name} {t.get(v, 0):,} ({t.get(v, 0) / (sum(t.values()) or 1):.1%})"
            for name, t in totals.items()
        )
        for v in order
    ]
    return _bars(groups, tips)


def _verdict(drifted: Any) -> str:
    if drifted is None:
        return '<span class="muted">—</span>'
    return (
        '<span class="badge s-fail">drift</span>'
        if drifted
        else '<span class="badge s-success">no drift</span>'
    )


HEAD = (
    "column",
    "type",
    "test",
    "threshold",
    "score",
    "drift",
    "values (current / reference)",
    "distribution",
)


def drift_rows(columns: list[dict[str, Any]]) -> str:
    """The full-width table: drifted columns first, each with its distribution beside it."""
    ordered = sorted(columns, key=lambda c: not c.get("drift_detected"))
    body = []
    for c in ordered:
        note = f'<div class="muted">{esc(c["message"])}</div>' if c.get("message") else ""
        body.append(
            f'<tr class="{"drifted" if c.get("drift_detected") else ""}">'
            f'<th scope="row">{esc(fmt_text(c.get("column_name")))}{note}</th>'
            f"<td>{esc(c.get('column_type') or '')}</td>"
            f"<td>{esc(c.get('stattest_name') or c.get('stattest') or '')}</td>"
            f'<td class="num">{fmt_value(c.get("stattest_threshold"))}</td>'
            f'<td class="num">{fmt_value(c.get("drift_score"))}</td>'
            f"<td>{_verdict(c.get('drift_detected'))}</td>"
            f'<td class="num">{fmt_value(c.get("number_of_values_current"))} / '
            f"{fmt_value(c.get('number_of_values_reference'))}</td>"
            f'<td class="dist">{mini_distribution_svg(c.get("distribution"))}</td></tr>'
        )
    head = "".join(f"<th>{esc(h)}</th>" for h in HEAD)
    legend = (
        '<p class="legend"><span class="key ref"></span>reference <span class="key cur"></span>current '
        '<span class="unit">· bars: % of each side\'s values</span></p>'
    )
    return (
        f'{legend}<div class="scroll"><table class="drift"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _headline(result: dict[str, Any]) -> str:
    items = [
        ("columns", result.get("number_of_columns"), None),
        ("drifted columns", result.get("number_of_drifted_columns"), None),
        ("share drifted", result.get("share_of_drifted_columns"), None),
        ("dataset drift", "yes" if result.get("dataset_drift") else "no", None),
    ]
    return tiles([i for i in items if i[1] is not None])


def data_drift_table_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """DataDriftTable: headline numbers, then every column's row with its distribution."""
    result = entry.result or {}
    columns = list((result.get("drift_by_columns") or {}).values())
    return _headline(result) + drift_rows([c for c in columns if isinstance(c, dict)])


def column_drift_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """ColumnDriftMetric: the same row for its one column."""
    return drift_rows([entry.result or {}])


BODIES = {"DataDriftTable": data_drift_table_body, "ColumnDriftMetric": column_drift_body}

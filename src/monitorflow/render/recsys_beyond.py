"""Card bodies of the beyond-accuracy recommender metrics: values as tiles, distributions as bars,
example recommendations as tables.

>>> from monitorflow.snapshot import MetricEntry, Snapshot
>>> from datetime import UTC, datetime
>>> snap = Snapshot(kind="report", timestamp=datetime(2026, 1, 1, tzinfo=UTC))
>>> entry = MetricEntry(id="d", type="DiversityMetric", params={"k": 2},
...                     result={"k": 2, "current_value": 0.5, "current_distr": {"x": [0, 1], "y": [3]}})
>>> "Diversity (top-2)" in user_values_body(entry, snap)
True
"""

from __future__ import annotations

from typing import Any

from monitorflow.render.charts import PALETTE, bars_svg
from monitorflow.render.format import esc, fmt_number
from monitorflow.render.tables import tiles
from monitorflow.snapshot import MetricEntry, Snapshot

#: Title and x-axis of each per-user value metric.
USER_VALUES = {
    "DiversityMetric": ("Diversity", "intra list diversity by user"),
    "NoveltyMetric": ("Novelty", "novelty by user"),
    "SerendipityMetric": ("Serendipity", "serendipity by user"),
}


def _labels(x: list[Any], n: int) -> list[str]:
    """Bin labels from edges (one more than the counts) or the values themselves."""
    if len(x) == n + 1:
        return [f"{fmt_number(a)}–{fmt_number(b)}" for a, b in zip(x[:-1], x[1:], strict=True)]
    return [str(v) for v in x]


def _bars(caption: str, groups: dict[str, dict[str, Any] | None], y_label: str = "count") -> str:
    """One bar chart of several distributions sharing their bins (those of the first one)."""
    present = {name: d for name, d in groups.items() if d}
    if not present:
        return ""
    first = next(iter(present.values()))
    labels = _labels(first["x"], len(first["y"]))
    shares = {}
    for name, d in present.items():
        total = sum(d["y"]) or 1
        by_label = dict(zip(_labels(d["x"], len(d["y"])), d["y"], strict=False))
        shares[name] = [by_label.get(label, 0) / total for label in labels]
    legend = "".join(
        f'<span class="key {PALETTE[i % len(PALETTE)]}"></span>{esc(name)} ' for i, name in enumerate(shares)
    )
    drawing = bars_svg(labels, shares, y_label=f"share of {y_label}")
    caption_html = f'<figcaption>{esc(caption)}<span class="legend">{legend}</span></figcaption>'
    return f"<figure>{caption_html}{drawing}</figure>"


def _body(head: str, figures: str) -> str:
    return (
        f'<div class="metric-body"><div class="tables">{head}</div><div class="charts">{figures}</div></div>'
    )


def user_values_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    r = entry.result or {}
    title, axis = USER_VALUES[entry.type]
    head = tiles([(f"{title} (top-{r.get('k')})", r.get("current_value"), r.get("reference_value"))])
    figure = _bars(axis, {"current": r.get("current_distr"), "reference": r.get("reference_distr")}, "users")
    return _body(head, figure)


def popularity_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    r = entry.result or {}
    normed = " (normalized)" if r.get("normalize_arp") else ""
    head = f'<p class="muted">Popularity bias (top-{esc(r.get("k"))})</p>' + tiles(
        [
            (f"ARP{normed}", r.get("current_apr"), r.get("reference_apr")),
            ("coverage", r.get("current_coverage"), r.get("reference_coverage")),
            ("gini index", r.get("current_gini"), r.get("reference_gini")),
        ]
    )
    figure = _bars(
        "popularity of recommended items",
        {"current": r.get("current_distr"), "reference": r.get("reference_distr")},
        "items",
    )
    return _body(head, figure)


def bias_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    r = entry.result or {}
    kind = "Item" if entry.type == "ItemBiasMetric" else "User"
    head = f"<p>{kind} bias by {esc(repr(r.get('column_name')))}</p>"
    figures = "".join(
        _bars(
            f"{side}: recommendations vs training",
            {"recommendations": r.get(f"{side}_distr"), "training": r.get(f"{side}_train_distr")},
        )
        for side in ("current", "reference")
    )
    return _body(head, figures)


def _rows_table(rows: list[dict[str, str]], caption: str) -> str:
    columns = list(rows[0]) if rows else []
    header = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows)
    head = f"<caption>{esc(caption)}</caption><thead><tr>{header}</tr></thead>"
    return f'<table class="fields">{head}<tbody>{body}</tbody></table>'


def cases_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    r = entry.result or {}
    parts = ["<p>Recommendation cases</p>"]
    for user in r.get("user_ids", []):
        for side in ("current", "reference"):
            rows = (r.get(side) or {}).get(user)
            if rows is None:
                continue
            history = (r.get(f"{side}_train") or r.get("current_train") or {}).get(user)
            seen = f"; previous interactions: {', '.join(history)}" if history else ""
            parts.append(_rows_table(rows, f"user {user} · {side}{seen}"))
    return f'<div class="metric-body"><div class="tables">{"".join(parts)}</div></div>'


#: Registered in :data:`monitorflow.render.metrics.RENDERERS`.
BODIES = {
    **{metric_type: user_values_body for metric_type in USER_VALUES},
    "PopularityBias": popularity_body,
    "ItemBiasMetric": bias_body,
    "UserBiasMetric": bias_body,
    "RecCasesTable": cases_body,
}

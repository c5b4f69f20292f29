"""Page assembly: one self-contained HTML document (inline CSS and SVG, no script, no network).

>>> from datetime import UTC, datetime
>>> from monitorflow.snapshot import Snapshot
>>> page = render_snapshot(Snapshot(kind="report", name="<demo>", timestamp=datetime(2026, 1, 1, tzinfo=UTC)))
>>> "&lt;demo&gt;" in page and "2026-01-01T00:00:00+00:00" in page
True
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from monitorflow.render.format import esc, fmt_text, fmt_value
from monitorflow.render.metrics import metric_anchor, metric_card, title_params
from monitorflow.render.results import results_section
from monitorflow.render.style import CSS
from monitorflow.render.tables import tiles
from monitorflow.snapshot import MetricEntry, Snapshot
from monitorflow.version import __version__

KIND_TITLES = {"report": "Report", "test_suite": "Test suite"}
TYPE_NAMES = {"num": "numerical", "cat": "categorical", "text": "text", "datetime": "datetime"}


def _dl(items: list[tuple[str, str]]) -> str:
    """A definition list; values are already HTML."""
    return '<dl class="meta">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"


def header(snapshot: Snapshot) -> str:
    """Name, kind, tags, timestamps (UTC, ISO 8601), metadata and the snapshot id."""
    title = snapshot.name or KIND_TITLES[snapshot.kind]
    tags = "".join(f'<span class="chip">{esc(tag)}</span>' for tag in snapshot.tags)
    items = [
        ("timestamp", esc(snapshot.timestamp.isoformat())),
        ("created at", esc(snapshot.created_at.isoformat())),
        ("snapshot id", f'<span class="mono">{esc(snapshot.id)}</span>'),
        ("schema version", esc(snapshot.schema_version)),
    ]
    if tags:
        items.insert(0, ("tags", tags))
    items += [(str(key), fmt_value(value)) for key, value in snapshot.metadata.items()]
    items += [(f"{side} data", esc(link)) for side, link in snapshot.datasets.model_dump().items() if link]
    return (
        f'<header class="card"><h1>{esc(title)}</h1>'
        f'<span class="chip kind">{esc(KIND_TITLES[snapshot.kind].lower())}</span>{_dl(items)}</header>'
    )


def _data_items(snapshot: Snapshot) -> list[tuple[str, str]]:
    definition = snapshot.data_definition
    if definition is None:
        return []
    by_type = Counter(TYPE_NAMES.get(c.type.value, c.type.value) for c in definition.columns)
    items = [("columns", esc(", ".join(f"{n} {kind}" for kind, n in by_type.items()) or "none"))]
    roles = {
        "target": definition.target,
        "prediction": definition.prediction or definition.prediction_probas,
        "datetime": definition.datetime,
        "id": definition.id,
        "task": definition.task,
    }
    items += [(role, esc(fmt_text(value))) for role, value in roles.items() if value]
    items += [
        (f"skipped ({where.replace('_', ' ')})", esc(fmt_text(cols)))
        for where, cols in definition.skipped_columns.items()
    ]
    return items


def _toc(entries: list[MetricEntry]) -> str:
    def item(entry: MetricEntry) -> str:
        params = ", ".join(fmt_text(v) for v in title_params(entry).values())
        mark = ' <span class="failed-mark">error</span>' if entry.error is not None else ""
        return (
            f'<li><a href="#{metric_anchor(entry)}">{esc(entry.type)}</a> '
            f'<span class="muted">{esc(params)}</span>{mark}</li>'
        )

    return f'<nav class="toc"><h4>Metrics</h4><ol>{"".join(map(item, entries))}</ol></nav>' if entries else ""


def summary(snapshot: Snapshot, shown: list[MetricEntry]) -> str:
    """Counts of metrics (and failed ones), the data definition, and a table of contents."""
    errors = sum(1 for e in snapshot.metrics if e.error is not None)
    reference = snapshot.data_definition.reference_present if snapshot.data_definition else None
    numbers: list[tuple[str, Any, Any]] = [
        ("metrics", len(snapshot.metrics), None),
        ("metrics failed", errors, None),
    ]
    if snapshot.data_definition is not None:
        numbers.append(("columns", len(snapshot.data_definition.columns), None))
    if reference is not None:
        numbers.append(("reference data", "yes" if reference else "no", None))
    return (
        f'<section class="card" id="summary"><h2>Summary</h2>{tiles(numbers)}'
        f"{_dl(_data_items(snapshot))}{_toc(shown)}</section>"
    )


def metrics_sections(snapshot: Snapshot) -> tuple[list[MetricEntry], str]:
    """The metrics the user asked for as cards, then the others (dependencies of tests) folded."""
    top = set(snapshot.top_level_metrics)
    order = {entry_id: i for i, entry_id in enumerate(snapshot.top_level_metrics)}
    shown = sorted((e for e in snapshot.metrics if e.id in top), key=lambda e: order[e.id])
    rest = [e for e in snapshot.metrics if e.id not in top]
    html = "".join(metric_card(e, snapshot) for e in shown)
    if rest:
        label = "Metrics computed for the tests" if not shown else "Other metrics"
        html += (
            f'<details class="card"><summary><h2 style="display:inline">{label} ({len(rest)})</h2></summary>'
            + "".join(metric_card(e, snapshot) for e in rest)
            + "</details>"
        )
    return shown, html


def render_snapshot(snapshot: Snapshot) -> str:
    """The standalone HTML page of a snapshot (works from a loaded snapshot, without the data)."""
    shown, metrics_html = metrics_sections(snapshot)
    title = snapshot.name or KIND_TITLES[snapshot.kind]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · monitorflow</title><style>{CSS}</style></head><body><main>"
        f"{header(snapshot)}{summary(snapshot, shown)}{results_section(snapshot)}{metrics_html}"
        f"<footer>monitorflow {esc(__version__)} · snapshot {esc(snapshot.id)}</footer>"
        "</main></body></html>\n"
    )

"""A card per metric: generic for any result shape, with optional renderers per metric type.

A renderer takes the entry (whose ``result`` is set) and the snapshot and returns the card's body
HTML. Register one in :data:`RENDERERS` under the metric's type name; every other metric is
rendered by :func:`generic_body`.

>>> from monitorflow.snapshot import MetricEntry, Snapshot
>>> from datetime import UTC, datetime
>>> snap = Snapshot(kind="report", timestamp=datetime(2026, 1, 1, tzinfo=UTC))
>>> "number of rows" in generic_body(MetricEntry(id="x", type="Mine", result={"number_of_rows": 3}), snap)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monitorflow.render.drift import BODIES as DRIFT_BODIES
from monitorflow.render.embeddings import BODIES as EMBEDDINGS_BODIES
from monitorflow.render.figures import chart_figure, metric_body
from monitorflow.render.format import esc, fmt_text
from monitorflow.render.integrity_bodies import BODIES as INTEGRITY_BODIES
from monitorflow.render.layout import decompose
from monitorflow.render.model_quality import BODIES as MODEL_QUALITY_BODIES
from monitorflow.render.plots import PLOT_RENDERERS
from monitorflow.render.recsys import BODIES as RECSYS_BODIES
from monitorflow.render.recsys_beyond import BODIES as RECSYS_BEYOND_BODIES
from monitorflow.render.tables import keyed_table, path_label, rows_table, tiles
from monitorflow.snapshot import MetricEntry, Snapshot

MetricRenderer = Callable[[MetricEntry, Snapshot], str]
#: A result with at most this many plain rows (and no keyed table) gets its charts below, side by side.
FEW_ROWS = 4


def _key_label(keys: list[str], snapshot: Snapshot) -> str:
    columns = {str(c) for c in snapshot.data_definition.column_names} if snapshot.data_definition else set()
    return "column" if keys and set(keys) <= columns else "key"


def generic_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """Field table, keyed tables and charts of any result (see :mod:`monitorflow.render.layout`)."""
    layout = decompose(entry.result or {})
    if layout.is_empty:
        return '<p class="muted">This metric has no values to show.</p>'
    tables = [rows_table(layout.rows)] if layout.rows else []
    for table in layout.tables:
        caption = f"<h4>{esc(path_label(table.path))}</h4>" if table.path else ""
        tables.append(
            f'<div class="scroll">{caption}{keyed_table(table, _key_label(table.keys, snapshot))}</div>'
        )
    few_rows = not layout.tables and len(layout.rows) <= FEW_ROWS
    return metric_body(tables, [chart_figure(c) for c in layout.charts], figures_below=few_rows)


def dataset_summary_body(entry: MetricEntry, snapshot: Snapshot) -> str:
    """DatasetSummaryMetric: headline numbers as tiles above the generic tables."""
    result = entry.result or {}
    current, reference = result.get("current") or {}, result.get("reference") or {}
    headline = [
        ("rows", "number_of_rows"),
        ("columns", "number_of_columns"),
        ("missing values", "number_of_missing_values"),
        ("duplicated rows", "number_of_duplicated_rows"),
        ("empty rows", "number_of_empty_rows"),
        ("constant columns", "number_of_constant_columns"),
        ("duplicated columns", "number_of_duplicated_columns"),
    ]
    items = [(label, current.get(key), reference.get(key)) for label, key in headline if key in current]
    return tiles(items) + generic_body(entry, snapshot)


#: Specialised body renderers by metric type name; any other type gets :func:`generic_body`.
RENDERERS: dict[str, MetricRenderer] = {
    "DatasetSummaryMetric": dataset_summary_body,
    **INTEGRITY_BODIES,
    **PLOT_RENDERERS,
    **RECSYS_BODIES,
    **RECSYS_BEYOND_BODIES,
    **EMBEDDINGS_BODIES,
    **MODEL_QUALITY_BODIES,
    **DRIFT_BODIES,
}


#: Parameters that a metric's body already shows in full (not repeated as chips).
PARAMS_IN_BODY: dict[str, set[str]] = {"Comment": {"text"}}


def title_params(entry: MetricEntry) -> dict[str, Any]:
    """The parameters to show beside the metric's name."""
    in_body = PARAMS_IN_BODY.get(entry.type, set())
    return {k: v for k, v in entry.params.items() if k not in in_body}


def metric_title(entry: MetricEntry) -> str:
    """The metric's type name and its parameters as chips."""
    chips = "".join(
        f'<span class="chip">{esc(k)}: {esc(fmt_text(v))}</span>' for k, v in title_params(entry).items()
    )
    return f"<h3>{esc(entry.type)}</h3>{chips}"


def metric_anchor(entry: MetricEntry) -> str:
    return f"metric-{esc(entry.id)}"


def metric_card(entry: MetricEntry, snapshot: Snapshot) -> str:
    """The card of one metric: its title, then its error or its result."""
    if entry.error is not None or entry.result is None:
        body = (
            '<div class="error"><strong>This metric failed</strong>'
            f"<pre>{esc(entry.error or 'no result')}</pre></div>"
        )
    else:
        body = RENDERERS.get(entry.type, generic_body)(entry, snapshot)
    return (
        f'<section class="card metric" id="{metric_anchor(entry)}">'
        f'<header class="card-head">{metric_title(entry)}<span class="muted id">{esc(entry.id)}</span>'
        "</header>"
        f"{body}</section>"
    )

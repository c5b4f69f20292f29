"""Standalone HTML for a snapshot (no network: CSS and SVG charts are inline, no script).

``render_snapshot(snapshot)`` builds the page; ``Report.save_html`` / ``TestSuite.save_html`` write it.
Metrics render generically from their stored result; a metric type can get its own body renderer
by adding ``RENDERERS["MyMetric"] = fn`` where ``fn(entry, snapshot) -> str`` returns escaped HTML.
"""

from monitorflow.render.html import render_snapshot
from monitorflow.render.metrics import RENDERERS, MetricRenderer, generic_body

__all__ = ["RENDERERS", "MetricRenderer", "generic_body", "render_snapshot"]

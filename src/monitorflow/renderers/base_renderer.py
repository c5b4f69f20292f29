"""Custom renderers: ``@default_renderer(wrap_type=MyMetric)`` on a ``MetricRenderer`` subclass.

A renderer's ``render_json(obj)`` replaces the metric's entry in ``as_dict()`` / ``json()``; its
``render_html(obj)`` widgets (counters, tables, text) become the metric's card on the HTML page. The
renderers of monitorflow's own metrics are not classes: the page is drawn by :mod:`monitorflow.render`.
"""

from __future__ import annotations

import inspect
from html import escape
from typing import Any

from pydantic import BaseModel

from monitorflow.metrics.base import metric_class
from monitorflow.model.widget import BaseWidgetInfo
from monitorflow.render import RENDERERS
from monitorflow.render.metrics import generic_body

#: Custom renderers by the metric or test class they wrap.
DEFAULT_RENDERERS: dict[type, Any] = {}


class BaseRenderer:
    color_options: Any = None


class MetricRenderer(BaseRenderer):
    """Base of a custom metric renderer: override ``render_json`` and/or ``render_html``."""

    def render_json(
        self, obj: Any, include_render: bool = False, include: Any = None, exclude: Any = None
    ) -> dict[str, Any]:
        return obj.get_result().get_dict(include_render, include, exclude)

    def render_html(self, obj: Any) -> list[BaseWidgetInfo]:
        raise NotImplementedError


class DetailsInfo(BaseModel):
    title: str
    info: Any
    id: str = ""


class TestHtmlInfo(BaseModel):
    __test__ = False

    name: str
    description: str
    status: str
    details: list[DetailsInfo] = []
    groups: dict[str, str] = {}

    def with_details(self, title: str, info: Any) -> TestHtmlInfo:
        self.details.append(DetailsInfo(title=title, info=info))
        return self


class TestRenderer(BaseRenderer):
    """Base of a custom test renderer: ``render_json(obj)`` gives the test's entry in ``as_dict()``."""

    __test__ = False

    def render_json(
        self, obj: Any, include_render: bool = False, include: Any = None, exclude: Any = None
    ) -> dict[str, Any]:
        return obj.get_result().model_dump(
            mode="python", include={"name", "description", "status", "group", "parameters"}
        )

    def render_html(self, obj: Any) -> TestHtmlInfo:
        result = obj.get_result()
        return TestHtmlInfo(name=result.name, description=result.description, status=str(result.status))


def default_renderer(wrap_type: type) -> Any:
    """Register the decorated renderer class for ``wrap_type`` (a metric or test class)."""

    def register(renderer: type) -> type:
        DEFAULT_RENDERERS[wrap_type] = renderer()
        if isinstance(DEFAULT_RENDERERS[wrap_type], MetricRenderer):
            RENDERERS[wrap_type.__name__] = _widgets_body
        return renderer

    return register


def find_renderer(obj: Any) -> Any:
    for klass in type(obj).__mro__:
        if klass in DEFAULT_RENDERERS:
            return DEFAULT_RENDERERS[klass]
    return None


def _call(method: Any, obj: Any, include_render: bool, include: Any, exclude: Any) -> Any:
    accepted = inspect.signature(method).parameters
    options = {"include_render": include_render, "include": include, "exclude": exclude}
    return method(obj, **{k: v for k, v in options.items() if k in accepted})


def custom_json(obj: Any, include_render: bool, include: Any, exclude: Any) -> dict[str, Any] | None:
    """The entry a registered custom renderer gives ``obj``, or None when none is registered."""
    renderer = find_renderer(obj)
    if renderer is None or type(renderer).render_json is MetricRenderer.render_json:
        return None
    return _call(renderer.render_json, obj, include_render, include, exclude)


def _widgets_body(entry: Any, snapshot: Any) -> str:
    """The card body of a metric with a custom renderer: its ``render_html`` widgets."""

    cls = metric_class(entry.type)
    metric = cls(**entry.params)
    renderer = find_renderer(metric)
    metric.bind(_StoredResult(cls.result_type.model_validate(entry.result)))
    try:
        widgets = renderer.render_html(metric)
    except NotImplementedError:
        return generic_body(entry, snapshot)
    return "".join(widget_html(w) for w in widgets)


class _StoredResult:
    """A run that only knows one stored result (to render a metric from its snapshot entry)."""

    def __init__(self, result: Any) -> None:
        self._result = result

    def result(self, metric: Any) -> Any:
        return self._result


def widget_html(widget: BaseWidgetInfo) -> str:
    """Escaped HTML of one widget."""
    title = f"<h4>{escape(widget.title)}</h4>" if widget.title else ""
    params = widget.params or {}
    if widget.type == "counter":
        items = "".join(
            f'<div class="tile"><div class="tile-value">{escape(str(c.get("value", "")))}</div>'
            f'<div class="tile-label">{escape(str(c.get("label", "")))}</div></div>'
            for c in params.get("counters", [])
        )
        return f'{title}<div class="tiles">{items}</div>'
    if widget.type in ("table", "big_table"):
        head = "".join(f"<th>{escape(str(h))}</th>" for h in params.get("header", []))
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
            for row in params.get("data", [])
        )
        return (
            f'{title}<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
            "</table></div>"
        )
    if widget.type == "text":
        return f"{title}<p>{escape(str(params.get('text', '')))}</p>"
    if widget.type == "group":
        return title + "".join(widget_html(w) for w in widget.widgets)
    return (
        f'{title}<p class="muted">A {escape(widget.type)} widget: charts of custom renderers are not '
        "drawn on this offline page.</p>"
    )

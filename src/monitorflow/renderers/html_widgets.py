"""Widget helpers a custom renderer builds its output with, and ``WidgetSize`` (Evidently's names).

>>> header_text(label="My metric: 3").params
{'counters': [{'value': '', 'label': 'My metric: 3'}]}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from monitorflow._types import WidgetSize
from monitorflow.model.widget import BaseWidgetInfo, WidgetType


class CounterData:
    """One number (or text) of a counter widget."""

    def __init__(self, label: str, value: str) -> None:
        self.label = label
        self.value = value

    @staticmethod
    def float(label: str, value: float, precision: int) -> CounterData:
        return CounterData(label, f"{value:.{precision}}")

    @staticmethod
    def int(label: str, value: int) -> CounterData:
        return CounterData(label, str(value))

    @staticmethod
    def string(label: str, value: str) -> CounterData:
        return CounterData(label, value)


def _size(size: Any) -> int:
    return int(getattr(size, "value", size))


def counter(
    *, counters: list[CounterData], title: str = "", size: WidgetSize = WidgetSize.FULL
) -> BaseWidgetInfo:
    return BaseWidgetInfo(
        title=title,
        type=WidgetType.COUNTER.value,
        size=_size(size),
        params={"counters": [{"value": c.value, "label": c.label} for c in counters]},
    )


def header_text(*, label: str, title: str = "", size: WidgetSize = WidgetSize.FULL) -> BaseWidgetInfo:
    return counter(counters=[CounterData(label, "")], title=title, size=size)


def text_widget(*, text: str, title: str = "", size: WidgetSize = WidgetSize.FULL) -> BaseWidgetInfo:
    return BaseWidgetInfo(title=title, type="text", size=_size(size), params={"text": text})


def table_data(
    *,
    column_names: Iterable[str],
    data: Iterable[Iterable[Any]],
    title: str = "",
    size: WidgetSize = WidgetSize.FULL,
) -> BaseWidgetInfo:
    return BaseWidgetInfo(
        title=title,
        type=WidgetType.TABLE.value,
        size=_size(size),
        params={"header": list(column_names), "data": [[str(item) for item in row] for row in data]},
    )


def plotly_figure(*, title: str, figure: Any, size: WidgetSize = WidgetSize.FULL) -> BaseWidgetInfo:
    """A plotly figure; the offline page names it without drawing it (it loads no plotly.js)."""
    data = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    return BaseWidgetInfo(
        title=title, type=WidgetType.BIG_GRAPH.value, size=_size(size), params={"data": data.get("data", [])}
    )


def group_widget(
    *, title: str, widgets: list[BaseWidgetInfo], size: WidgetSize = WidgetSize.FULL
) -> BaseWidgetInfo:
    return BaseWidgetInfo(title=title, type=WidgetType.GROUP.value, size=_size(size), widgets=list(widgets))


__all__ = [
    "BaseWidgetInfo",
    "CounterData",
    "WidgetSize",
    "counter",
    "group_widget",
    "header_text",
    "plotly_figure",
    "table_data",
    "text_widget",
]

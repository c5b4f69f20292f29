"""``BaseWidgetInfo``: one widget a custom renderer returns, drawn on monitorflow's offline page.

Counters (``header_text``, ``counter``), tables (``table_data``) and text (``text_widget``) are drawn;
plotly figures are named but not drawn, since the page loads no script (docs/evidently-compat.md).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from monitorflow.ids import uuid7


class WidgetType(Enum):
    COUNTER = "counter"
    TABLE = "table"
    BIG_TABLE = "big_table"
    GROUP = "group"
    BIG_GRAPH = "big_graph"
    RICH_DATA = "rich_data"
    TABBED_GRAPH = "tabbed_graph"
    TABS = "tabs"


class BaseWidgetInfo(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    type: str
    title: str = ""
    size: int = 2
    id: str = Field(default_factory=lambda: str(uuid7()))
    details: str = ""
    params: Any = None
    widgets: list[BaseWidgetInfo] = []
    additionalGraphs: list[Any] = []  # noqa: N815 (Evidently's name)
    pageSize: int = 5  # noqa: N815

    def get_additional_graphs(self) -> list[Any]:
        return list(self.additionalGraphs)

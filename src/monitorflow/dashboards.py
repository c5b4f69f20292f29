"""Dashboard configuration of a project, and the frames of the series queries behind panels.

Panels are the models of :mod:`monitorflow.panels` (a dict of an unknown type is kept as given);
their values come from the workspace index: ``Workspace.dashboard_data`` (:mod:`monitorflow.panel_data`),
``Workspace.series`` and ``Workspace.test_status_series``.

>>> DashboardConfig(name="churn").model_dump()["panels"]
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from pydantic import BaseModel

from monitorflow.panels import DashboardPanel, DashboardTab, PanelItem, add_panel, create_tab

SERIES_COLUMNS = ["timestamp", "snapshot_id", "value"]
TEST_STATUS_COLUMNS = ["timestamp", "snapshot_id", "test_fingerprint", "test_type", "test_name", "status"]


class DashboardConfig(BaseModel):
    """Panels and tabs of a project's dashboard (Evidently's ``DashboardConfig`` shape)."""

    name: str = ""
    panels: list[PanelItem] = []
    tabs: list[DashboardTab] = []
    tab_id_to_panel_ids: dict[str, list[str]] = {}

    def add_panel(self, panel: Any, tab: Any = None, create_if_not_exists: bool = True) -> DashboardPanel:
        """Append ``panel``, in ``tab`` (a title, a tab id or a DashboardTab; created if missing)."""
        return add_panel(self, panel, tab, create_if_not_exists)

    def create_tab(self, title: str) -> DashboardTab:
        """The tab titled ``title``, created if missing."""
        return create_tab(self, title)


def _timestamps(micros: Sequence[int]) -> pd.Series:
    return pd.Series(
        pd.to_datetime(pd.array(micros, dtype="int64"), unit="us", utc=True), dtype="datetime64[us, UTC]"
    )


def series_frame(rows: Sequence[tuple[int, str, float, str]], with_fingerprint: bool = False) -> pd.DataFrame:
    """(timestamp UTC, snapshot_id, value[, metric_fingerprint]) from index rows (ts in microseconds)."""
    columns = SERIES_COLUMNS + (["metric_fingerprint"] if with_fingerprint else [])
    frame = pd.DataFrame(
        {
            "timestamp": _timestamps([r[0] for r in rows]),
            "snapshot_id": pd.Series([r[1] for r in rows], dtype=object),
            "value": pd.Series([r[2] for r in rows], dtype="float64"),
            "metric_fingerprint": pd.Series([r[3] for r in rows], dtype=object),
        }
    )
    return frame[columns]


def status_frame(rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    """(timestamp UTC, snapshot_id, test_fingerprint, test_type, test_name, status) from index rows
    (further fields of a row are left out)."""
    data: dict[str, Any] = {"timestamp": _timestamps([r[0] for r in rows])}
    for i, name in enumerate(TEST_STATUS_COLUMNS[1:], start=1):
        data[name] = pd.Series([r[i] for r in rows], dtype=object)
    return pd.DataFrame(data)

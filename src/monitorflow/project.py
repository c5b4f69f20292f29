"""Project (a named series of snapshots with a dashboard) and ``WorkspaceBase``, the interface every
workspace offers; a project's methods act on the workspace it came from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

import pandas as pd
from pydantic import AwareDatetime, BaseModel, Field, PrivateAttr, field_validator

from monitorflow.column_mapping import ColumnMapping
from monitorflow.dashboards import DashboardConfig
from monitorflow.errors import ConfigurationError
from monitorflow.ids import uuid7
from monitorflow.panel_data import DashboardQuery
from monitorflow.snapshot import Snapshot
from monitorflow.storage.base import DatasetInfo, SnapshotInfo
from monitorflow.timeutil import to_utc, utc_now

if TYPE_CHECKING:
    from monitorflow._suite import Suite
    from monitorflow.workspace import Workspace

IdLike = UUID | str


def to_uuid(value: Any, missing: Callable[[Any], Exception]) -> UUID:
    """A UUID from a UUID, its string, or an object with ``.id``; otherwise ``missing(value)``."""
    if isinstance(value, UUID):
        return value
    ident = getattr(value, "id", None)
    if isinstance(value, BaseModel) and isinstance(ident, UUID):
        return ident  # a Project or a SnapshotInfo
    try:
        return UUID(str(value))
    except ValueError:
        raise missing(value) from None


class Project(BaseModel):
    """A named series of snapshots with a dashboard; methods act on the workspace it came from."""

    id: UUID = Field(default_factory=uuid7)
    name: str
    description: str | None = None
    dashboard: DashboardConfig = Field(default_factory=DashboardConfig)
    created_at: AwareDatetime = Field(default_factory=utc_now)
    _workspace: Workspace | None = PrivateAttr(default=None)

    @field_validator("created_at", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return to_utc(value)

    def bind(self, workspace: Workspace) -> Project:
        self._workspace = workspace
        return self

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            raise ConfigurationError(
                f"project {self.name!r} is not attached to a workspace; use workspace.add_project(project)"
            )
        return self._workspace

    def save(self) -> Project:
        """Store name, description and dashboard changes."""
        self.workspace.update_project(self)
        return self

    def reload(self) -> Project:
        fresh = self.workspace.get_project(self.id)
        for name in type(self).model_fields:
            setattr(self, name, getattr(fresh, name))
        return self

    def add_report(self, report: Suite, include_data: bool = False, replace: bool = False) -> SnapshotInfo:
        return self.workspace.add_report(self.id, report, include_data=include_data, replace=replace)

    def add_test_suite(
        self, test_suite: Suite, include_data: bool = False, replace: bool = False
    ) -> SnapshotInfo:
        return self.workspace.add_test_suite(self.id, test_suite, include_data=include_data, replace=replace)

    def add_snapshot(
        self,
        snapshot: Snapshot,
        replace: bool = False,
        current_data: pd.DataFrame | None = None,
        reference_data: pd.DataFrame | None = None,
    ) -> SnapshotInfo:
        return self.workspace.add_snapshot(
            self.id, snapshot, replace=replace, current_data=current_data, reference_data=reference_data
        )

    def delete_snapshot(self, snapshot_id: IdLike) -> None:
        self.workspace.delete_snapshot(self.id, snapshot_id)

    def list_snapshots(self, **filters: Any) -> list[SnapshotInfo]:
        return self.workspace.list_snapshots(self.id, **filters)

    def get_snapshot_metadata(self, snapshot_id: IdLike) -> SnapshotInfo:
        return self.workspace.get_snapshot_metadata(self.id, snapshot_id)

    def load_snapshot(self, snapshot_id: IdLike) -> Snapshot:
        return self.workspace.load_snapshot(self.id, snapshot_id)

    def load_dataset(
        self, snapshot_id: IdLike, which: Literal["current", "reference"] = "current"
    ) -> pd.DataFrame:
        return self.workspace.load_dataset(self.id, snapshot_id, which)

    def add_dataset(
        self,
        df: pd.DataFrame,
        name: str,
        description: str | None = None,
        column_mapping: ColumnMapping | None = None,
    ) -> UUID:
        return self.workspace.add_dataset(self.id, df, name, description, column_mapping)

    def list_datasets(self) -> list[DatasetInfo]:
        return self.workspace.list_datasets(self.id)

    def series(self, metric: Any, field_path: str, **filters: Any) -> pd.DataFrame:
        return self.workspace.series(self.id, metric, field_path, **filters)

    def test_status_series(self, test: Any = None, **filters: Any) -> pd.DataFrame:
        return self.workspace.test_status_series(self.id, test, **filters)

    def tag_values(self, prefix: str = "") -> list[str]:
        return self.workspace.tag_values(self.id, prefix)

    def dashboard_data(self, query: DashboardQuery | None = None) -> dict[str, Any]:
        return self.workspace.dashboard_data(self.id, query)


class WorkspaceBase:
    """The interface every workspace offers, local (:class:`Workspace`) or remote (``RemoteWorkspace``),
    under Evidently's name ``WorkspaceBase`` (for type hints and ``isinstance``)."""

    def create_project(self, name: str, description: str | None = None) -> Project:
        raise NotImplementedError

    def add_project(self, project: Project) -> Project:
        raise NotImplementedError

    def get_project(self, project_id: IdLike) -> Project:
        raise NotImplementedError

    def delete_project(self, project_id: IdLike) -> None:
        raise NotImplementedError

    def list_projects(self) -> list[Project]:
        raise NotImplementedError

    def search_project(self, name: str) -> list[Project]:
        raise NotImplementedError

    def add_snapshot(
        self,
        project_id: IdLike,
        snapshot: Snapshot,
        replace: bool = False,
        current_data: pd.DataFrame | None = None,
        reference_data: pd.DataFrame | None = None,
    ) -> SnapshotInfo:
        raise NotImplementedError

    def delete_snapshot(self, project_id: IdLike, snapshot_id: IdLike) -> None:
        raise NotImplementedError

    def add_report(
        self, project_id: IdLike, report: Suite, include_data: bool = False, replace: bool = False
    ) -> SnapshotInfo:
        raise NotImplementedError

    def add_test_suite(
        self, project_id: IdLike, test_suite: Suite, include_data: bool = False, replace: bool = False
    ) -> SnapshotInfo:
        raise NotImplementedError

"""A dataset stored in the monitor's workspace (``Workspace.add_dataset``), by id."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

import pandas as pd
from pydantic import Field

from monitorflow.errors import DatasetNotFound, SourceError, StorageError
from monitorflow.monitoring.sources.base import SourceConfig
from monitorflow.monitoring.windows import Window
from monitorflow.workspace import Workspace


class DatasetSource(SourceConfig):
    """A dataset stored in the monitor's workspace, by its id."""

    kind: Literal["dataset"] = Field("dataset", description="The kind of source.")
    dataset_id: UUID = Field(description="The id the workspace gave the dataset.")

    def describe(self) -> str:
        return f"dataset {self.dataset_id}"

    def read(self, window: Window | None, workspace: str) -> pd.DataFrame:
        where = f"dataset {self.dataset_id} in workspace {workspace!r}"
        try:
            with Workspace(workspace) as ws:
                frame = ws.load_dataset(self.dataset_id)
        except DatasetNotFound as exc:
            raise SourceError(f"cannot read {where}: {exc}", where, transient=False) from None
        except StorageError as exc:
            raise SourceError(f"cannot read {where}: {exc}", where) from exc
        frame.attrs = {}
        return frame

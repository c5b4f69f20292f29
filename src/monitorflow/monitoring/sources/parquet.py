"""A Parquet dataset read lazily: a folder, a glob or hive partitions, local or ``s3://``.

Unlike ``kind: file``, the window is never loaded into pandas: the window's time filter (and the
monitor's ``filters``, and a segment's value) go down to the row groups, and the run reads
partitions into profiles (``docs/scale.md``).

>>> source = ParquetDatasetSource(path="s3://events/day=*/", timestamp_column="ts")
>>> w = Window(start=datetime(2026, 1, 5, tzinfo=UTC), end=datetime(2026, 1, 6, tzinfo=UTC))
>>> lazy = source.lazy(w)
>>> (lazy.time_column, lazy.start.isoformat(), lazy.end.isoformat())
('ts', '2026-01-05T00:00:00+00:00', '2026-01-06T00:00:00+00:00')
"""

from __future__ import annotations

from datetime import UTC, datetime  # noqa: F401 - the doctest's names
from typing import Any, Literal

import pandas as pd
from pydantic import Field, model_validator

from monitorflow.monitoring.sources.base import SourceConfig
from monitorflow.monitoring.sources.files import render_path
from monitorflow.monitoring.windows import Window


class ParquetDatasetSource(SourceConfig):
    """A Parquet dataset read by row groups, never loaded whole: the window's time filter and the
    filters go down to the files (a naive time column holds UTC times)."""

    kind: Literal["parquet"] = Field("parquet", description="The kind of source.")
    path: str = Field(
        min_length=1,
        description="A file, a folder or a glob, local or s3://bucket/prefix; {start} and {end} pick the "
        "window's folder or files (for example events/day={start}/), so other windows' files are not listed.",
    )
    partitioning: Literal["hive"] | None = Field(
        "hive", description="Hive: key=value folders are columns; none: folders are only folders."
    )
    endpoint_url: str | None = Field(
        None, description="The S3 endpoint (default: AWS_ENDPOINT_URL or the AWS configuration)."
    )

    @model_validator(mode="after")
    def _utc_times(self) -> ParquetDatasetSource:
        if self.timezone != "UTC":
            raise ValueError(
                "a parquet source filters naive times as UTC (pushed down to the files); "
                "store aware timestamps or UTC, and leave timezone unset"
            )
        return self

    def describe(self) -> str:
        return self.path

    def reads_lazily(self) -> bool:
        return True

    def lazy(self, window: Window | None, workspace: str = "workspace", **filters: Any) -> Any:
        from monitorflow.scale.source import ParquetSource  # lazy: scale layer, lazy sources only

        bounds = window if window and self.timestamp_column else None
        return ParquetSource(
            render_path(self.path, window),
            filesystem=self._filesystem(),
            time_column=self.timestamp_column if bounds is not None else None,
            partitioning=self.partitioning,
            filters={**self.filters, **filters},
            start=bounds.start if bounds is not None else None,
            end=bounds.end if bounds is not None else None,
        )

    def read(self, window: Window | None, workspace: str) -> pd.DataFrame:
        """The window's rows in memory (ground truth and small data only; runs read it lazily)."""
        from monitorflow.scale.source import iter_frames  # lazy: scale layer, lazy sources only

        source = self.lazy(window, workspace)
        frames = [frame for _, frame in iter_frames(source, source.schema().names)]
        if not frames:
            return pd.DataFrame(columns=source.schema().names)
        return pd.concat(frames, ignore_index=True)

    def _filesystem(self) -> Any:
        if self.endpoint_url is None or not self.path.startswith("s3://"):
            return None
        import pyarrow.fs as pafs  # lazy: only for S3 endpoints

        return pafs.S3FileSystem(endpoint_override=self.endpoint_url)


__all__ = ["ParquetDatasetSource"]

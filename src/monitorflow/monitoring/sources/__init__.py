"""Where a monitor's rows come from: each source's configuration and its reader, one module per kind.

Sources: CSV/Parquet files (local or ``s3://``, with ``{start}``/``{end}`` in the path), a Parquet
dataset read lazily (``kind: parquet``), a SQL query through SQLAlchemy with the window bound as
parameters (``pushdown``: evaluated in the database), a Python callable ``load(start, end)``, or a
dataset stored in the workspace. No Prefect here: the tasks in :mod:`monitorflow.tasks` add retries.

>>> import tempfile, pathlib, pandas as pd
>>> from datetime import UTC, datetime
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"x": [1, 2]}).to_csv(folder / "2026-01-05.csv", index=False)
>>> source = FileSource(path=str(folder / "{start}.csv"))
>>> window = Window(start=datetime(2026, 1, 5, tzinfo=UTC), end=datetime(2026, 1, 6, tzinfo=UTC))
>>> load_source(source, window)["x"].tolist()
[1, 2]
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from pydantic import Field

from monitorflow.errors import SourceError
from monitorflow.monitoring.sources.base import SourceConfig, filtered, in_window
from monitorflow.monitoring.sources.dataset import DatasetSource
from monitorflow.monitoring.sources.files import FileSource, render_path
from monitorflow.monitoring.sources.parquet import ParquetDatasetSource
from monitorflow.monitoring.sources.python import PythonSource, resolve_callable
from monitorflow.monitoring.sources.sql import SQLSource
from monitorflow.monitoring.windows import Window

#: A monitor's source, told apart by ``kind``.
Source = Annotated[
    FileSource | ParquetDatasetSource | SQLSource | PythonSource | DatasetSource, Field(discriminator="kind")
]


def describe(source: SourceConfig) -> str:
    """Where a source reads from (passwords hidden), for messages."""
    return source.describe()


def load_source(source: SourceConfig, window: Window | None, *, workspace: str = "workspace") -> pd.DataFrame:
    """Rows of ``source`` in ``window`` (None: the whole source); raises :class:`SourceError`.

    The window selects files (``{start}``/``{end}``), binds SQL parameters or is passed to the
    callable; ``timestamp_column`` then keeps rows with ``start <= time < end``; ``filters`` last.
    """
    if not isinstance(source, SourceConfig):
        raise TypeError(f"not a monitor source: {source!r}")
    frame = source.read(window, workspace)
    where = source.describe()
    if window is not None and source.timestamp_column and len(frame.columns):
        frame = in_window(frame, source, window, where)
    if source.filters and len(frame.columns):
        frame = filtered(frame, source.filters, where)
    return frame


def open_source(source: SourceConfig, window: Window | None, *, workspace: str = "workspace") -> Any:
    """The window's rows: a lazy source when the source is read lazily (``kind: parquet``, SQL with
    ``pushdown``), else a DataFrame (:func:`load_source`)."""
    if source.reads_lazily():
        return source.lazy(window, workspace)
    return load_source(source, window, workspace=workspace)


__all__ = [
    "DatasetSource",
    "FileSource",
    "ParquetDatasetSource",
    "PythonSource",
    "SQLSource",
    "Source",
    "SourceConfig",
    "SourceError",
    "describe",
    "load_source",
    "open_source",
    "render_path",
    "resolve_callable",
]

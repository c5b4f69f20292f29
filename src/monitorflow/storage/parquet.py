"""DataFrames to and from Parquet bytes (pyarrow, a core dependency, imported on first use)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from monitorflow.errors import ConfigurationError, MissingDependencyError, StorageError


def _require_pyarrow() -> Any:
    try:
        import pyarrow  # lazy: 0.2 s to import, and only datasets need it
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:  # a core dependency: only a broken install lacks it
        raise MissingDependencyError("pyarrow", None) from exc
    return pyarrow


def frame_to_parquet(frame: pd.DataFrame, what: str = "dataset") -> bytes:
    """Parquet bytes (zstd) of ``frame``; column names must be strings.

    >>> len(frame_to_parquet(pd.DataFrame({"a": [1, 2]}))) > 0
    True
    """
    pyarrow = _require_pyarrow()
    if not isinstance(frame, pd.DataFrame):
        raise StorageError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    bad = [c for c in frame.columns if not isinstance(c, str)]
    if bad:
        raise StorageError(
            f"{what} has non-string column names {bad[:5]!r}; Parquet needs strings: "
            "rename them first, e.g. df.columns = df.columns.astype(str)"
        )
    buffer = io.BytesIO()
    try:
        frame.to_parquet(buffer, engine="pyarrow", compression="zstd")
    except (pyarrow.ArrowException, ValueError, TypeError) as exc:
        raise StorageError(
            f"cannot write {what} as Parquet: {exc}; columns of mixed types (e.g. ints and strings in one "
            "object column) must be converted to one type first"
        ) from exc
    return buffer.getvalue()


def parquet_to_frame(data: bytes, what: str = "dataset") -> pd.DataFrame:
    pyarrow = _require_pyarrow()
    try:
        return pd.read_parquet(io.BytesIO(data), engine="pyarrow")
    except (pyarrow.ArrowException, OSError, ValueError) as exc:
        raise StorageError(f"{what} is not readable Parquet: {exc}") from exc


@dataclass(frozen=True)
class ParquetData:
    """Parquet to store as a dataset: bytes, or a file (an upload spooled to disk, never loaded whole),
    with its row count and column names read from the Parquet footer."""

    data: bytes | Path
    rows: int
    columns: list[str]

    @classmethod
    def of_frame(cls, frame: pd.DataFrame, what: str = "dataset") -> ParquetData:
        return cls(frame_to_parquet(frame, what), len(frame), [str(c) for c in frame.columns])

    @classmethod
    def of_file(cls, path: Path, what: str = "dataset") -> ParquetData:
        """Checks the footer only (cheap for any size); ConfigurationError if it is not Parquet."""
        pyarrow = _require_pyarrow()
        try:
            parquet = pyarrow.parquet.ParquetFile(path)
            schema = parquet.schema_arrow
            index = {c for c in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)}
            columns = [name for name in schema.names if name not in index]
            rows = parquet.metadata.num_rows
        except (pyarrow.ArrowException, OSError, ValueError) as exc:
            raise ConfigurationError(f"{what} is not Parquet: {exc}", argument="data") from None
        return cls(path, rows, columns)

    @property
    def size(self) -> int:
        return len(self.data) if isinstance(self.data, bytes) else self.data.stat().st_size

    def read(self) -> bytes:
        return self.data if isinstance(self.data, bytes) else self.data.read_bytes()

"""DataFrames to and from Parquet bytes (pyarrow, a core dependency, imported on first use)."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from monitorflow.errors import MissingDependencyError, StorageError


def _require_pyarrow() -> Any:
    try:
        import pyarrow  # deferred: 0.2 s to import, and only datasets need it
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

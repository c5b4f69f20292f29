"""Read one time window of a monitor's data source into a DataFrame.

Sources (see :mod:`monitorflow.monitors`): CSV/Parquet files (local or ``s3://`` via boto3, with
``{start}``/``{end}`` in the path), a SQL query through SQLAlchemy with the window bound as
parameters, a Python callable ``load(start, end)``, or a dataset stored in the workspace.
No Prefect here: the tasks in :mod:`monitorflow.tasks` add retries around these functions.

>>> import tempfile, pathlib, pandas as pd
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"x": [1, 2]}).to_csv(folder / "2026-01-05.csv", index=False)
>>> source = FileSource(path=str(folder / "{start}.csv"))
>>> window = Window(start=datetime(2026, 1, 5, tzinfo=UTC), end=datetime(2026, 1, 6, tzinfo=UTC))
>>> load_source(source, window)["x"].tolist()
[1, 2]
"""

from __future__ import annotations

import importlib
import io
import string
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from monitorflow.errors import MissingDependencyError, MonitoringError, SourceError
from monitorflow.monitors import DatasetSource, FileSource, PythonSource, SQLSource, Window, _stamp


class _WindowFormatter(string.Formatter):
    """``{start}`` -> ``2026-01-05`` (midnight) or ISO; ``{start:%Y/%m/%d}`` -> strftime."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, datetime) and not format_spec:
            return _stamp(value)
        return super().format_field(value, format_spec)


def render_path(path: str, window: Window | None) -> str:
    """The path with ``{start}``/``{end}`` replaced by the window bounds.

    >>> w = Window(start=datetime(2026, 1, 5, tzinfo=UTC), end=datetime(2026, 1, 6, tzinfo=UTC))
    >>> render_path("s3://b/day={start:%Y%m%d}/part.parquet", w)
    's3://b/day=20260105/part.parquet'
    """
    fields = {name for _, name, _, _ in _WindowFormatter().parse(path) if name}
    if not fields:
        return path
    if window is None:
        raise SourceError(
            f"path {path!r} has {{start}}/{{end}} placeholders but is read without a window; "
            "set reference_window (a fixed period or a shift) for a partitioned reference",
            path,
            transient=False,
        )
    try:
        return _WindowFormatter().format(path, start=window.start, end=window.end)
    except (KeyError, IndexError, ValueError) as exc:
        raise SourceError(
            f"cannot render path {path!r}: {exc!r}; only {{start}} and {{end}} are available",
            path,
            transient=False,
        ) from None


def _partitions(source: FileSource, window: Window | None) -> list[str]:
    if window is None or source.partition is None:
        return [render_path(source.path, window)]
    paths, at = [], window.start
    while at < window.end:
        paths.append(render_path(source.path, Window(start=at, end=min(at + source.partition, window.end))))
        at += source.partition
    return list(dict.fromkeys(paths))


def _read_bytes_s3(url: str, endpoint_url: str | None) -> bytes | None:
    """The object's bytes, or None when it does not exist."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - boto3 comes with the s3 extra
        raise MissingDependencyError("boto3", "s3") from None
    bucket, _, key = url[len("s3://") :].partition("/")
    try:
        client = boto3.client("s3", endpoint_url=endpoint_url) if endpoint_url else boto3.client("s3")
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
            return None
        raise SourceError(f"cannot read {url}: {exc}", url) from exc
    except BotoCoreError as exc:
        raise SourceError(f"cannot read {url}: {exc}", url) from exc


def _read_file(source: FileSource, path: str) -> pd.DataFrame | None:
    """One file as a frame; None when it is missing and ``missing_ok``."""
    target: Any = path
    if path.startswith("s3://"):
        data = _read_bytes_s3(path, source.endpoint_url)
        if data is None:
            if source.missing_ok:
                return None
            raise SourceError(f"cannot read {path}: no such object", path)
        target = io.BytesIO(data)
    try:
        if source.file_format == "csv":
            return pd.read_csv(target, **source.read_options)
        return pd.read_parquet(target, **source.read_options)
    except FileNotFoundError:
        if source.missing_ok:
            return None
        raise SourceError(f"cannot read {path}: no such file", path) from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise SourceError(f"cannot read {path}: {exc}", path) from exc


def _load_file(source: FileSource, window: Window | None) -> pd.DataFrame:
    frames = [f for f in (_read_file(source, p) for p in _partitions(source, window)) if f is not None]
    if not frames:
        return pd.DataFrame()
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _bind(source: SQLSource, value: datetime | None) -> Any:
    if value is None:
        return None
    if source.bind_as == "naive_utc":
        return value.astimezone(UTC).replace(tzinfo=None)
    if source.bind_as == "iso":
        return value.isoformat()
    if source.bind_as == "epoch":
        return value.timestamp()
    return value


def _load_sql(source: SQLSource, window: Window | None) -> pd.DataFrame:
    try:
        import sqlalchemy
    except ImportError:  # pragma: no cover - SQLAlchemy comes with the sql extra
        raise MissingDependencyError("sqlalchemy", "sql") from None
    try:
        shown = sqlalchemy.make_url(source.url).render_as_string(hide_password=True)
    except sqlalchemy.exc.ArgumentError as exc:
        raise SourceError(
            f"invalid SQLAlchemy URL {source.url!r}: {exc}", source.url, transient=False
        ) from None
    params = {
        **source.params,
        source.start_param: _bind(source, window.start if window else None),
        source.end_param: _bind(source, window.end if window else None),
    }
    try:
        engine = sqlalchemy.create_engine(source.url)
    except (sqlalchemy.exc.SQLAlchemyError, ImportError) as exc:
        raise SourceError(f"cannot open {shown}: {exc}", shown, transient=False) from exc
    try:
        with engine.connect() as conn:
            # The window travels as bound parameters (":start", ":end"), never inside the SQL text.
            return pd.read_sql_query(sqlalchemy.text(source.query), conn, params=params)
    except (sqlalchemy.exc.SQLAlchemyError, pd.errors.DatabaseError) as exc:
        cause = exc.__cause__ if isinstance(exc, pd.errors.DatabaseError) and exc.__cause__ else exc
        detail = " ".join(str(getattr(cause, "orig", None) or cause).split("\n")[0].split())
        raise SourceError(f"query on {shown} failed: {detail}", shown) from exc
    finally:
        engine.dispose()


def resolve_callable(path: str) -> Any:
    """``"pkg.mod:func"`` -> the function."""
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SourceError(
            f"cannot import {module_name!r} for source {path!r}: {exc}", path, transient=False
        ) from None
    function = getattr(module, attr, None)
    if not callable(function):
        raise SourceError(
            f"{module_name!r} has no function {attr!r} (source {path!r})", path, transient=False
        )
    return function


def _load_python(source: PythonSource, window: Window | None) -> pd.DataFrame:
    function = resolve_callable(source.function)
    start, end = (window.start, window.end) if window else (None, None)
    try:
        frame = function(start, end, **source.kwargs)
    except MonitoringError:
        raise
    except Exception as exc:
        raise SourceError(
            f"{source.function}({start}, {end}) failed: {type(exc).__name__}: {exc}", source.function
        ) from exc
    if not isinstance(frame, pd.DataFrame):
        raise SourceError(
            f"{source.function} returned {type(frame).__name__}, expected a pandas DataFrame",
            source.function,
            transient=False,
        )
    return frame


def _load_dataset(source: DatasetSource, workspace: str) -> pd.DataFrame:
    from monitorflow.errors import DatasetNotFound, StorageError
    from monitorflow.workspace import Workspace

    where = f"dataset {source.dataset_id} in workspace {workspace!r}"
    try:
        with Workspace(workspace) as ws:
            frame = ws.load_dataset(source.dataset_id)
    except DatasetNotFound as exc:
        raise SourceError(f"cannot read {where}: {exc}", where, transient=False) from None
    except StorageError as exc:
        raise SourceError(f"cannot read {where}: {exc}", where) from exc
    frame.attrs = {}
    return frame


def _in_window(frame: pd.DataFrame, source: Any, window: Window, where: str) -> pd.DataFrame:
    column = source.timestamp_column
    if column not in frame.columns:
        raise SourceError(
            f"timestamp_column {column!r} is not in {where}; available columns: {list(frame.columns)[:20]}",
            where,
            transient=False,
        )
    times = pd.to_datetime(frame[column], utc=False)
    if times.dt.tz is None:
        times = times.dt.tz_localize(source.timezone)
    times = times.dt.tz_convert("UTC")
    return frame.loc[(times >= window.start) & (times < window.end)].reset_index(drop=True)


def _filtered(frame: pd.DataFrame, filters: dict[str, Any], where: str) -> pd.DataFrame:
    for column, value in filters.items():
        if column not in frame.columns:
            raise SourceError(
                f"filter column {column!r} is not in {where}; available columns: {list(frame.columns)[:20]}",
                where,
                transient=False,
            )
        keep = frame[column].isin(value) if isinstance(value, list) else frame[column] == value
        frame = frame.loc[keep]
    return frame.reset_index(drop=True)


def describe(source: Any) -> str:
    """Where a source reads from (passwords hidden), for messages."""
    if isinstance(source, FileSource):
        return source.path
    if isinstance(source, SQLSource):
        try:
            import sqlalchemy

            return sqlalchemy.make_url(source.url).render_as_string(hide_password=True)
        except Exception:
            return "<sql>"
    if isinstance(source, PythonSource):
        return source.function
    return f"dataset {source.dataset_id}"


def load_source(source: Any, window: Window | None, *, workspace: str = "workspace") -> pd.DataFrame:
    """Rows of ``source`` in ``window`` (None: the whole source); raises :class:`SourceError`.

    The window selects files (``{start}``/``{end}``), binds SQL parameters or is passed to the
    callable; ``timestamp_column`` then keeps rows with ``start <= time < end``; ``filters`` last.
    """
    if isinstance(source, FileSource):
        frame = _load_file(source, window)
    elif isinstance(source, SQLSource):
        frame = _load_sql(source, window)
    elif isinstance(source, PythonSource):
        frame = _load_python(source, window)
    elif isinstance(source, DatasetSource):
        frame = _load_dataset(source, workspace)
    else:
        raise TypeError(f"not a monitor source: {source!r}")
    where = describe(source)
    if window is not None and source.timestamp_column and len(frame.columns):
        frame = _in_window(frame, source, window, where)
    if source.filters and len(frame.columns):
        frame = _filtered(frame, source.filters, where)
    return frame


__all__ = ["SourceError", "describe", "load_source", "render_path", "resolve_callable"]

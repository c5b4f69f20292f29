"""CSV or Parquet files, local or on S3, one file per window or per partition period.

>>> from datetime import UTC
>>> w = Window(start=datetime(2026, 1, 5, tzinfo=UTC), end=datetime(2026, 1, 6, tzinfo=UTC))
>>> render_path("s3://b/day={start:%Y%m%d}/part.parquet", w)
's3://b/day=20260105/part.parquet'
"""

from __future__ import annotations

import io
import string
from datetime import datetime
from typing import Any, Literal

import pandas as pd
from pydantic import Field, model_validator

from monitorflow.errors import MissingDependencyError, SourceError
from monitorflow.monitoring.sources.base import SourceConfig
from monitorflow.monitoring.windows import Duration, Window, window_key


class FileSource(SourceConfig):
    """CSV or Parquet files, local or on S3. {start} and {end} in the path stand for the window's bounds."""

    kind: Literal["file"] = Field("file", description="The kind of source.")
    path: str = Field(
        min_length=1,
        description="A local path or s3://bucket/key. {start} and {end} are replaced by the window's bounds "
        "(2026-01-05 at midnight, else the ISO time; {start:%Y/%m/%d} for other forms).",
    )
    format: Literal["csv", "parquet"] | None = Field(
        None, description="The file format. Leave empty to tell it from the file name."
    )
    partition: Duration | None = Field(
        None,
        description="The period one file covers, when a window spans several files (for example 1h files "
        "in a 1d window).",
    )
    missing_ok: bool = Field(
        False, description="Treat a missing file as a window without data (skipped) instead of an error."
    )
    read_options: dict[str, Any] = Field({}, description="Options passed to pandas when reading the file.")
    endpoint_url: str | None = Field(
        None, description="The S3 endpoint. Leave empty for AWS_ENDPOINT_URL or the AWS configuration."
    )

    @model_validator(mode="after")
    def _known_format(self) -> FileSource:
        if self.format is None and self.file_format is None:
            raise ValueError(
                f"cannot tell the format of {self.path!r} from its extension; set format: csv or parquet"
            )
        return self

    @property
    def file_format(self) -> str | None:
        """``format``, else from the extension (``.csv``, ``.csv.gz``, ``.parquet``, ``.pq``)."""
        if self.format:
            return self.format
        name = self.path.lower()
        if name.endswith((".csv", ".csv.gz", ".csv.bz2", ".csv.zip")):
            return "csv"
        if name.endswith((".parquet", ".pq")):
            return "parquet"
        return None

    def describe(self) -> str:
        return self.path

    def read(self, window: Window | None, workspace: str) -> pd.DataFrame:
        frames = [f for f in (self._read_one(p) for p in self.paths(window)) if f is not None]
        if not frames:
            return pd.DataFrame()
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    def paths(self, window: Window | None) -> list[str]:
        """The files of ``window``: one path, or one per ``partition`` period."""
        if window is None or self.partition is None:
            return [render_path(self.path, window)]
        paths, at = [], window.start
        while at < window.end:
            paths.append(render_path(self.path, Window(start=at, end=min(at + self.partition, window.end))))
            at += self.partition
        return list(dict.fromkeys(paths))

    def _read_one(self, path: str) -> pd.DataFrame | None:
        """One file as a frame; None when it is missing and ``missing_ok``."""
        target: Any = path
        if path.startswith("s3://"):
            data = _read_bytes_s3(path, self.endpoint_url)
            if data is None:
                if self.missing_ok:
                    return None
                raise SourceError(f"cannot read {path}: no such object", path)
            target = io.BytesIO(data)
        try:
            if self.file_format == "csv":
                return pd.read_csv(target, **self.read_options)
            return pd.read_parquet(target, **self.read_options)
        except FileNotFoundError:
            if self.missing_ok:
                return None
            raise SourceError(f"cannot read {path}: no such file", path) from None
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            raise SourceError(f"cannot read {path}: {exc}", path) from exc


class _WindowFormatter(string.Formatter):
    """``{start}`` -> ``2026-01-05`` (midnight) or ISO; ``{start:%Y/%m/%d}`` -> strftime."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, datetime) and not format_spec:
            return window_key(value)
        return super().format_field(value, format_spec)


def render_path(path: str, window: Window | None) -> str:
    """The path with ``{start}``/``{end}`` replaced by the window bounds."""
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


def _read_bytes_s3(url: str, endpoint_url: str | None) -> bytes | None:
    """The object's bytes, or None when it does not exist."""
    try:
        import boto3  # lazy: optional extra
        from botocore.exceptions import BotoCoreError, ClientError  # optional: s3 extra
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


__all__ = ["FileSource", "render_path"]

"""Storage backends behind one protocol, chosen by URI from one mapping; each answers the index
read protocol (:mod:`monitorflow.storage.reads`) as ``store.reads``.

==================================  ====================================================
URI                                 backend
==================================  ====================================================
``workspace``, ``/path``, ``file:``  folder + SQLite index file (embedded default)
``sqlite:///path.db``               one SQLite database via SQLAlchemy
``postgresql+psycopg://...``        PostgreSQL via SQLAlchemy + psycopg 3
``s3://bucket/prefix``              S3 objects + SQL index (local SQLite cache or PostgreSQL)
==================================  ====================================================

SQLAlchemy and boto3 are imported only when their backend is opened.

>>> import tempfile
>>> store = open_store(tempfile.mkdtemp())
>>> type(store).__name__
'LocalStore'
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from monitorflow.errors import ConfigurationError, StorageError
from monitorflow.storage.base import (
    DatasetInfo,
    Filters,
    ProjectRecord,
    ReindexReport,
    ReindexResult,
    SeriesQuery,
    SnapshotInfo,
    SnapshotQuery,
    SnapshotStore,
    TestStatusQuery,
)
from monitorflow.storage.reads import (
    BucketQuery,
    Buckets,
    IndexReads,
    Span,
    StatusCount,
    StatusCountQuery,
    Trace,
)

#: URI scheme (before any ``+driver``) -> "module:Class". The empty scheme is a folder path.
BACKENDS: dict[str, str] = {
    "": "monitorflow.storage.local:LocalStore",
    "file": "monitorflow.storage.local:LocalStore",
    "sqlite": "monitorflow.storage.sql:SQLStore",
    "postgresql": "monitorflow.storage.sql:SQLStore",
    "postgres": "monitorflow.storage.sql:SQLStore",
    "s3": "monitorflow.storage.s3:S3Store",
}


def scheme_of(uri: str) -> str:
    """``postgresql+psycopg://x`` -> ``postgresql``; a plain path -> ``""``."""
    if "://" not in uri:
        return ""
    return uri.split("://", 1)[0].split("+", 1)[0].lower()


def open_store(uri: str | os.PathLike[str], **options: Any) -> SnapshotStore:
    """Open the backend for ``uri``; ``options`` go to its constructor (e.g. ``endpoint_url`` for S3)."""
    text = os.fspath(uri)
    scheme = scheme_of(text)
    if scheme in ("http", "https"):
        raise ConfigurationError(
            f"{text!r} is a monitorflow service URL; use RemoteWorkspace({text!r})", argument="uri"
        )
    target = BACKENDS.get(scheme)
    if target is None:
        raise ConfigurationError(
            f"no storage backend for URI scheme {scheme!r} in {text!r}; use a folder path, "
            "sqlite:///path.db, postgresql+psycopg://user@host/db or s3://bucket/prefix",
            argument="uri",
        )
    module, name = target.split(":")
    cls = getattr(importlib.import_module(module), name)
    if scheme == "file":
        text = text[len("file://") :]
    try:
        return cls(text, **options)
    except TypeError as exc:
        if "unexpected keyword" not in str(exc):
            raise
        raise ConfigurationError(
            f"{name} ({text!r}) does not accept these options: {exc}", argument="options"
        ) from None


__all__ = [
    "BACKENDS",
    "BucketQuery",
    "Buckets",
    "DatasetInfo",
    "Filters",
    "IndexReads",
    "ProjectRecord",
    "ReindexReport",
    "ReindexResult",
    "SeriesQuery",
    "SnapshotInfo",
    "SnapshotQuery",
    "SnapshotStore",
    "Span",
    "StatusCount",
    "StatusCountQuery",
    "StorageError",
    "TestStatusQuery",
    "Trace",
    "open_store",
    "scheme_of",
]

"""The blob layer under the folder and S3 stores: the key layout and the ``Blobs`` protocol.

Key layout, the same in a folder and under an S3 prefix (Evidently's local layout, plus datasets)::

    <project_id>/metadata.json                 the project (name, description, dashboard)
    <project_id>/snapshots/<snapshot_id>.json  one snapshot
    <project_id>/datasets/<dataset_id>.parquet the rows of a dataset
    <project_id>/datasets/<dataset_id>.json    its description; written last, so it marks the dataset complete
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Protocol
from uuid import UUID

from monitorflow.storage.base import Payload


class BlobMissing(KeyError):
    """No blob under this key."""


class BlobExists(Exception):
    """A blob already exists under this key (exclusive create)."""


class Blobs(Protocol):
    """Flat key -> bytes storage with atomic single-object writes."""

    def where(self, key: str) -> str: ...
    def put(self, key: str, data: Payload, overwrite: bool = True) -> str: ...
    def get(self, key: str) -> tuple[bytes, str]: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def delete_prefix(self, prefix: str) -> None: ...
    def list(self, prefix: str) -> Iterator[tuple[str, str, int]]: ...
    def children(self, prefix: str = "") -> builtins.list[str]: ...
    def remove_temp(self, folder: str, grace: float) -> builtins.list[str]: ...


def project_key(pid: UUID | str) -> str:
    return f"{pid}/metadata.json"


def snapshot_key(pid: UUID | str, sid: UUID | str) -> str:
    return f"{pid}/snapshots/{sid}.json"


def dataset_keys(pid: UUID | str, did: UUID | str) -> tuple[str, str]:
    """(data, description) keys of a dataset."""
    return f"{pid}/datasets/{did}.parquet", f"{pid}/datasets/{did}.json"

"""Crash recovery of the blob stores (folder, S3): a write journal in the index, settled on open.

Before a write changes blobs, it records their keys in ``mf_pending`` (one durable transaction) and
removes them with its last index write. A writer that dies in between (killed, disk full, storage
down during its cleanup) leaves the keys there, and the next open of the workspace (S3: also the
next sync of the project) settles them, reading only those keys:

- a snapshot blob that is stored is indexed (at once: indexing what is stored is always safe); one
  that is gone leaves the index once the entry is older than the grace period; an unreadable one is a
  *problem* (logged, listed by ``problems()``);
- once the entry is older than the grace period (so its writer cannot still be running): datasets
  that no stored snapshot links to are removed (a crashed write's data), and so are Parquet files
  without their description and temporary files in the key's folder.

So a crash never leaves a stored snapshot invisible, nor orphans behind, and the open costs one
index query when nothing crashed. A damaged or deleted index is rebuilt from the blobs (with a
warning); the index itself only ever caches the blobs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from monitorflow.errors import MonitoringError, SnapshotError
from monitorflow.snapshot import Snapshot
from monitorflow.storage.base import DatasetInfo, linked
from monitorflow.storage.blobs import BlobMissing, dataset_keys, snapshot_key
from monitorflow.storage.index.encoding import micros
from monitorflow.timeutil import utc_now

log = logging.getLogger("monitorflow.storage")

#: Default grace period (seconds): journal entries, temporary files and orphan datasets younger
#: than this may belong to a write still running and are left alone.
GRACE_PERIOD_S = 600.0


@dataclass
class Recovered:
    """What settling the journal did."""

    indexed: list[str] = field(default_factory=list)
    unindexed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    waiting: int = 0


def _parts(key: str) -> tuple[str, str, str] | None:
    """``<project>/<folder>/<id>.<ext>`` -> (folder, id, ext)."""
    pieces = key.split("/")
    if len(pieces) != 3 or "." not in pieces[2]:
        return None
    stem, _, ext = pieces[2].partition(".")
    return pieces[1], stem, ext


def snapshot_file(key: str, data: bytes, stem: str) -> Snapshot:
    """The snapshot in file ``key`` (named ``<stem>.json``); SnapshotError if unreadable or its id is not
    ``stem``."""
    snapshot = Snapshot.loads(data, source=f"snapshot file {key}")
    if str(snapshot.id) != stem:
        raise SnapshotError(f"snapshot file {key} holds id {snapshot.id}, not {stem}")
    return snapshot


class Journal:
    """The write journal of a :class:`~monitorflow.storage.blobstore.BlobIndexStore` (mixed in)."""

    grace_period: float = GRACE_PERIOD_S
    blobs: Any
    index: Any

    @contextmanager
    def journaled(self, keys: Sequence[str], project_id: UUID) -> Iterator[None]:
        """Run a write of ``keys``; if it fails, settle them now (as the next open would), keeping the
        ones that cannot be settled yet (the storage down, or a cleanup that needs the grace period)."""
        keys = list(keys)
        since = micros(utc_now())
        self.index.runner.write(
            lambda tx: self.index.begin_intents(tx, keys, project_id, since), durable=True
        )
        try:
            yield
        except BaseException:
            with suppress(MonitoringError, OSError):
                self.settle([(key, str(project_id)) for key in keys], destructive=True)
            raise
        self.index.runner.write(lambda tx: self.index.end_intents(tx, keys))

    def recover(self, grace: float | None = None, project_id: UUID | None = None) -> Recovered:
        """Settle what crashed writers left: stored snapshots indexed at once; removals (orphans, temp
        files) only for entries older than ``grace`` seconds (default: the store's grace period)."""
        grace = self.grace_period if grace is None else grace
        now = micros(utc_now())
        done = Recovered()
        old = self.index.pending(now - int(grace * 1e6), project_id)
        young = [entry for entry in self.index.pending(now + 1, project_id) if entry not in old]
        if young:  # a writer may still be at work: index what it stored, remove nothing
            self.settle(young, destructive=False, into=done)
            done.waiting = len(young)
        if old:
            self.settle(old, destructive=True, into=done, grace=grace)
        return done

    def settle(
        self,
        entries: list[tuple[str, str]],
        destructive: bool,
        into: Recovered | None = None,
        grace: float | None = None,
    ) -> Recovered:
        """Make the index match the blobs at ``entries`` (snapshots first: datasets ask who links
        them); ``destructive`` also removes orphans, and temp files older than ``grace`` (default: the
        store's grace period) in their folders, and ends the journal entries."""
        done = into or Recovered()
        grace = self.grace_period if grace is None else grace
        ordered = sorted(entries, key=lambda e: (_parts(e[0]) or ("", "", ""))[0] != "snapshots")
        for key, pid in ordered:
            parts = _parts(key)
            if parts is None:
                continue
            folder, stem, ext = parts
            if folder == "snapshots" and ext == "json":
                self._settle_snapshot(key, UUID(pid), stem, done, destructive)
            elif folder == "datasets" and destructive:
                self._settle_dataset(UUID(pid), stem, done)
        if destructive:
            for folder in sorted({key.rsplit("/", 1)[0] for key, _ in entries}):
                done.removed += self.blobs.remove_temp(folder, grace)
            keys = [key for key, _ in entries]
            self.index.runner.write(lambda tx: self.index.end_intents(tx, keys))
        return done

    def _settle_snapshot(
        self, key: str, project_id: UUID, stem: str, done: Recovered, destructive: bool
    ) -> None:
        try:
            data, etag = self.blobs.get(key)
        except BlobMissing:
            # Unindexed only once its writer is surely gone: a running writer may store and index
            # the snapshot between this read and that delete (seen with 8 concurrent writers).
            if destructive and self.index.runner.write(lambda tx: self.index.delete_snapshot(tx, stem)):
                done.unindexed.append(key)
            return
        try:
            snapshot = snapshot_file(key, data, stem)
        except SnapshotError as exc:
            self.unreadable(key, etag, str(exc), stem)
            done.problems[key] = str(exc)
            return
        self.index_file(project_id, key, snapshot, data, etag)
        done.indexed.append(key)

    def _settle_dataset(self, project_id: UUID, stem: str, done: Recovered) -> None:
        data_key, info_key = dataset_keys(project_id, stem)
        try:
            info = DatasetInfo.model_validate_json(self.blobs.get(info_key)[0])
        except BlobMissing:
            info = None
        except ValueError as exc:
            done.problems[info_key] = f"dataset description {info_key} is unreadable: {exc}"
            return
        if info is not None and (info.snapshot_id is None or self._links(project_id, info.snapshot_id, stem)):
            self.index.runner.write(lambda tx: self.index.upsert_dataset(tx, info, None))
            done.indexed.append(info_key)
            return
        for key in (info_key, data_key):  # description first: it marks the dataset complete
            self.blobs.delete(key)
        self.index.runner.write(lambda tx: self.index.delete_dataset(tx, stem))
        done.removed.append(data_key)

    def _links(self, project_id: UUID, snapshot_id: UUID, dataset_id: str) -> bool:
        try:
            stored = Snapshot.loads(self.blobs.get(snapshot_key(project_id, snapshot_id))[0])
        except BlobMissing:
            return False
        except SnapshotError:
            return True  # unreadable: keep its data until someone looks at it
        return dataset_id in linked(stored.datasets)

    def index_file(self, project_id: UUID, key: str, snapshot: Snapshot, data: bytes, etag: str) -> None:
        """Index the snapshot read from file ``key`` (replacing its rows; no longer unreadable)."""
        self.index.add_snapshot(
            project_id,
            snapshot,
            size=len(data),
            etag=etag,
            mode="upsert",
            extra=lambda tx: self.index.clear_bad(tx, key),
        )

    def unreadable(self, key: str, etag: str | None, reason: str, snapshot_id: str | None = None) -> None:
        """Remember (and log, once per version of the file) a blob that cannot be read; out of listings."""
        known = self.index.bad_blobs().get(key)
        if known is None or known[0] != etag:
            log.warning("unreadable file %s: %s", self.blobs.where(key), reason)

        def mark(tx: Any) -> None:
            self.index.mark_bad(tx, key, etag, reason)
            if snapshot_id is not None:
                self.index.delete_snapshot(tx, snapshot_id)

        self.index.runner.write(mark)

    def problems(self) -> list[dict[str, str]]:
        """Files that could not be read, by key (relative to the workspace) with the reason."""
        return [
            {"key": key, "reason": error} for key, (_etag, error) in sorted(self.index.bad_blobs().items())
        ]


def age_ok(modified: float, grace: float) -> bool:
    """Whether something last changed at ``modified`` (epoch seconds) is older than ``grace``."""
    return time.time() - modified >= grace

"""The embedded default: a workspace folder of JSON and Parquet files, indexed by a SQLite file inside it.

::

    <workspace>/.index.sqlite                  the index (stdlib sqlite3, WAL mode; rebuildable)
    <workspace>/<project_id>/metadata.json
    <workspace>/<project_id>/snapshots/<snapshot_id>.json
    <workspace>/<project_id>/datasets/<dataset_id>.parquet (+ .json)

Files are written to a temporary name and linked (exclusive create) or renamed (replace) into
place, so a reader sees a whole file or none.

>>> import tempfile
>>> store = LocalStore(tempfile.mkdtemp())
>>> store.list_projects()
[]
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from monitorflow.errors import StorageError
from monitorflow.storage.base import Payload
from monitorflow.storage.blobs import BlobExists, BlobMissing
from monitorflow.storage.blobstore import BlobIndexStore, _uuid
from monitorflow.storage.recovery import GRACE_PERIOD_S
from monitorflow.storage.runners import SqliteRunner

log = logging.getLogger("monitorflow.storage")

INDEX_FILE = ".index.sqlite"


#: Names of files being written (skipped by listings; removed by recovery once old), and of folders
#: a deletion renamed away before removing them.
TEMP_PREFIX = ".tmp-"
TRASH_PREFIX = ".trash-"
_COPY_CHUNK = 1 << 20


def _etag(stat: os.stat_result) -> str:
    return f"{stat.st_mtime_ns:x}-{stat.st_size:x}"


def _fsync_dir(folder: Path) -> None:
    """Make a folder's entries (a new or renamed file) durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _durable_mkdir(folder: Path) -> None:
    """``mkdir -p`` whose new folders are durable too (each parent fsynced after its new child)."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir(exist_ok=True)
        _fsync_dir(new.parent)


class FileBlobs:
    """Blobs as files under ``root`` (keys are relative paths with ``/``)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).absolute()  # immune to later chdir
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create workspace folder {self.root}: {exc.strerror}") from exc

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*key.split("/"))

    def where(self, key: str) -> str:
        return str(self._path(key))

    def put(self, key: str, data: Payload, overwrite: bool = True) -> str:
        """Write ``data`` (bytes, or a file copied in pieces) to a temporary file, fsync it, link or
        rename it into place and fsync the folder: when this returns, the file survives a crash."""
        target = self._path(key)
        try:
            _durable_mkdir(target.parent)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=".part")
        except OSError as exc:
            raise StorageError(f"cannot write {target}: {exc.strerror}") from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                if isinstance(data, bytes):
                    handle.write(data)
                else:
                    with open(data, "rb") as source:
                        shutil.copyfileobj(source, handle, _COPY_CHUNK)
                handle.flush()
                os.fsync(handle.fileno())
            if overwrite:
                os.replace(tmp, target)
            else:
                self._link_exclusive(tmp, target, key)
            _fsync_dir(target.parent)
            return _etag(target.stat())
        except OSError as exc:
            raise StorageError(f"cannot write {target}: {exc.strerror}") from exc
        finally:
            Path(tmp).unlink(missing_ok=True)

    @staticmethod
    def _link_exclusive(tmp: str, target: Path, key: str) -> None:
        try:
            os.link(tmp, target)  # atomic, fails if the target exists
        except FileExistsError:
            raise BlobExists(key) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            # file systems without hard links: check-then-rename (not exclusive between processes)
            if target.exists():
                raise BlobExists(key) from None
            os.replace(tmp, target)

    def get(self, key: str) -> tuple[bytes, str]:
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                return handle.read(), _etag(stat)
        except FileNotFoundError:
            raise BlobMissing(key) from None
        except OSError as exc:
            raise StorageError(f"cannot read {path}: {exc.strerror}") from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot delete {self._path(key)}: {exc.strerror}") from exc

    def delete_prefix(self, prefix: str) -> None:
        """Remove a folder: renamed away first (atomic), then deleted."""
        folder = self._path(prefix.rstrip("/"))
        trash = self.root / f"{TRASH_PREFIX}{uuid.uuid4().hex}"
        try:
            os.rename(folder, trash)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StorageError(f"cannot delete {folder}: {exc.strerror}") from exc
        shutil.rmtree(trash, ignore_errors=True)

    def list(self, prefix: str) -> Iterator[tuple[str, str, int]]:
        """Files directly in the folder ``prefix`` (hidden and temporary files skipped)."""
        folder = self._path(prefix.rstrip("/"))
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StorageError(f"cannot list {folder}: {exc.strerror}") from exc
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except FileNotFoundError:
                continue
            yield prefix + entry.name, _etag(stat), stat.st_size

    def remove_temp(self, folder: str, grace: float) -> builtins.list[str]:
        """Remove temporary files (of writes that died) older than ``grace`` seconds from ``folder``
        (and, in the root, folders a deletion renamed away); returns their keys."""
        path = self._path(folder) if folder else self.root
        removed = []
        try:
            entries = list(os.scandir(path))
        except FileNotFoundError:
            return []
        for entry in entries:
            stale = entry.name.startswith((TEMP_PREFIX, TRASH_PREFIX))
            with contextlib.suppress(FileNotFoundError):
                if stale and time.time() - entry.stat(follow_symlinks=False).st_mtime >= grace:
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path, ignore_errors=True)
                    else:
                        os.unlink(entry.path)
                    removed.append(f"{folder}/{entry.name}" if folder else entry.name)
        return removed

    def children(self, prefix: str = "") -> builtins.list[str]:
        folder = self._path(prefix.rstrip("/")) if prefix else self.root
        try:
            return [e.name for e in os.scandir(folder) if not e.name.startswith(".") and e.is_dir()]
        except FileNotFoundError:
            return []


class LocalStore(BlobIndexStore):
    """A workspace folder; ``Workspace("workspace")`` uses this. Opening it settles what crashed
    writers left, removes old temporary files, and rebuilds a missing or damaged index (with a warning)."""

    def __init__(self, path: str | os.PathLike[str], *, grace_period: float = GRACE_PERIOD_S) -> None:
        blobs = FileBlobs(path)
        index = blobs.root / INDEX_FILE
        missing = not index.exists() and any(_uuid(name) for name in blobs.children())
        if missing:
            log.warning("the index %s is missing; rebuilding it from the stored files", index)
        self.path = blobs.root
        super().__init__(
            str(blobs.root), blobs, SqliteRunner(index), grace_period=grace_period, rebuild=missing
        )
        blobs.remove_temp("", grace_period)

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
import errno
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from monitorflow.errors import StorageError
from monitorflow.storage.blobstore import BlobExists, BlobIndexStore, BlobMissing
from monitorflow.storage.runners import SqliteRunner

INDEX_FILE = ".index.sqlite"


def _etag(stat: os.stat_result) -> str:
    return f"{stat.st_mtime_ns:x}-{stat.st_size:x}"


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

    def put(self, key: str, data: bytes, overwrite: bool = True) -> str:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        except OSError as exc:
            raise StorageError(f"cannot write {target}: {exc.strerror}") from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            if overwrite:
                os.replace(tmp, target)
            else:
                self._link_exclusive(tmp, target, key)
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
        trash = self.root / f".trash-{uuid.uuid4().hex}"
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

    def children(self, prefix: str = "") -> builtins.list[str]:
        folder = self._path(prefix.rstrip("/")) if prefix else self.root
        try:
            return [e.name for e in os.scandir(folder) if not e.name.startswith(".") and e.is_dir()]
        except FileNotFoundError:
            return []


class LocalStore(BlobIndexStore):
    """A workspace folder; ``Workspace("workspace")`` uses this."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        blobs = FileBlobs(path)
        super().__init__(str(blobs.root), blobs, SqliteRunner(blobs.root / INDEX_FILE))
        self.path = blobs.root

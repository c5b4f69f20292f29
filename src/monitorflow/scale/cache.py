"""A content-keyed cache of profiled references, their sorted columns and model-quality statistics.

A fixed reference is profiled (pass A) and its numerical columns sorted once; so are the sums of the
classification and regression metrics and their sorted samples (named by what they depend on, e.g.
the run's labels). Later runs (every window of a backfill, every scheduled run) find them under a
key made of the source's content fingerprint (Parquet footers: paths, sizes, row-group statistics;
a frame's value hashes), the profiling plan and the profile version. Changed data gives another
key, never a stale profile.

The folder holds pickles written by monitorflow: keep it private to the user that runs monitors.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from monitorflow.scale.profile import PROFILE_VERSION
from monitorflow.scale.spill import SortedFile

#: Bump when the cached layout changes (with the profile version, part of every key).
CACHE_FORMAT = 1


def cache_key(source: Any, kinds: Mapping[Any, str], coercions: Mapping[Any, str]) -> str | None:
    """The key of a source's profile under a profiling plan; None if the source has no fingerprint."""
    fingerprint = getattr(source, "fingerprint", None)
    if fingerprint is None:
        return None
    plan = json.dumps(
        {
            "kinds": sorted((str(c), k) for c, k in kinds.items()),
            "coercions": sorted((str(c), k) for c, k in coercions.items()),
        }
    )
    text = f"{CACHE_FORMAT}|{PROFILE_VERSION}|{fingerprint()}|{plan}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


class ProfileCache:
    """One cache entry: a side's profile and the sorted files of its columns."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    @property
    def _profile_path(self) -> Path:
        return self.folder / "profile.pickle"

    @property
    def _index_path(self) -> Path:
        return self.folder / "sorted.json"

    def load_profile(self) -> Any | None:
        try:
            return pickle.loads(self._profile_path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def save_profile(self, profile: Any) -> None:
        _write_atomic(self._profile_path, pickle.dumps(profile, protocol=pickle.HIGHEST_PROTOCOL))

    @property
    def _counts_path(self) -> Path:
        return self.folder / "counts.json"

    def counts(self) -> dict[str, int]:
        """Row-level counts computed before (duplicated rows, duplicated columns, ...), by name."""
        try:
            return dict(json.loads(self._counts_path.read_text()))
        except (OSError, ValueError):
            return {}

    def record_count(self, name: str, value: int) -> None:
        _write_atomic(self._counts_path, json.dumps({**self.counts(), name: value}).encode())

    def _object_path(self, name: str) -> Path:
        safe = hashlib.sha256(name.encode()).hexdigest()[:24]
        return self.folder / f"object-{safe}.pickle"

    def load_object(self, name: str) -> Any | None:
        """A statistic of the side kept before under ``name`` (None when there is none)."""
        try:
            return pickle.loads(self._object_path(name).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def save_object(self, name: str, value: Any) -> None:
        _write_atomic(self._object_path(name), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def sorted_files(self, budget: int) -> dict[str, SortedFile]:
        """Sorted files recorded in the index whose file is complete, by column name (as text)."""
        try:
            index = json.loads(self._index_path.read_text())
        except (OSError, ValueError):
            return {}
        found = {}
        for column, (name, size) in index.items():
            path = self.folder / name
            if path.exists() and path.stat().st_size == size * 8:
                found[column] = SortedFile(path, size, budget)
        return found

    def record_sorted(self, files: dict[Any, SortedFile]) -> None:
        try:
            index = json.loads(self._index_path.read_text())
        except (OSError, ValueError):
            index = {}
        for column, file in files.items():
            index[str(column)] = [file.path.name, file.size]
        _write_atomic(self._index_path, json.dumps(index).encode())

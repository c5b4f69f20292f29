"""A folder workspace heals itself on open: a writer killed between writing a snapshot and indexing it
(or between its datasets and its snapshot), a deleted or damaged index, stale temporary files, and
unreadable files (logged, and listed as problems). Writers die for real here (``os._exit`` in a
forked process at the chosen point)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from monitorflow.storage import local as local_module
from monitorflow.storage.blobstore import BlobIndexStore
from monitorflow.storage.index import Index
from monitorflow.workspace import Workspace


def _killed_while(target: Any, uri: Path, pid: uuid.UUID, snap: Any, frame: pd.DataFrame | None) -> int:
    """Run an add in a forked process that dies (exit 9, no cleanup) when ``target`` is called."""

    def child() -> None:
        def die(*args: Any, **kwargs: Any) -> None:
            os._exit(9)

        owner, name = target
        setattr(owner, name, die)
        Workspace(uri).add_snapshot(pid, snap, current_data=frame)
        os._exit(0)

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    proc.join(60)
    return proc.exitcode


def _ids(ws: Workspace, project: Any) -> list[uuid.UUID]:
    return [s.id for s in ws.list_snapshots(project.id)]


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"age": np.arange(50.0), "plan": ["a", "b"] * 25})


def test_a_writer_killed_before_indexing_leaves_a_listed_snapshot(tmp_path: Path, make_snapshot: Any) -> None:
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    snap = make_snapshot(1, rows=77)
    assert _killed_while((Index, "add_snapshot"), tmp_path / "ws", project.id, snap, None) == 9
    assert _ids(ws, project) == []  # the file is there, the index does not know it yet
    reopened = Workspace(tmp_path / "ws", grace_period=0)  # the writer is dead: settle its entry now
    assert _ids(reopened, project) == [snap.id]
    assert reopened.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")[
        "value"
    ].tolist() == [77]
    assert reopened.add_snapshot(project.id, snap).id == snap.id  # the caller's retry is no error
    assert reopened.store.index.pending(2**62) == []


def test_data_of_a_writer_killed_before_its_snapshot_is_removed_after_the_grace_period(
    tmp_path: Path, make_snapshot: Any, frame: pd.DataFrame
) -> None:
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    snap = make_snapshot(2)
    died = _killed_while((BlobIndexStore, "put_snapshot_only"), tmp_path / "ws", project.id, snap, frame)
    assert died == 9
    datasets = tmp_path / "ws" / str(project.id) / "datasets"
    assert len(list(datasets.glob("*.parquet"))) == 1  # the orphan of the dead write
    young = Workspace(tmp_path / "ws")  # within the grace period: the writer might still be running
    assert len(list(datasets.glob("*.parquet"))) == 1 and _ids(young, project) == []
    Workspace(tmp_path / "ws", grace_period=0)
    assert list(datasets.iterdir()) == []
    healed = Workspace(tmp_path / "ws")
    assert healed.list_datasets(project.id) == [] and healed.store.index.pending(2**62) == []
    info = healed.add_snapshot(project.id, snap, current_data=frame)  # the retry stores both
    assert len(healed.load_dataset(project.id, info.id)) == 50


def test_a_deleted_index_is_rebuilt_on_open_with_a_warning(
    tmp_path: Path, make_snapshot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    snaps = [ws.add_snapshot(project.id, make_snapshot(i)) for i in range(3)]
    ws.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "ws" / f".index.sqlite{suffix}").unlink(missing_ok=True)
    with caplog.at_level(logging.WARNING, "monitorflow.storage"):
        reopened = Workspace(tmp_path / "ws")
    assert "index" in caplog.text and "missing" in caplog.text
    assert sorted(_ids(reopened, project)) == sorted(s.id for s in snaps)
    assert len(reopened.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")) == 3


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_index_is_set_aside_and_rebuilt(
    tmp_path: Path, make_snapshot: Any, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    from monitorflow.cli import main

    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    snaps = [ws.add_snapshot(project.id, make_snapshot(i)) for i in range(20)]
    ws.close()
    index = tmp_path / "ws" / ".index.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    data = index.read_bytes()
    index.write_bytes(os.urandom(len(data)) if damage == "garbage" else data[:4096] + b"\0" * 100)
    with caplog.at_level(logging.WARNING, "monitorflow.storage"):
        reopened = Workspace(tmp_path / "ws")
    assert "damaged" in caplog.text
    assert sorted(_ids(reopened, project)) == sorted(s.id for s in snaps)
    assert list((tmp_path / "ws").glob(".index.sqlite.damaged-*"))  # kept for a look
    reopened.close()
    index.write_bytes(b"not a database at all" * 100)
    assert main(["reindex", str(tmp_path / "ws")]) == 0


def test_old_temporary_files_are_removed_on_open(tmp_path: Path, make_snapshot: Any) -> None:
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    ws.add_snapshot(project.id, make_snapshot(1))
    folder = tmp_path / "ws" / str(project.id) / "snapshots"
    old, young = folder / ".tmp-old.part", folder / ".tmp-young.part"
    trash = tmp_path / "ws" / ".trash-0123"
    for path in (old, young):
        path.write_bytes(b"half a snapshot")
    trash.mkdir()
    (trash / "x.json").write_text("{}")
    long_ago = time.time() - 3600
    for path in (old, trash):
        os.utime(path, (long_ago, long_ago))
    ws.store.index.runner.write(
        lambda tx: ws.store.index.begin_intents(
            tx, [f"{project.id}/snapshots/{uuid.uuid4()}.json"], project.id, 0
        )
    )
    Workspace(tmp_path / "ws", grace_period=600)
    assert not old.exists() and young.exists() and not trash.exists()


def test_unreadable_files_are_logged_and_listed_as_problems(
    tmp_path: Path, make_snapshot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from monitorflow.storage.local import LocalStore

    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    good, bad = ws.add_snapshot(project.id, make_snapshot(1)), ws.add_snapshot(project.id, make_snapshot(2))
    (tmp_path / "ws" / str(project.id) / "snapshots" / f"{bad.id}.json").write_text('{"kind": "report"')
    with caplog.at_level(logging.WARNING, "monitorflow.storage"):
        result = ws.reindex()
    assert str(bad.id) in result.errors and _ids(ws, project) == [good.id]
    [problem] = ws.problems()
    assert problem["key"] == f"{project.id}/snapshots/{bad.id}.json" and "not valid JSON" in problem["reason"]
    assert str(tmp_path) not in problem["reason"]  # keys, not server paths
    assert f"{bad.id}.json" in caplog.text and "not valid JSON" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, "monitorflow.storage"):
        ws.reindex()
    assert caplog.text == ""  # logged once per version of the file
    assert isinstance(ws.store, LocalStore)


def test_folder_writes_reach_the_disk_before_they_return(
    tmp_path: Path, make_snapshot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    synced: list[str] = []
    real = os.fsync

    def spy(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(local_module.os, "fsync", spy)
    snap = make_snapshot(1)
    ws.add_snapshot(project.id, snap)
    folder = str(tmp_path / "ws" / str(project.id) / "snapshots")
    assert folder in synced  # the folder entry of the new file
    assert any(Path(p).parent == Path(folder) and ".tmp-" in p for p in synced)  # the file, before linking

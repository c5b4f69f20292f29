"""Backend specifics: URI mapping, the folder layout, corrupted files, S3 sync and rebuild, optional deps."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import pytest

from monitorflow.errors import (
    ConfigurationError,
    MissingDependencyError,
    ProjectNotFound,
    SnapshotError,
    SnapshotExists,
    StorageError,
)
from monitorflow.storage import open_store
from monitorflow.storage.local import INDEX_FILE, LocalStore
from monitorflow.workspace import Workspace

# ------------------------------------------------------------------------------------ URI mapping


def test_uri_mapping_picks_the_backend(tmp_path):
    assert type(open_store(tmp_path / "a")).__name__ == "LocalStore"
    assert type(open_store(f"file://{tmp_path}/b")).__name__ == "LocalStore"
    assert type(open_store(f"sqlite:///{tmp_path}/c.db")).__name__ == "SQLStore"
    with pytest.raises(ConfigurationError, match="RemoteWorkspace"):
        open_store("http://localhost:8000")
    with pytest.raises(ConfigurationError, match="no storage backend for URI scheme 'ftp'"):
        open_store("ftp://host/x")


def test_workspace_default_is_a_folder_named_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ws = Workspace()
    project = ws.create_project("p")
    assert (tmp_path / "workspace" / str(project.id) / "metadata.json").exists()
    assert (tmp_path / "workspace" / INDEX_FILE).exists()


def test_s3_only_options_are_rejected_elsewhere(tmp_path):
    with pytest.raises(ConfigurationError, match="s3:// workspaces only"):
        Workspace(tmp_path, endpoint_url="http://x")


@pytest.mark.parametrize(
    ("module", "uri", "extra"),
    [("sqlalchemy", "sqlite:///{tmp}/x.db", "postgres"), ("boto3", "s3://bucket/x", "s3")],
)
def test_missing_optional_dependency_names_the_install_command(module, uri, extra, tmp_path, monkeypatch):
    for name in list(sys.modules):
        if name == module or name.startswith(module + "."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # makes "import module" fail
    with pytest.raises(MissingDependencyError, match=rf"pip install 'monitorflow\[{extra}\]'"):
        Workspace(uri.format(tmp=tmp_path))


def test_missing_pyarrow_names_the_install_command(tmp_path, monkeypatch):
    import pandas as pd

    ws = Workspace(tmp_path)
    project = ws.create_project("p")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingDependencyError, match=r"install it with: pip install pyarrow"):
        ws.add_dataset(project.id, pd.DataFrame({"a": [1]}), "d")


def test_unreachable_postgres_is_a_storage_error():
    with pytest.raises(StorageError, match="127.0.0.1") as err:
        Workspace("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    assert err.value.__cause__ is not None


# ------------------------------------------------------------------------------------- the folder


def test_folder_layout_and_no_temporary_files_left(tmp_path, make_snapshot):
    import pandas as pd

    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    info = ws.add_snapshot(project.id, make_snapshot())
    did = ws.add_dataset(project.id, pd.DataFrame({"a": [1, 2]}), "d")
    root = tmp_path / "ws" / str(project.id)
    assert json.loads((root / "metadata.json").read_text())["name"] == "p"
    assert (root / "snapshots" / f"{info.id}.json").exists()
    assert (root / "datasets" / f"{did}.parquet").exists() and (root / "datasets" / f"{did}.json").exists()
    leftovers = [p for p in (tmp_path / "ws").rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_corrupted_snapshot_is_reported_by_id_and_others_still_list(tmp_path, make_snapshot):
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    good = [ws.add_snapshot(project.id, make_snapshot(i)).id for i in range(3)]
    bad = ws.add_snapshot(project.id, make_snapshot(5)).id
    (tmp_path / "ws" / str(project.id) / "snapshots" / f"{bad}.json").write_text('{"kind": "report", "timest')
    assert len(ws.list_snapshots(project.id)) == 4  # the index does not parse blobs
    with pytest.raises(SnapshotError, match=str(bad)):
        ws.load_snapshot(project.id, bad)
    report = ws.reindex()
    assert list(report.errors) == [str(bad)] and str(bad) in report.errors[str(bad)]
    assert [s.id for s in ws.list_snapshots(project.id)] == good[::-1]
    assert len(ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")) == 3
    assert ws.load_snapshot(project.id, good[0]).id == good[0]


def test_folder_index_is_rebuilt_from_files_alone(tmp_path, make_snapshot):
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    for i in range(4):
        ws.add_snapshot(project.id, make_snapshot(i, tags=["t"]))
    expected = ws.list_snapshots(project.id)
    ws.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp_path / 'ws' / INDEX_FILE}{suffix}").unlink(missing_ok=True)
    ws = Workspace(tmp_path / "ws")
    assert [p.id for p in ws.list_projects()] == [project.id]  # projects are found from their folders
    report = ws.reindex()
    assert (report.projects, report.snapshots, report.errors) == (1, 4, {})
    assert ws.list_snapshots(project.id) == expected
    assert len(ws.series(project.id, "DatasetSummaryMetric", "current.number_of_rows", tags=["t"])) == 4


def test_snapshot_file_copied_in_by_hand_is_found_by_reindex(tmp_path, make_snapshot):
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    snap = make_snapshot(1)
    snap.save(tmp_path / "ws" / str(project.id) / "snapshots" / f"{snap.id}.json")
    assert ws.load_snapshot(project.id, snap.id) == snap
    assert ws.list_snapshots(project.id) == []
    assert ws.reindex().snapshots == 1
    assert [s.id for s in ws.list_snapshots(project.id)] == [snap.id]


def test_folder_exclusive_create_between_two_stores(tmp_path, make_snapshot):
    a, b = LocalStore(tmp_path / "ws"), LocalStore(tmp_path / "ws")
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    snap = make_snapshot()
    a.put_snapshot(project.id, snap, snap.json_bytes())
    with pytest.raises(SnapshotExists):
        b.put_snapshot(project.id, snap, snap.json_bytes())


def test_same_snapshot_id_in_another_project_is_refused(tmp_path, make_snapshot):
    ws = Workspace(tmp_path / "ws")
    p1, p2 = ws.create_project("a"), ws.create_project("b")
    snap = make_snapshot()
    ws.add_snapshot(p1.id, snap)
    with pytest.raises(SnapshotExists, match=str(p1.id)):
        ws.add_snapshot(p2.id, snap, replace=True)
    assert not (tmp_path / "ws" / str(p2.id) / "snapshots" / f"{snap.id}.json").exists()
    assert ws.list_snapshots(p2.id) == []


def test_project_folder_deleted_by_another_process(tmp_path):
    import shutil

    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    shutil.rmtree(tmp_path / "ws" / str(project.id))
    with pytest.raises(ProjectNotFound):
        ws.get_project(project.id)
    assert ws.list_projects() == []


# ---------------------------------------------------------------------------------------------- S3


@pytest.fixture
def seaweed_env(seaweed, s3_env):
    """boto3 pointed at the session's SeaweedFS through the standard AWS variables."""
    s3_env(seaweed)
    return seaweed


def test_s3_second_index_picks_up_snapshots_written_elsewhere(seaweed_env, tmp_path, make_snapshot):
    uri = f"s3://sync-{uuid.uuid4().hex[:12]}/team/prod"
    writer = Workspace.create(uri, index_uri=tmp_path / "writer.sqlite")
    reader = Workspace(uri, index_uri=tmp_path / "reader.sqlite", sync_interval=0)
    project = writer.create_project("p")
    assert [p.id for p in reader.list_projects()] == [project.id]
    ids = [writer.add_snapshot(project.id, make_snapshot(i, tags=["x"])).id for i in range(3)]
    assert [s.id for s in reader.list_snapshots(project.id)] == ids[::-1]
    assert len(reader.series(project.id, "DatasetSummaryMetric", "current.number_of_rows", tags=["x"])) == 3
    writer.delete_snapshot(project.id, ids[0])
    writer.add_snapshot(project.id, make_snapshot(7, rows=777, snapshot_id=ids[1]), replace=True)
    assert [s.id for s in reader.list_snapshots(project.id)] == [ids[1], ids[2]]
    assert (
        777.0 in reader.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")["value"].tolist()
    )
    did = writer.add_dataset(project.id, __import__("pandas").DataFrame({"a": [1]}), "d")
    assert reader.load_dataset(did)["a"].tolist() == [1]  # an unknown id triggers a sync
    writer.delete_project(project.id)
    assert reader.list_projects() == []


def test_s3_index_is_rebuilt_from_the_bucket_alone(seaweed_env, tmp_path, make_snapshot):
    uri = f"s3://rebuild-{uuid.uuid4().hex[:12]}"
    ws = Workspace.create(uri, index_uri=tmp_path / "first.sqlite")
    project = ws.create_project("p")
    for i in range(5):
        ws.add_snapshot(project.id, make_snapshot(i, kind="test_suite" if i % 2 else "report"))
    fresh = Workspace(uri, index_uri=tmp_path / "fresh.sqlite")
    report = fresh.reindex()
    assert (report.projects, report.snapshots, report.errors) == (1, 5, {})
    assert fresh.list_snapshots(project.id) == ws.list_snapshots(project.id)
    assert len(fresh.test_status_series(project.id)) == 4


def test_s3_corrupted_object_is_reported_by_id(seaweed_env, tmp_path, make_snapshot):
    uri = f"s3://corrupt-{uuid.uuid4().hex[:12]}/ws"
    ws = Workspace.create(uri, index_uri=tmp_path / "a.sqlite")
    project = ws.create_project("p")
    good = ws.add_snapshot(project.id, make_snapshot(1)).id
    bad = uuid.uuid4()
    ws.store.blobs.put(f"{project.id}/snapshots/{bad}.json", b"not json")
    other = Workspace(uri, index_uri=tmp_path / "b.sqlite")
    assert [s.id for s in other.list_snapshots(project.id)] == [good]
    report = other.reindex()
    assert list(report.errors) == [str(bad)]
    with pytest.raises(SnapshotError, match=str(bad)):
        other.load_snapshot(project.id, bad)


def test_s3_conditional_put_refuses_a_second_writer(seaweed_env, tmp_path, make_snapshot):
    uri = f"s3://cond-{uuid.uuid4().hex[:12]}"
    a = Workspace.create(uri, index_uri=tmp_path / "a.sqlite")
    b = Workspace(uri, index_uri=tmp_path / "b.sqlite")  # does not know about a's snapshot
    project = a.create_project("p")
    snap = make_snapshot()
    a.add_snapshot(project.id, snap)
    with pytest.raises(SnapshotExists):
        b.add_snapshot(project.id, snap)


def test_s3_endpoint_url_argument_and_missing_bucket(seaweed_env, tmp_path, monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    name = f"endpoint-{uuid.uuid4().hex[:12]}"
    with pytest.raises(StorageError, match=f"bucket '{name}' does not exist.*Workspace.create"):
        Workspace(f"s3://{name}", endpoint_url=seaweed_env.endpoint_url, index_uri=tmp_path / "i.sqlite")
    ws = Workspace.create(
        f"s3://{name}", endpoint_url=seaweed_env.endpoint_url, index_uri=tmp_path / "i.sqlite"
    )
    assert ws.create_project("p").name == "p"


def test_s3_default_index_is_a_local_cache(seaweed_env, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITORFLOW_CACHE_DIR", str(tmp_path / "cache"))
    ws = Workspace.create(f"s3://cache-{uuid.uuid4().hex[:12]}/x")
    ws.create_project("p")
    assert list((tmp_path / "cache").glob("s3-index-cache-*.sqlite"))


def test_seaweed_wrong_secret_is_a_storage_error(seaweed_env, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    with pytest.raises(StorageError) as err:
        Workspace.create("s3://auth/x", index_uri=tmp_path / "i.sqlite")
    assert err.value.__cause__ is not None


def test_s3_with_postgres_index(seaweed_env, postgres_url, make_snapshot):
    """Two workspaces on one bucket sharing a PostgreSQL index see each other's writes at once."""
    uri = f"s3://pgindex/{uuid.uuid4().hex}"
    a = Workspace.create(uri, index_uri=postgres_url)
    b = Workspace(uri, index_uri=postgres_url)
    project = a.create_project("p")
    a.add_snapshot(project.id, make_snapshot(1, tags=["x"]))
    assert len(b.list_snapshots(project.id)) == 1
    assert len(b.series(project.id, "DatasetSummaryMetric", "current.number_of_rows", tags=["x"])) == 1
    assert b.reindex().snapshots == 1
    a.close()
    b.close()

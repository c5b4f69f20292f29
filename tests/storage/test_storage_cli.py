"""``monitorflow reindex URI``: rebuild an index from the stored snapshots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from monitorflow.cli import main
from monitorflow.storage.local import INDEX_FILE
from monitorflow.workspace import Workspace


def test_reindex_command_rebuilds_a_folder_index(tmp_path, make_snapshot, capsys):
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    for i in range(3):
        ws.add_snapshot(project.id, make_snapshot(i))
    ws.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp_path / 'ws' / INDEX_FILE}{suffix}").unlink(missing_ok=True)
    assert main(["reindex", str(tmp_path / "ws")]) == 0
    assert "1 projects, 3 snapshots" in capsys.readouterr().out
    assert len(Workspace(tmp_path / "ws").list_snapshots(project.id)) == 3


def test_reindex_command_reports_unreadable_snapshots(tmp_path, make_snapshot, capsys):
    ws = Workspace(tmp_path / "ws")
    project = ws.create_project("p")
    bad = ws.add_snapshot(project.id, make_snapshot()).id
    (tmp_path / "ws" / str(project.id) / "snapshots" / f"{bad}.json").write_text("{")
    assert main(["reindex", str(tmp_path / "ws")]) == 1
    assert f"unreadable {bad}" in capsys.readouterr().err


def test_reindex_command_on_s3_and_errors(seaweed, s3_env, tmp_path, make_snapshot, monkeypatch, capsys):
    s3_env(seaweed)
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    uri = "s3://cli-reindex/prefix"
    ws = Workspace.create(uri, endpoint_url=seaweed.endpoint_url, index_uri=tmp_path / "a.sqlite")
    ws.add_snapshot(ws.create_project("p").id, make_snapshot())
    code = main(
        ["reindex", uri, "--endpoint-url", seaweed.endpoint_url, "--index-uri", str(tmp_path / "b.sqlite")]
    )
    assert code == 0 and "1 snapshots" in capsys.readouterr().out
    assert main(["reindex", "s3://no-such-bucket-here", "--endpoint-url", seaweed.endpoint_url]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_console_script_runs(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "monitorflow.cli", "reindex", str(tmp_path / "empty")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "0 projects, 0 snapshots" in proc.stdout

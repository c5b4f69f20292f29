"""Nothing lost under faults (issue 15): a stream of writes on each backend while a real fault hits,
then the next open is audited: 0 lost, 0 duplicated, 0 invisible, 0 orphans, with and without data.

The scenarios live in :mod:`monitorflow.storage.faults` (``bench/faults.py`` prints the same matrix).
Faults are real: writer processes killed with SIGKILL, the PostgreSQL server restarted with
``-m immediate``, a SeaweedFS process killed with SIGKILL and started again on its data, an HTTP proxy
in front of SeaweedFS that lets PUTs store and drops every third answer, a 1 MiB tmpfs that fills.
Each test is bounded (a dozen writes, a writer that gives up after its deadline).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from monitorflow.storage import faults
from monitorflow.storage.faults import Audit, Backend

COUNT, KILLS = 12, 2
DATA = [pytest.param(False, id="no-data"), pytest.param(True, id="data")]


def assert_clean(row: Audit, count: int = COUNT) -> None:
    assert row.acknowledged == count, row.row()
    assert (row.lost, row.duplicated, row.invisible, row.orphans) == (0, 0, 0, 0), row.row()


@pytest.fixture
def s3_backend(seaweed: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Backend:
    for key, value in seaweed.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    return faults.s3_backend(
        f"s3://faults-{uuid.uuid4().hex[:10]}", seaweed.endpoint_url, tmp_path / "index.sqlite"
    )


@pytest.fixture(scope="module")
def own_seaweed(seaweed: Any) -> Iterator[Any]:
    """A SeaweedFS of this module's own (the session's ``seaweed`` must not be killed)."""
    with faults.restartable_seaweed() as weed:
        yield weed


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("backend", ["folder", "sqlite"])
def test_writers_killed_on_local_backends(backend: str, data: bool, tmp_path: Path) -> None:
    target = (
        faults.folder_backend(tmp_path / "ws")
        if backend == "folder"
        else faults.sql_backend("sqlite", f"sqlite:///{tmp_path / 'ws.db'}")
    )
    row = faults.scenario_writer_killed(target, data, COUNT, KILLS)
    assert row.failures > 0, "no kill hit a running writer"
    assert_clean(row)


@pytest.mark.parametrize("data", DATA)
def test_writers_killed_on_postgresql(postgres_cluster: str, data: bool) -> None:
    target = faults.sql_backend("postgresql", faults.durable_database(postgres_cluster))
    row = faults.scenario_writer_killed(target, data, COUNT, KILLS)
    assert row.failures > 0
    assert_clean(row)


@pytest.mark.parametrize("data", DATA)
def test_postgresql_restarted_immediately_mid_stream(postgres_cluster: str, data: bool) -> None:
    url = faults.durable_database(postgres_cluster)
    row = faults.scenario_postgres_restarted(faults.sql_backend("postgresql", url), url, data, COUNT)
    assert row.failures > 0, "no write met the restart"
    assert_clean(row)


@pytest.mark.parametrize("data", DATA)
def test_writers_killed_on_s3(s3_backend: Backend, data: bool) -> None:
    row = faults.scenario_writer_killed(s3_backend, data, COUNT, KILLS)
    assert row.failures > 0
    assert_clean(row)


@pytest.mark.parametrize("data", DATA)
def test_s3_answers_dropped_after_the_put_stored(s3_backend: Backend, seaweed: Any, data: bool) -> None:
    """The defect: the retry met its own stored snapshot (SnapshotExists) and its cleanup deleted the
    stored snapshot's datasets."""
    proxy = faults.DroppingProxy(("127.0.0.1", int(seaweed.endpoint_url.rsplit(":", 1)[1])))
    try:
        row = faults.scenario_answers_dropped(s3_backend, proxy, data, COUNT)
    finally:
        proxy.close()
    assert proxy.dropped > 0 and row.failures > 0, row.row()  # the writer's own retries met them
    assert "AWS_MAX_ATTEMPTS" not in os.environ
    assert_clean(row)


@pytest.mark.parametrize("data", DATA)
def test_s3_server_killed_and_restarted_mid_stream(
    own_seaweed: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: bool
) -> None:
    for key, value in own_seaweed.server.env().items():
        monkeypatch.setenv(key, value)
    target = faults.s3_backend(
        f"s3://killed-{uuid.uuid4().hex[:10]}", own_seaweed.server.endpoint_url, tmp_path / "index.sqlite"
    )
    row = faults.scenario_s3_killed(target, own_seaweed, data, COUNT)
    assert row.failures > 0, "no write met the dead server"
    assert_clean(row)


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("backend", ["folder", "sqlite"])
def test_disk_full_then_freed(backend: str, data: bool) -> None:
    with ExitStack() as stack:
        try:
            root = stack.enter_context(faults.small_disk(1024))
        except OSError as exc:
            pytest.skip(f"a small filesystem cannot be mounted here (needs root): {exc}")
        row = faults.scenario_disk_full(backend, root, data)
    assert row.note.startswith("full after"), row.note
    assert_clean(row, row.acknowledged)
    assert row.acknowledged > 0

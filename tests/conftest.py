"""Shared fixtures: real servers started by the test session, and workspaces on every backend.

Real components (PostgreSQL, SeaweedFS, Evidently's venv, Chromium, Prefect) come from the plugin
``tests/support/real_components.py``: one fixture and one marker each; ``make test`` requires them all (see
``docs/developing.md``). Here:

- ``postgres_url``: a fresh database in the session's PostgreSQL cluster per test.
- ``moto_s3`` (session): moto's in-process S3 server, only for faults the real server cannot make;
  ``s3_env(server)`` points boto3 at a server through the standard AWS variables.
- ``ws_backend`` (parametrized over folder, sqlite, postgresql, s3): a :class:`Target` whose ``open()``
  gives a fresh ``Workspace`` on that backend; the contract suite runs on each.
- Hypothesis profiles: ``ci`` (more examples; chosen by ``MONITORFLOW_REQUIRE_COMPONENTS=1``) and ``dev``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

pytest.register_assert_rewrite("tests.support")  # before the helpers are imported (below)

from monitorflow.storage.testing import S3Server, moto_server  # noqa: E402
from tests.support.real_components import required  # noqa: E402
from tests.support.snapshots import build_snapshot  # noqa: E402
from tests.support.workspaces import Target, point_boto3_at  # noqa: E402

pytest_plugins = ["tests.support.real_components"]

#: The workspace backends of the contract; the last two start real servers (hence their markers).
BACKENDS = [
    "folder",
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("s3", marks=pytest.mark.seaweedfs),
]

#: ``settings()`` in a test module inherits the active profile; a costly test asks for a fraction of
#: it (``settings(max_examples=settings().max_examples // 4)``). MONITORFLOW_PROPERTY_EXAMPLES overrides.
#: CI runs more examples from a fixed seed (a red CI is reproducible; a green one stays green), local
#: runs explore new random examples each time and report any failure with its reproduction blob.
for _name, _examples in (("dev", 40), ("ci", 120)):
    settings.register_profile(
        _name,
        max_examples=int(os.environ.get("MONITORFLOW_PROPERTY_EXAMPLES") or _examples),
        derandomize=_name == "ci",
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )
settings.load_profile("ci" if required() else "dev")


@pytest.fixture
def postgres_url(postgres_cluster: str) -> Iterator[str]:
    """A new, empty database for one test; dropped afterwards (WITH FORCE)."""
    import sqlalchemy

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = sqlalchemy.create_engine(postgres_cluster, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_cluster.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[S3Server]:
    """moto's in-process S3 (credentials not checked): only for faults SeaweedFS cannot be made to show."""
    with moto_server() as server:
        yield server


@pytest.fixture
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """monitorflow's clock (``timeutil.utc_now``: run times, ``created_at``, the ids derived from them)
    starts at 2026-01-01 UTC and moves 1 ms per reading, so time order never depends on the wall clock.
    Returns the readings so far."""
    from monitorflow import timeutil

    readings: list[datetime] = []

    def tick() -> datetime:
        readings.append(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(milliseconds=len(readings)))
        return readings[-1]

    monkeypatch.setattr(timeutil, "clock", tick)
    return readings


@pytest.fixture(autouse=True)
def _aws_settings_restored() -> Iterator[None]:
    """No test leaves AWS settings behind for the next one (set them with ``s3_env`` or monkeypatch)."""
    before = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    yield
    after = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    assert after == before, (
        "this test changed AWS_* variables for the tests after it; use s3_env or monkeypatch"
    )


@pytest.fixture
def s3_env(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``s3_env(server)``: point boto3 at ``server`` through the standard AWS variables only
    (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL``)."""
    return lambda server: point_boto3_at(monkeypatch, server)


@pytest.fixture(params=BACKENDS)
def ws_backend(
    request: pytest.FixtureRequest, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Target]:
    """The same workspace contract on the folder, SQLite, PostgreSQL and S3 (SeaweedFS) backends."""
    name = request.param
    if name == "folder":
        target = Target(name, str(tmp_path / "workspace"))
    elif name == "sqlite":
        target = Target(name, f"sqlite:///{tmp_path / 'workspace.db'}")
    elif name == "postgresql":
        target = Target(name, request.getfixturevalue("postgres_url"))
    else:
        point_boto3_at(monkeypatch, request.getfixturevalue("seaweed"))
        target = Target(
            name, f"s3://contract/{uuid.uuid4().hex}", {"index_uri": str(tmp_path / "s3-index.sqlite")}
        )
    yield target
    target.close()


@pytest.fixture
def make_snapshot() -> Any:
    """``make_snapshot(i, timestamp=, tags=, metadata=, kind=, rows=, drift=, snapshot_id=)``."""
    return build_snapshot

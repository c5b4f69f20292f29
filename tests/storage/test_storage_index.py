"""Index internals: flattening, canonical values, times, schema versions and migrations."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitorflow.errors import StorageError
from monitorflow.storage import index as index_module
from monitorflow.storage.index import (
    Index,
    canonical,
    flatten_numeric,
    flatten_params,
    from_micros,
    micros,
    series_key,
)
from monitorflow.storage.index import schema as schema_module
from monitorflow.storage.runners import SqlAlchemyRunner, SqliteRunner, open_runner


def test_flatten_numeric_takes_every_finite_number_and_bools_as_0_1():
    result = {
        "current": {"number_of_rows": 3, "share": 0.5, "ok": True, "bad": False, "name": "x", "none": None},
        "drift_by_columns": {"age": {"drift_score": 0.01, "stattest": "ks"}},
        "histogram": {"edges": [1, 2, 3]},
        "nan": float("nan"),
        "inf": float("inf"),
        "huge": 10**400,
    }
    assert dict(flatten_numeric(result)) == {
        "current.number_of_rows": 3.0,
        "current.share": 0.5,
        "current.ok": 1.0,
        "current.bad": 0.0,
        "drift_by_columns.age.drift_score": 0.01,
    }


def test_flatten_params_and_canonical_values():
    assert flatten_params({"column_name": "age", "opts": {"k": 1.0, "n": None}, "cols": ["a", "b"]}) == {
        "column_name": '"age"',
        "opts.k": "1",
        "opts.n": "null",
        "cols": '["a","b"]',
    }
    assert flatten_params(
        {"column_name": "age", "drift_score": 0.3, "gte": 2, "ok": True}, scalars_only=True
    ) == {
        "column_name": '"age"',
        "gte": "2",
        "ok": "true",
    }
    assert (
        canonical({"b": 1, "a": [1.0, "x"]}) == canonical({"a": [1, "x"], "b": 1.0}) == '{"a":[1,"x"],"b":1}'
    )


def test_micros_round_trip_in_utc():
    moment = datetime(2026, 5, 17, 13, 45, 1, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert from_micros(micros(moment)) == moment
    assert from_micros(micros(moment)).tzinfo == UTC
    assert micros(datetime(1960, 1, 1, tzinfo=UTC)) < 0
    assert from_micros(micros(datetime(1960, 1, 1, tzinfo=UTC))) == datetime(1960, 1, 1, tzinfo=UTC)


def test_series_key_is_deterministic_and_signed_64_bit():
    key = series_key("p", "m", "current.number_of_rows")
    assert key == series_key("p", "m", "current.number_of_rows")
    assert key != series_key("p", "m", "current.number_of_columns")
    assert -(2**63) <= key < 2**63


@pytest.fixture(params=["sqlite3", "sqlalchemy-sqlite"])
def runner_factory(request, tmp_path):
    path = tmp_path / "index.db"
    if request.param == "sqlite3":
        return lambda: SqliteRunner(path)
    return lambda: SqlAlchemyRunner(f"sqlite:///{path}?timeout=5")


def test_schema_is_created_once_with_its_version(runner_factory):
    index = Index(runner_factory())
    Index(runner_factory())  # opening again is a no-op
    rows = index.runner.read(lambda tx: tx.fetchall("SELECT version FROM mf_schema_version"))
    assert rows == [(index_module.SCHEMA_VERSION,)]


def test_a_newer_schema_version_is_refused(runner_factory):
    index = Index(runner_factory())
    index.runner.write(
        lambda tx: tx.execute("INSERT INTO mf_schema_version (version, applied_at) VALUES (99, 0)")
    )
    with pytest.raises(StorageError, match="schema version 99.*upgrade monitorflow"):
        Index(runner_factory())


def test_migrations_run_in_order_and_are_recorded(runner_factory, monkeypatch):
    Index(runner_factory())
    base = index_module.SCHEMA_VERSION
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", base + 2)
    monkeypatch.setattr(
        schema_module,
        "MIGRATIONS",
        {
            **index_module.MIGRATIONS,
            base + 1: ["ALTER TABLE mf_projects ADD COLUMN owner TEXT"],
            base + 2: ["UPDATE mf_projects SET owner = 'nobody'"],
        },
    )
    index = Index(runner_factory())
    versions = index.runner.read(
        lambda tx: tx.fetchall("SELECT version FROM mf_schema_version ORDER BY version")
    )
    assert versions == [(base,), (base + 1,), (base + 2,)]
    assert index.runner.read(lambda tx: tx.fetchall("SELECT owner FROM mf_projects")) == []


def test_postgres_schema_version(postgres_url):
    index = Index(SqlAlchemyRunner(postgres_url))
    assert index.schema_version() == index_module.SCHEMA_VERSION
    assert index.runner.dialect == "postgresql"
    index.close()


def test_open_runner_picks_stdlib_sqlite_for_paths():
    assert isinstance(open_runner("/tmp/x/index.sqlite"), SqliteRunner)
    assert isinstance(open_runner("sqlite:////tmp/x/index.sqlite"), SqliteRunner)


def test_sqlite_runner_wraps_driver_errors():
    runner = SqliteRunner(":memory:")
    with pytest.raises(StorageError, match="no such table"):
        runner.read(lambda tx: tx.fetchall("SELECT * FROM missing"))


def test_import_monitorflow_does_not_import_sqlalchemy_or_boto3():
    code = (
        "import sys, monitorflow, monitorflow.workspace, monitorflow.storage, monitorflow.cli; "
        "bad = [m for m in sys.modules if m.split('.')[0] "
        "in ('sqlalchemy', 'boto3', 'botocore', 'psycopg')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr

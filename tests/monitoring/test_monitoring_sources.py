"""Data sources: files (local, S3) with window placeholders, SQL with bound parameters, callables,
datasets."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pandas as pd
import pytest
import sqlalchemy

from monitorflow.errors import SourceError
from monitorflow.monitoring import DatasetSource, FileSource, PythonSource, SQLSource, Window
from monitorflow.monitoring.sources import load_source, render_path
from monitorflow.workspace import Workspace
from tests.support.flows import day, events, write_days


def window(i: int, days: int = 1) -> Window:
    return Window(start=day(i), end=day(i + days))


def test_placeholders_select_the_window_file_and_timestamp_column_the_rows(tmp_path: Path) -> None:
    template = write_days(tmp_path, range(3))
    frame = load_source(FileSource(path=str(template), timestamp_column="ts"), window(1))
    assert len(frame) == 120 and frame["ts"].min() >= day(1) and frame["ts"].max() < day(2)
    source = FileSource(path=str(template), timestamp_column="ts", partition="1d")
    assert len(load_source(source, window(0, days=3))) == 360  # three daily files
    assert render_path("s3://b/{start:%Y/%m/%d}/{end:%H}.csv", window(0)) == "s3://b/2026/01/01/00.csv"


def test_csv_with_naive_times_in_a_time_zone(tmp_path: Path) -> None:
    frame = events(0)
    frame["ts"] = frame["ts"].dt.tz_convert("Europe/Berlin").dt.tz_localize(None)  # naive local times
    frame.to_csv(tmp_path / "all.csv", index=False)
    source = FileSource(path=str(tmp_path / "all.csv"), timestamp_column="ts", timezone="Europe/Berlin")
    assert len(load_source(source, window(0))) == 120
    assert len(load_source(source.model_copy(update={"timezone": "UTC"}), window(0))) < 120


def test_filters_keep_matching_rows(tmp_path: Path) -> None:
    template = write_days(tmp_path, range(1))
    source = FileSource(path=str(template), filters={"model_version": "v2", "region": ["eu", "us"]})
    assert set(load_source(source, window(0))["model_version"]) == {"v2"}
    with pytest.raises(SourceError, match="filter column 'nope' is not in"):
        load_source(FileSource(path=str(template), filters={"nope": 1}), window(0))


def test_a_missing_file_fails_with_its_path_unless_missing_ok(tmp_path: Path) -> None:
    template = write_days(tmp_path, range(2), skip=(1,))
    with pytest.raises(SourceError, match=f"cannot read {tmp_path}/2026-01-02.parquet: no such file") as info:
        load_source(FileSource(path=str(template)), window(1))
    assert info.value.transient and info.value.source.endswith("2026-01-02.parquet")
    assert load_source(FileSource(path=str(template), missing_ok=True), window(1)).empty
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(SourceError, match="cannot read .*broken.parquet"):
        load_source(FileSource(path=str(tmp_path / "broken.parquet")), None)


def test_a_missing_relative_file_says_where_it_looked_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new user's monitor run from another folder: the message names the absolute path it tried and,
    for a per-window path, the two ways out (windows whose files exist, or missing_ok)."""
    write_days(tmp_path / "data", range(1))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceError) as info:
        load_source(FileSource(path="data/{start}.parquet"), window(1))
    message = str(info.value)
    assert f"looked for {tmp_path / 'data' / '2026-01-02.parquet'}" in message
    assert "'data/{start}.parquet' names one file per window" in message and "missing_ok: true" in message
    with pytest.raises(SourceError) as info:
        load_source(FileSource(path="elsewhere/reference.parquet"), None)
    assert f"looked for {tmp_path / 'elsewhere' / 'reference.parquet'}" in str(info.value)
    assert "per window" not in str(info.value)


def test_a_partitioned_path_needs_a_window(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="placeholders but is read without a window") as info:
        load_source(FileSource(path=str(tmp_path / "{start}.csv")), None)
    assert not info.value.transient


def test_s3_files_through_boto3(seaweed, s3_env) -> None:
    s3_env(seaweed)
    bucket = f"events-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=seaweed.endpoint_url)
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="daily/2026-01-01.csv", Body=events(0).to_csv(index=False).encode())
    source = FileSource(path=f"s3://{bucket}/daily/{{start}}.csv", endpoint_url=seaweed.endpoint_url)
    assert len(load_source(source, window(0))) == 120
    with pytest.raises(SourceError, match=f"cannot read s3://{bucket}/daily/2026-01-02.csv: no such object"):
        load_source(source, window(1))
    assert load_source(source.model_copy(update={"missing_ok": True}), window(1)).empty


def _sqlite(path: Path) -> str:
    frame = pd.concat([events(i) for i in range(3)], ignore_index=True)
    frame["ts"] = frame["ts"].dt.tz_localize(None).astype(str)  # naive UTC text, as SQLite keeps it
    with sqlite3.connect(path) as conn:
        frame.to_sql("events", conn, index=False)
    return f"sqlite:///{path}"


def test_sql_binds_the_window_as_parameters(tmp_path: Path) -> None:
    url = _sqlite(tmp_path / "events.db")
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        seen.append((statement, parameters))

    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute", capture)
    try:
        source = SQLSource(
            url=url,
            query="SELECT * FROM events WHERE ts >= :start AND ts < :end AND region = :region",
            params={"region": "eu"},
            bind_as="naive_utc",
        )
        frame = load_source(source, window(1))
    finally:
        sqlalchemy.event.remove(sqlalchemy.engine.Engine, "before_cursor_execute", capture)
    assert len(frame) == 60 and set(frame["region"]) == {"eu"}
    statement, parameters = seen[-1]
    assert "2026" not in statement and "?" in statement  # the window is never formatted into the SQL
    assert datetime(2026, 1, 2) in tuple(parameters) and datetime(2026, 1, 3) in tuple(parameters)


def test_sql_errors_name_the_database_without_its_password(tmp_path: Path) -> None:
    url = _sqlite(tmp_path / "events.db")
    with pytest.raises(SourceError, match=r"query on sqlite:///.*events.db failed: no such table: nope"):
        load_source(SQLSource(url=url, query="SELECT * FROM nope WHERE t >= :start AND t < :end"), window(0))
    with pytest.raises(SourceError, match=r"postgresql://u:\*\*\*@127.0.0.1:1/db"):
        load_source(
            SQLSource(url="postgresql://u:secret@127.0.0.1:1/db", query="select :start, :end"), window(0)
        )


def load_events(start: datetime, end: datetime, rows: int = 10) -> pd.DataFrame:
    """A Python source: ``load(start, end, **kwargs)``."""
    frame = events((start - day(0)).days, rows=rows)
    frame["window_end"] = end
    return frame


def broken(start: datetime, end: datetime) -> pd.DataFrame:
    raise ConnectionError("warehouse unreachable")


def test_python_callable_sources() -> None:
    frame = load_source(PythonSource(function=f"{__name__}:load_events", kwargs={"rows": 7}), window(2))
    assert len(frame) == 7 and frame["window_end"].iloc[0] == day(3)
    with pytest.raises(
        SourceError, match=rf"{__name__}:broken\(2026-01-01.*failed: ConnectionError: warehouse"
    ):
        load_source(PythonSource(function=f"{__name__}:broken"), window(0))
    with pytest.raises(SourceError, match="cannot import 'no_such_module'") as info:
        load_source(PythonSource(function="no_such_module:load"), window(0))
    assert not info.value.transient


def test_workspace_datasets_by_id(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        project = ws.create_project("p")
        dataset = ws.add_dataset(project.id, events(0), "reference")
    source = DatasetSource(dataset_id=dataset, timestamp_column="ts")
    assert len(load_source(source, None, workspace=str(tmp_path / "ws"))) == 120
    assert load_source(source, window(5), workspace=str(tmp_path / "ws")).empty
    missing = DatasetSource(dataset_id="0190a6c2-5a4e-7b7c-8d2e-1f2a3b4c5d6e")
    with pytest.raises(SourceError, match="cannot read dataset 0190a6c2"):
        load_source(missing, None, workspace=str(tmp_path / "ws"))


def test_windows_are_utc_aware() -> None:
    w = window(0)
    assert w.start.tzinfo is UTC and w.end - w.start == timedelta(days=1)

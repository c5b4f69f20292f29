"""SQL sources bind the window so that no row on a boundary is lost, whatever the time column's type.

Rows every 30 minutes (so many fall exactly on window bounds) are read window by window; every row
must come back exactly once, in the window pandas assigns it to.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy

from monitorflow.monitoring import parse_monitor
from monitorflow.monitoring.sources import SQLSource, load_source

START = datetime(2026, 1, 5, tzinfo=UTC)
TIMES = pd.date_range(START, START + timedelta(days=3), freq="30min", inclusive="left")
QUERY = "SELECT id, ts FROM events WHERE ts >= :start AND ts < :end"


def text_forms(times: pd.DatetimeIndex) -> dict[str, list[str]]:
    """The ways people keep times as text."""
    naive = times.tz_localize(None)
    return {
        "space": [t.strftime("%Y-%m-%d %H:%M:%S") for t in naive],
        "T": [t.strftime("%Y-%m-%dT%H:%M:%S") for t in naive],
        "fraction": [t.strftime("%Y-%m-%d %H:%M:%S.%f") for t in naive],
        "zulu": [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in naive],
        "offset": [t.isoformat() for t in times],
    }


def read_all(source: SQLSource, length: timedelta) -> list[tuple[int, datetime]]:
    """(row id, window start) for every row read, window by window over the three days."""
    monitor = parse_monitor(
        {
            "name": "m",
            "project": "p",
            "current": source.model_dump(),
            "metrics": ["DatasetSummaryMetric"],
            "window": f"{int(length.total_seconds())}s",
        }
    )
    seen = []
    for window in monitor.windows(START, START + timedelta(days=3)):
        frame = load_source(source, window)
        seen += [(int(i), window.start) for i in frame["id"]]
    return seen


def expected(length: timedelta) -> list[tuple[int, datetime]]:
    starts = TIMES.floor(pd.Timedelta(length)) if length <= timedelta(days=1) else None
    assert starts is not None
    return [(i, s.to_pydatetime()) for i, s in enumerate(starts)]


@pytest.mark.parametrize("length", [timedelta(days=1), timedelta(hours=6), timedelta(minutes=90)])
@pytest.mark.parametrize("form", ["space", "T", "fraction", "zulu", "offset"])
def test_sqlite_text_times_in_any_iso_form(tmp_path: Path, form: str, length: timedelta) -> None:
    path = tmp_path / "events.db"
    with sqlite3.connect(path) as conn:
        pd.DataFrame({"id": range(len(TIMES)), "ts": text_forms(TIMES)[form]}).to_sql(
            "events", conn, index=False
        )
    source = SQLSource(url=f"sqlite:///{path}", query=QUERY, timestamp_column="ts")  # bind_as: auto -> text
    assert source.binding() == "text"
    assert sorted(read_all(source, length)) == expected(length)


def test_text_binding_needs_the_timestamp_column() -> None:
    with pytest.raises(
        ValueError, match="bind_as: text reads a little beyond the window's bounds; set timestamp_column"
    ):
        SQLSource(url="sqlite://", query=QUERY, bind_as="text")


def test_text_bounds_sort_at_or_below_every_form_of_the_instant() -> None:
    source = SQLSource(url="sqlite://", query=QUERY, timestamp_column="ts", bind_as="text")
    day = parse_monitor(
        {"name": "m", "project": "p", "current": source.model_dump(), "metrics": ["DatasetSummaryMetric"]}
    )
    window = day.windows(START, START + timedelta(days=1))[0]
    assert source.bounds(window) == ("2026-01-05", "2026-01-06")
    six = window.model_copy(update={"start": START + timedelta(hours=6), "end": START + timedelta(hours=12)})
    low, high = source.bounds(six)
    assert (low, high) == ("2026-01-05 06:00:00", "2026-01-05T12:00:00")
    for form in text_forms(pd.DatetimeIndex([six.start])).values():
        assert low <= form[0]  # the start itself is read, whatever its form
    for form in text_forms(pd.DatetimeIndex([six.end - timedelta(microseconds=1)])).values():
        assert form[0] < high  # the last instant before the end too


@pytest.mark.parametrize(
    ("column_type", "bind_as", "values"),
    [
        ("timestamptz", "datetime", lambda t: list(t.to_pydatetime())),
        ("timestamp", "naive_utc", lambda t: list(t.tz_localize(None).to_pydatetime())),
        ("text", "text", lambda t: text_forms(t)["space"]),
        ("text", "iso", lambda t: text_forms(t)["T"]),
    ],
)
def test_postgresql_time_columns(postgres_url: str, column_type: str, bind_as: str, values) -> None:  # noqa: ANN001
    engine = sqlalchemy.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE events (id integer, ts {column_type})")
        rows = [{"id": i, "ts": v} for i, v in enumerate(values(TIMES))]
        conn.execute(sqlalchemy.text("INSERT INTO events (id, ts) VALUES (:id, :ts)"), rows)
    engine.dispose()
    source = SQLSource(url=postgres_url, query=QUERY, timestamp_column="ts", bind_as=bind_as)
    for length in (timedelta(days=1), timedelta(hours=6)):
        assert sorted(read_all(source, length)) == expected(length)


def test_postgresql_date_columns_with_daily_windows(postgres_url: str) -> None:
    days = pd.date_range(START, periods=6, freq="12h")
    engine = sqlalchemy.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE events (id integer, ts date)")
        conn.execute(
            sqlalchemy.text("INSERT INTO events (id, ts) VALUES (:id, :ts)"),
            [{"id": i, "ts": d.date()} for i, d in enumerate(days)],
        )
    engine.dispose()
    source = SQLSource(url=postgres_url, query=QUERY, timestamp_column="ts", bind_as="date")
    got = sorted(read_all(source, timedelta(days=1)))
    assert got == [(i, d.normalize().to_pydatetime()) for i, d in enumerate(days)]

"""Window lengths as people write them, calendar windows, week alignment and plain dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pandas as pd
import pytest
import yaml

from monitorflow.errors import ConfigurationError, MonitorConfigError
from monitorflow.monitoring import parse_monitor
from monitorflow.monitoring.windows import CalendarPeriod, format_length, iso_length, parse_length

BASE = {
    "name": "m",
    "project": "p",
    "current": {"kind": "file", "path": "d/{start}.csv"},
    "metrics": ["DataDriftPreset"],
}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("1.5h", timedelta(minutes=90)),
        ("6 hours", timedelta(hours=6)),
        ("1 week", timedelta(weeks=1)),
        ("2 days", timedelta(days=2)),
        ("1D", timedelta(days=1)),
        ("PT6H", timedelta(hours=6)),
        ("P1DT12H", timedelta(hours=36)),
        (3600, timedelta(hours=1)),
        ("1mo", CalendarPeriod(1)),
        ("3 months", CalendarPeriod(3)),
        ("1y", CalendarPeriod(12)),
        ("P1M", CalendarPeriod(1)),
        ("P2Y", CalendarPeriod(24)),
    ],
)
def test_lengths_are_read_in_the_forms_people_write(written: object, expected: object) -> None:
    assert parse_length(written) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1M", "ambiguous: write 1mo for a month or 1m for a minute"),
        ("fortnight", "is not a duration; write a number and a unit (30s, 15m, 6h, 1d, 1w"),
        ("3 parsecs", "unknown unit 'parsecs'"),
        ("1.5mo", "calendar periods are whole months or years"),
        ("P1M2D", "mixes months or years with a fixed duration"),
        ("P", "is not a duration"),
    ],
)
def test_bad_lengths_list_the_accepted_forms(written: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")):
        parse_length(written)


def test_only_the_window_takes_calendar_periods() -> None:
    with pytest.raises(MonitorConfigError, match="delay: '1mo' is a calendar period; only window takes"):
        parse_monitor({**BASE, "delay": "1mo"})
    assert parse_monitor({**BASE, "window": "1mo"}).window == CalendarPeriod(1)


def test_lengths_are_written_back_short() -> None:
    assert [format_length(parse_length(x)) for x in ("P1D", "168h", "90m", "PT36H", "12mo", "2.5s")] == [
        "1d",
        "1w",
        "90m",
        "36h",
        "1y",
        "2.5s",
    ]
    assert [iso_length(parse_length(x)) for x in ("1d", "6h", "1mo", "1y")] == [
        "P1D",
        "PT21600S",
        "P1M",
        "P1Y",
    ]
    dumped = parse_monitor({**BASE, "window": "P7D", "delay": "PT2H"}).model_dump(mode="json")
    assert (dumped["window"], dumped["delay"]) == ("1w", "2h")
    assert parse_monitor(dumped).window == timedelta(weeks=1)  # what is written reads back


def test_monthly_windows_follow_the_calendar() -> None:
    monitor = parse_monitor({**BASE, "window": "1mo"})
    windows = monitor.windows(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    expected = pd.date_range("2026-01-01", "2026-04-01", freq="MS", tz="UTC")
    assert [w.start for w in windows] == list(expected[:-1])
    assert [w.end for w in windows] == list(expected[1:])
    assert windows[1].end - windows[1].start == timedelta(days=28)  # February 2026
    latest = monitor.window_for(datetime(2026, 3, 15, 8, tzinfo=UTC))
    assert (latest.start, latest.end) == (datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
    # exactly on a boundary: the month that just ended is complete
    on_edge = monitor.window_for(datetime(2026, 3, 1, tzinfo=UTC))
    assert on_edge.start == datetime(2026, 2, 1, tzinfo=UTC)


def test_windows_before_a_boundary_count_calendar_months() -> None:
    monitor = parse_monitor({**BASE, "window": "1mo"})
    before = monitor.windows_before(datetime(2026, 3, 1, tzinfo=UTC), 3)
    expected = pd.date_range("2025-12-01", "2026-03-01", freq="MS", tz="UTC")
    assert [(w.start, w.end) for w in before] == list(zip(expected[:-1], expected[1:], strict=True))
    assert monitor.windows_before(datetime(2026, 3, 1, tzinfo=UTC), 0) == []
    daily = parse_monitor({**BASE, "window": "1d"}).windows_before(datetime(2026, 3, 1, 5, tzinfo=UTC), 2)
    assert [w.start.day for w in daily] == [27, 28]  # the day that started at 00:00 is not complete


def test_yearly_and_quarterly_windows() -> None:
    quarters = parse_monitor({**BASE, "window": "3mo"}).windows(
        datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    )
    assert [w.start.month for w in quarters] == [1, 4, 7, 10]  # quarters from 1970-01: Jan, Apr, Jul, Oct
    years = parse_monitor({**BASE, "window": "1y"}).windows(
        datetime(2024, 6, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert [w.start.year for w in years] == [2025, 2026]
    assert years[0].end == datetime(2026, 1, 1, tzinfo=UTC)


def test_monthly_windows_keep_the_anchors_offset() -> None:
    anchor = "2026-01-01T00:00:00+01:00"  # midnight at UTC+1 (an offset is fixed: no daylight saving)
    windows = parse_monitor({**BASE, "window": "1mo", "window_anchor": anchor}).windows(
        datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    )
    offset = timezone(timedelta(hours=1))
    expected = [datetime(2026, m, 1, tzinfo=offset).astimezone(UTC) for m in (4, 5, 6)]
    assert [w.start for w in windows] == expected[:2]
    assert [w.end for w in windows] == expected[1:]
    assert windows[0].start == datetime(2026, 3, 31, 23, tzinfo=UTC)


def test_weeks_start_on_monday_unless_anchored() -> None:
    weekly = parse_monitor({**BASE, "window": "1w"})
    windows = weekly.windows(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 20, tzinfo=UTC))
    assert {w.start.strftime("%A") for w in windows} == {"Monday"}
    assert windows[0].start == datetime(2026, 1, 5, tzinfo=UTC)
    sunday = parse_monitor({**BASE, "window": "1w", "window_anchor": "2026-01-04"})
    assert {
        w.start.strftime("%A")
        for w in sunday.windows(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    } == {"Sunday"}
    daily = parse_monitor({**BASE, "window": "1d"}).window_for(datetime(2026, 1, 8, 5, tzinfo=UTC))
    assert daily.start == datetime(2026, 1, 7, tzinfo=UTC)


def test_plain_yaml_dates_are_midnight_utc() -> None:
    text = """
name: m
project: p
current: {kind: file, path: "d/{start}.csv"}
reference: {kind: file, path: ref.csv}
reference_window: {start: 2026-01-01, end: 2026-02-01}
window_anchor: 2026-01-05
metrics: [DataDriftPreset]
"""
    data = yaml.safe_load(text)
    assert isinstance(data["reference_window"]["start"], date)  # what YAML gives
    monitor = parse_monitor(data)
    assert monitor.reference_window.start == datetime(2026, 1, 1, tzinfo=UTC)
    assert monitor.reference_window.end == datetime(2026, 2, 1, tzinfo=UTC)
    assert monitor.window_anchor == datetime(2026, 1, 5, tzinfo=UTC)
    with pytest.raises(MonitorConfigError, match="reference_window.start: Input should have timezone info"):
        parse_monitor({**data, "reference_window": {"start": "2026-01-01T06:00:00", "end": "2026-02-01"}})

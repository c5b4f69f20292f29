"""Property-based: a source's time filter on hostile timestamp columns of realistic size (hundreds to
thousands of rows: naive or aware, datetime or text, several time zones, missing values, duplicates, any
order, times around daylight-saving changes).

Either the column is refused with a SourceError naming it (numbers, naive times that do not exist or
repeat in the source's time zone), or consecutive windows split the rows exactly: each row whose time
(computed here with :mod:`zoneinfo`, row by row) lies in a window is in that window once, with its values.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from monitorflow.errors import SourceError
from monitorflow.monitoring.sources.base import SourceConfig, in_window
from monitorflow.monitoring.windows import Window

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
#: Days that hold a daylight-saving change in some of the zones (US and EU spring, US autumn).
AROUND = [datetime(2026, 3, 8), datetime(2026, 3, 29), datetime(2026, 11, 1), datetime(2026, 6, 1)]
FORMS = ["naive", "aware", "naive_text", "offset_text", "numbers"]


def local_to_utc(naive: datetime, zone: str) -> datetime | None:
    """The UTC instant of a naive time in ``zone``; None when the time does not exist there or repeats."""
    tz = ZoneInfo(zone)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():  # in the gap or the repeated hour
        return None
    return first.astimezone(UTC)


@st.composite
def timestamp_frames(draw: st.DrawFn) -> tuple[pd.DataFrame, str, str, list[datetime | None]]:
    """(frame with ``id`` and ``t``, form, source timezone, each row's expected UTC time or None if
    missing)."""
    n = draw(st.sampled_from([100, 400, 1500, 3000])) + draw(st.integers(0, 99))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    base = draw(st.sampled_from(AROUND)) - timedelta(hours=12)
    minutes = rng.integers(0, 36 * 60, n)
    if draw(st.booleans()):
        minutes[rng.integers(0, n, n // 5)] = minutes[0]  # duplicates
    missing = rng.random(n) < draw(st.sampled_from([0.0, 0.0, 0.05, 0.5]))
    form, zone = draw(st.sampled_from(FORMS)), draw(st.sampled_from(ZONES))
    walls = [base + timedelta(minutes=int(m)) for m in minutes]
    if form in ("naive", "naive_text"):
        values: list = [w.isoformat() if form == "naive_text" else w for w in walls]
        expected = [local_to_utc(w, zone) for w in walls]
    elif form in ("aware", "offset_text"):
        instants = [w.replace(tzinfo=UTC) for w in walls]
        shown = ZoneInfo(draw(st.sampled_from(ZONES)))  # aware times in another zone than the source's
        values = [pd.Timestamp(i).tz_convert(shown) for i in instants]
        if form == "offset_text":
            values = [v.isoformat() for v in values]
            offsets = {v[-6:] for v, gone in zip(values, missing, strict=True) if not gone}
            if len(offsets) > 1:  # one offset per column (a mix is refused, see the unit test)
                values = [i.isoformat() for i in instants]
        expected = instants
    else:
        values, expected = list(minutes), [None] * n
    column = pd.Series(values, dtype=object if "text" in form else None)
    if form == "aware":
        column = pd.Series(pd.DatetimeIndex(values))
    column = column.where(~missing, None if "text" in form else pd.NaT) if form != "numbers" else column
    expected = [None if gone else e for e, gone in zip(expected, missing, strict=True)]
    frame = pd.DataFrame({"id": np.arange(n), "t": column, "x": rng.normal(size=n)})
    return frame, form, zone, expected


@settings(max_examples=max(10, settings().max_examples // 2))
@given(case=timestamp_frames(), hours=st.sampled_from([1, 6, 24]))
def test_consecutive_windows_split_the_rows_or_the_column_is_refused(case, hours):
    frame, form, zone, expected = case
    source = SourceConfig(timestamp_column="t", timezone=zone)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    first = min((e for e in expected if e is not None), default=start)
    start = start + timedelta(hours=hours) * ((first - start) // timedelta(hours=hours))
    windows = [
        Window(start=start + k * timedelta(hours=hours), end=start + (k + 1) * timedelta(hours=hours))
        for k in range(48 // hours + 2)
    ]
    refused = form == "numbers" or any(
        e is None and not gone for e, gone in zip(expected, frame["t"].isna(), strict=True)
    )
    event(f"{form}: {'refused' if refused else 'split'}")
    if refused:
        with pytest.raises(SourceError, match="timestamp_column 't' in test"):
            in_window(frame, source, windows[0], "test")
        return
    seen: list[int] = []
    for window in windows:
        got = in_window(frame, source, window, "test")
        want = [i for i, e in enumerate(expected) if e is not None and window.start <= e < window.end]
        assert got["id"].tolist() == want, (window, form, zone)
        pd.testing.assert_frame_equal(got, frame.iloc[want].reset_index(drop=True))
        seen += want
    assert sorted(seen) == [i for i, e in enumerate(expected) if e is not None]  # every timed row, once


@pytest.mark.parametrize(
    ("values", "zone", "says"),
    [
        ([pd.Timestamp("2026-03-08 02:30")], "America/New_York", "2026-03-08 02:30:00"),  # the spring gap
        ([pd.Timestamp("2026-11-01 01:30")], "America/New_York", "2026-11-01 01:30:00"),  # the repeated hour
        (["2026-03-08", "not a time"], "UTC", "not a time"),
        (["2026-03-08T01:00+01:00", "2026-03-08T01:00-05:00"], "UTC", "Mixed"),
        (["2026-03-08T01:00+01:00", "2026-03-08T01:00"], "UTC", "2026-03-08T01:00"),
        ([1767225600, 1767229200], "UTC", "numbers"),
        ([pd.Timestamp("2026-03-08 01:00")], "Mars/Olympus", "Mars/Olympus"),
    ],
)
def test_a_timestamp_column_that_is_no_time_is_refused_naming_it_and_the_value(values, zone, says):
    frame = pd.DataFrame({"t": values})
    window = Window(start=datetime(2026, 3, 8, tzinfo=UTC), end=datetime(2026, 3, 9, tzinfo=UTC))
    with pytest.raises(SourceError) as info:
        in_window(frame, SourceConfig(timestamp_column="t", timezone=zone), window, "day.csv")
    assert "timestamp_column 't' in day.csv" in str(info.value) and says in str(info.value)
    assert info.value.transient is False

"""Time-zone aware timestamps: naive values are the user's local time, stored in UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

import pandas as pd

from monitorflow.errors import InvalidTimestampError

#: Where :func:`utc_now` reads the time (a test may swap in a clock it controls).
clock: Callable[[], datetime] = partial(datetime.now, UTC)


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return clock()


def to_utc(value: object, argument: str = "timestamp") -> datetime:
    """Return ``value`` as an aware UTC datetime; a naive one is read as local time.

    >>> to_utc(datetime(2026, 1, 1, tzinfo=UTC)).isoformat()
    '2026-01-01T00:00:00+00:00'
    """
    if value is pd.NaT:  # NaT subclasses datetime but is no point in time
        raise InvalidTimestampError(value, argument)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if not isinstance(value, datetime):
        raise InvalidTimestampError(value, argument)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.astimezone()  # interpret as the local time zone
    return value.astimezone(UTC)

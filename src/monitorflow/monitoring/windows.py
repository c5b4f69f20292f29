"""Time windows of a monitor: durations as people write them, half-open UTC windows, their alignment.

>>> w = window_ending_before(datetime(2026, 1, 5, 6, tzinfo=UTC), timedelta(days=1), EPOCH, timedelta(0))
>>> (w.start.isoformat(), w.end.isoformat())
('2026-01-04T00:00:00+00:00', '2026-01-05T00:00:00+00:00')
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict

from monitorflow.errors import ConfigurationError
from monitorflow.timeutil import to_utc

_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_SHORT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([wdhms])\s*$")

#: Default alignment of windows: anchor + k * window.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_duration(value: Any) -> Any:
    """``"1d"``, ``"6h"``, ``"30m"``, ``"1w"`` -> timedelta; ISO 8601 (``"P1D"``) and seconds pass on."""
    if isinstance(value, str) and (match := _SHORT.match(value)):
        return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    return value


#: A length of time: ``1d``, ``12h``, ``30m``, ``1w``, ``P1D`` or seconds.
Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def utc(value: datetime) -> datetime:
    """``value`` as an aware datetime in UTC (a naive one is local time)."""
    return to_utc(value).astimezone(UTC)


def window_key(value: datetime) -> str:
    """``2026-01-05`` for midnight, else the ISO time: how a window bound is written in names and paths."""
    return (
        value.date().isoformat()
        if value == value.replace(hour=0, minute=0, second=0, microsecond=0)
        else value.isoformat()
    )


class Window(BaseModel):
    """A half-open time interval [start, end) in UTC."""

    model_config = ConfigDict(frozen=True)

    start: AwareDatetime
    end: AwareDatetime

    @property
    def key(self) -> str:
        """``2026-01-05`` for a day at midnight UTC, else the ISO start."""
        return window_key(self.start)

    def __str__(self) -> str:
        return f"[{window_key(self.start)}, {window_key(self.end)})"


class FixedPeriod(BaseModel):
    """The reference is the source read over one fixed period."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: AwareDatetime
    end: AwareDatetime


class ShiftedWindow(BaseModel):
    """The reference is the source read over the current window moved back by ``shift`` (e.g. 7d)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    shift: Duration


def window_ending_before(as_of: datetime, length: timedelta, anchor: datetime, delay: timedelta) -> Window:
    """The last complete window at logical time ``as_of`` (it ends at or before ``as_of - delay``)."""
    steps = (utc(as_of) - delay - anchor) // length
    end = anchor + steps * length
    return Window(start=utc(end - length), end=utc(end))


def windows_starting_in(start: datetime, end: datetime, length: timedelta, anchor: datetime) -> list[Window]:
    """Every window whose start lies in [start, end); ConfigurationError when there is none."""
    start, end = utc(start), utc(end)
    if end <= start:
        raise ConfigurationError(
            f"end ({end.isoformat()}) must be after start ({start.isoformat()})", argument="end"
        )
    first = -((anchor - start) // length)  # ceil((start - anchor) / length)
    out: list[Window] = []
    at = anchor + first * length
    while at < end:
        out.append(Window(start=utc(at), end=utc(at + length)))
        at += length
    if not out:
        raise ConfigurationError(
            f"no {length} window starts in [{start.isoformat()}, {end.isoformat()}); windows start at "
            f"{anchor.isoformat()} + k * {length}: widen the range",
            argument="start",
        )
    return out

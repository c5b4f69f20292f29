"""Time windows of a monitor: lengths as people write them, half-open UTC windows, their alignment.

A length is a fixed duration (``30s``, ``15m``, ``6h``, ``1d``, ``1w``, ISO 8601 ``PT6H``, or seconds)
or, for a monitor's ``window``, a calendar period (``1mo``, ``3mo``, ``1y``). Windows are aligned to an
anchor: ``anchor + k * length``. Without an anchor, days and hours start at midnight UTC, weeks on
Monday at midnight UTC, months on the 1st and years on 1 January at midnight UTC.

>>> from datetime import UTC, datetime
>>> week = parse_length("1w")
>>> at = datetime(2026, 1, 8, 6, tzinfo=UTC)
>>> w = window_ending_before(at, week, default_anchor(week), parse_length("0s"))
>>> (w.start.date().isoformat(), w.start.strftime("%A"), w.end.date().isoformat())
('2025-12-29', 'Monday', '2026-01-05')
>>> format_length(parse_length("3 months")), format_length(parse_length("PT36H"))
('3mo', '36h')
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from monitorflow.errors import ConfigurationError
from monitorflow.timeutil import to_utc

#: Alignment of windows that are not whole weeks or calendar periods (and of months and years).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Alignment of windows that are whole weeks: a Monday.
MONDAY_EPOCH = datetime(1970, 1, 5, tzinfo=UTC)

_FIXED_UNITS = {
    "seconds": ("s", "sec", "secs", "second", "seconds"),
    "minutes": ("m", "min", "mins", "minute", "minutes"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "days": ("d", "day", "days"),
    "weeks": ("w", "wk", "wks", "week", "weeks"),
}
_CALENDAR_UNITS = {1: ("mo", "mon", "month", "months"), 12: ("y", "yr", "yrs", "year", "years")}
_UNIT = {name: unit for unit, names in _FIXED_UNITS.items() for name in names}
_MONTHS = {name: months for months, names in _CALENDAR_UNITS.items() for name in names}
_WRITTEN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$")

ACCEPTED_FORMS = (
    "a number and a unit (30s, 15m, 6h, 1d, 1w; for window also 1mo, 3mo, 1y; "
    "long names such as '2 days' work too), an ISO 8601 duration (P1D, PT6H) or a number of seconds"
)


@dataclass(frozen=True)
class CalendarPeriod:
    """A whole number of calendar months (a year is 12): windows from the 1st of a month, not 30 days."""

    months: int

    def __str__(self) -> str:
        return f"{self.months // 12}y" if self.months % 12 == 0 else f"{self.months}mo"


#: The length of a monitor's window.
WindowLength = timedelta | CalendarPeriod


def parse_length(value: Any, *, calendar_ok: bool = True) -> WindowLength:
    """A duration or calendar period from what people write; ConfigurationError lists the accepted forms.

    >>> parse_length("90 min"), parse_length(3600), parse_length("1y")
    (datetime.timedelta(seconds=5400), datetime.timedelta(seconds=3600), CalendarPeriod(months=12))
    """
    if isinstance(value, timedelta | CalendarPeriod):
        length: WindowLength = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        length = timedelta(seconds=value)
    elif isinstance(value, str) and (match := _WRITTEN.match(value)):
        length = _from_number_and_unit(value, float(match.group(1)), match.group(2))
    elif isinstance(value, str) and value.strip().upper().startswith("P"):
        length = _from_iso(value.strip())
    else:
        raise ConfigurationError(f"{value!r} is not a duration; write {ACCEPTED_FORMS}", argument="duration")
    if isinstance(length, CalendarPeriod) and not calendar_ok:
        raise ConfigurationError(
            f"{value!r} is a calendar period; only window takes months or years, write a duration such as "
            "30d",
            argument="duration",
        )
    return length


def _from_number_and_unit(text: str, number: float, unit: str) -> WindowLength:
    if unit == "M":
        raise ConfigurationError(
            f"{text!r} is ambiguous: write 1mo for a month or 1m for a minute", argument="duration"
        )
    unit = unit.lower()
    if unit in _UNIT:
        return timedelta(**{_UNIT[unit]: number})
    if unit in _MONTHS:
        if number != int(number):
            raise ConfigurationError(
                f"{text!r}: calendar periods are whole months or years", argument="duration"
            )
        return CalendarPeriod(int(number) * _MONTHS[unit])
    raise ConfigurationError(
        f"{text!r} has an unknown unit {unit!r}; write {ACCEPTED_FORMS}", argument="duration"
    )


_ISO = re.compile(
    r"^P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)


def _from_iso(text: str) -> WindowLength:
    match = _ISO.match(text)
    if not match or text.upper() in ("P", "PT") or text.upper().endswith("T"):
        raise ConfigurationError(f"{text!r} is not a duration; write {ACCEPTED_FORMS}", argument="duration")
    parts = {k: float(v) for k, v in match.groupdict().items() if v is not None}
    months = int(parts.pop("y", 0)) * 12 + int(parts.pop("mo", 0))
    fixed = timedelta(
        weeks=parts.get("w", 0),
        days=parts.get("d", 0),
        hours=parts.get("h", 0),
        minutes=parts.get("mi", 0),
        seconds=parts.get("s", 0),
    )
    if months and fixed:
        raise ConfigurationError(
            f"{text!r} mixes months or years with a fixed duration; write one of them", argument="duration"
        )
    return CalendarPeriod(months) if months else fixed


def format_length(length: WindowLength) -> str:
    """The short form people write: ``1w``, ``1d``, ``36h``, ``90s``, ``1mo``, ``1y``."""
    if isinstance(length, CalendarPeriod):
        return str(length)
    seconds = length.total_seconds()
    for unit, size in (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s" if seconds == int(seconds) else f"{seconds}s"


def iso_length(length: WindowLength) -> str:
    """ISO 8601: ``P1D``, ``PT6H``, ``P1M``, ``P1Y`` (a snapshot's ``batch_size``)."""
    if isinstance(length, CalendarPeriod):
        return f"P{length.months // 12}Y" if length.months % 12 == 0 else f"P{length.months}M"
    seconds = int(length.total_seconds())
    days, rest = divmod(seconds, 86_400)
    return f"P{days}D" if not rest else f"PT{seconds}S"


def _validated(calendar_ok: bool) -> Any:
    def validate(value: Any) -> WindowLength:
        try:
            return parse_length(value, calendar_ok=calendar_ok)
        except ConfigurationError as exc:
            raise ValueError(str(exc)) from None

    return validate


_LENGTH_SCHEMA = {
    "type": "string",
    "pattern": r"^\s*(\d+(\.\d+)?\s*[A-Za-z]+|[Pp][0-9A-Za-z.]+|\d+(\.\d+)?)\s*$",
}

#: A fixed length of time: ``30s``, ``15m``, ``6h``, ``1d``, ``1w``, ``PT6H`` or seconds; shown as ``1d``.
Duration = Annotated[
    timedelta,
    BeforeValidator(_validated(calendar_ok=False)),
    PlainSerializer(format_length, return_type=str, when_used="json"),
    WithJsonSchema({**_LENGTH_SCHEMA, "examples": ["1d", "6h", "30m"]}),
]

#: A window's length: a duration, or a calendar period (``1mo``, ``3mo``, ``1y``); shown as ``1d``.
Length = Annotated[
    WindowLength,
    BeforeValidator(_validated(calendar_ok=True)),
    PlainSerializer(format_length, return_type=str, when_used="json"),
    WithJsonSchema({**_LENGTH_SCHEMA, "examples": ["1d", "1h", "1w", "1mo"]}),
]


def _midnight_utc(value: Any) -> Any:
    """A plain date (YAML ``2026-01-01``) is midnight UTC that day; anything else passes on."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        return datetime.fromisoformat(value.strip()).replace(tzinfo=UTC)
    return value


#: An aware instant; a plain date means midnight UTC that day (a naive date-time is refused).
Instant = Annotated[AwareDatetime, BeforeValidator(_midnight_utc)]


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
    """Read the reference over one fixed period."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: Instant = Field(description="The period's start. A plain date means midnight UTC.")
    end: Instant = Field(description="The period's end (not included). A plain date means midnight UTC.")


class ShiftedWindow(BaseModel):
    """Read the reference over the current window moved back in time."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    shift: Duration = Field(description="How far back the reference window lies, for example 7d.")


def default_anchor(length: WindowLength) -> datetime:
    """Where windows start without an anchor: Monday for whole weeks, else 1970-01-01 (UTC)."""
    if isinstance(length, timedelta) and length % timedelta(weeks=1) == timedelta(0):
        return MONDAY_EPOCH
    return EPOCH


def _add_months(anchor: datetime, months: int) -> datetime:
    """``anchor`` moved by whole calendar months in its own time zone (the day clamped to the month)."""
    year, month = divmod(anchor.month - 1 + months, 12)
    year += anchor.year
    day = min(anchor.day, calendar.monthrange(year, month + 1)[1])
    return anchor.replace(year=year, month=month + 1, day=day)


def _periods_before(instant: datetime, length: WindowLength, anchor: datetime) -> int:
    """The largest k with ``anchor + k * length <= instant``."""
    if isinstance(length, timedelta):
        return (instant - anchor) // length
    local = instant.astimezone(anchor.tzinfo)
    months = (local.year - anchor.year) * 12 + (local.month - anchor.month)
    steps = months // length.months
    while _add_months(anchor, steps * length.months) > instant:
        steps -= 1
    while _add_months(anchor, (steps + 1) * length.months) <= instant:
        steps += 1
    return steps


def _boundary(anchor: datetime, length: WindowLength, k: int) -> datetime:
    if isinstance(length, timedelta):
        return utc(anchor + k * length)
    return utc(_add_months(anchor, k * length.months))


def window_ending_before(as_of: datetime, length: WindowLength, anchor: datetime, delay: timedelta) -> Window:
    """The last complete window at logical time ``as_of`` (it ends at or before ``as_of - delay``)."""
    k = _periods_before(utc(as_of) - delay, length, anchor)
    return Window(start=_boundary(anchor, length, k - 1), end=_boundary(anchor, length, k))


def windows_before(end: datetime, count: int, length: WindowLength, anchor: datetime) -> list[Window]:
    """The ``count`` windows that end at or before ``end``, oldest first (calendar windows too)."""
    k = _periods_before(utc(end), length, anchor)
    return [
        Window(start=_boundary(anchor, length, i), end=_boundary(anchor, length, i + 1))
        for i in range(k - count, k)
    ]


def windows_starting_in(
    start: datetime, end: datetime, length: WindowLength, anchor: datetime
) -> list[Window]:
    """Every window whose start lies in [start, end); ConfigurationError when there is none."""
    start, end = utc(start), utc(end)
    if end <= start:
        raise ConfigurationError(
            f"end ({end.isoformat()}) must be after start ({start.isoformat()})", argument="end"
        )
    k = _periods_before(start, length, anchor)
    if _boundary(anchor, length, k) < start:
        k += 1
    out: list[Window] = []
    while (at := _boundary(anchor, length, k)) < end:
        out.append(Window(start=at, end=_boundary(anchor, length, k + 1)))
        k += 1
    if not out:
        raise ConfigurationError(
            f"no {format_length(length)} window starts in [{start.isoformat()}, {end.isoformat()}); windows "
            f"start at {anchor.isoformat()} + k * {format_length(length)}: widen the range",
            argument="start",
        )
    return out

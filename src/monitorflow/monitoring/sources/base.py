"""What every source shares: row filters and the window's time filter, applied after reading."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from monitorflow.errors import SourceError
from monitorflow.monitoring.windows import Window


class SourceConfig(BaseModel):
    """Base of every source: ``read`` gives the rows of a window, ``describe`` says where they come from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    filters: dict[str, Any] = Field(
        {},
        description="Keep only rows whose column has this value (or one of a list of values), "
        "for example model_version: v2.",
    )
    timestamp_column: str | None = Field(
        None, description="The column with each row's time. Rows outside the window are dropped."
    )
    timezone: str = Field("UTC", description="The time zone of times written without one.")

    def read(self, window: Window | None, workspace: str) -> pd.DataFrame:
        """The rows this source gives for ``window`` (None: the whole source), before filtering."""
        raise NotImplementedError

    def describe(self) -> str:
        """Where the source reads from (passwords hidden), for messages."""
        raise NotImplementedError

    def reads_lazily(self) -> bool:
        """Whether runs read this source lazily (:meth:`lazy`) instead of loading a DataFrame."""
        return False

    def lazy(self, window: Window | None, workspace: str = "workspace", **filters: Any) -> Any:
        """A lazy source (``monitorflow.scale``) of the window's rows, with ``filters`` (a segment's
        value) pushed down; None for a source read into pandas."""
        return None


#: Key of ``DataFrame.attrs`` saying why a window read rows but kept none (for the skipped outcome).
EMPTY_BECAUSE = "monitorflow_empty_because"


def in_window(frame: pd.DataFrame, source: SourceConfig, window: Window, where: str) -> pd.DataFrame:
    """Rows whose ``timestamp_column`` lies in [start, end); naive times are in ``source.timezone``."""
    column = source.timestamp_column
    if column not in frame.columns:
        raise SourceError(
            f"timestamp_column {column!r} is not in {where}; available columns: {list(frame.columns)[:20]}",
            where,
            transient=False,
        )
    times = utc_times(frame[column], source.timezone, f"timestamp_column {column!r} in {where}", where)
    kept = frame.loc[(times >= window.start) & (times < window.end)].reset_index(drop=True)
    if kept.empty and len(frame):
        naive = " (naive times read in " + repr(source.timezone) + ": set the source's timezone if not)"
        kept.attrs[EMPTY_BECAUSE] = (
            f"none of the {len(frame)} rows read from {where} has its {column!r} in the window: they run "
            f"from {times.min().isoformat()} to {times.max().isoformat()}"
            + (naive if frame[column].dtype.kind == "M" else "")  # datetime64 without a zone
        )
    return kept


def utc_times(values: pd.Series, timezone: str, what: str, where: str) -> pd.Series:
    """``values`` as UTC times (missing ones NaT); naive times are in ``timezone``. Numbers, text that is
    no time, a mix of offsets and naive times that do not exist or repeat there raise SourceError."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_datetime64_any_dtype(values):
        raise SourceError(
            f"{what} holds numbers ({values.dtype}), not times; convert them first, e.g. "
            "pd.to_datetime(seconds, unit='s', utc=True)",
            where,
            transient=False,
        )
    try:
        times = pd.to_datetime(values, utc=False)
        if times.dt.tz is None:
            times = times.dt.tz_localize(timezone)
        return times.dt.tz_convert("UTC")
    except (ValueError, TypeError, OverflowError, KeyError) as exc:  # KeyError: an unknown time zone
        reason = " ".join(str(exc).split())[:300]
        raise SourceError(
            f"{what} cannot be read as times ({reason}); write ISO 8601 times with an offset "
            "(2026-01-05T06:00:00+00:00), or naive times that exist in the source's timezone "
            f"({timezone!r}; not in its daylight-saving gap or repeated hour)",
            where,
            transient=False,
        ) from exc


def filtered(frame: pd.DataFrame, filters: dict[str, Any], where: str) -> pd.DataFrame:
    """Rows matching every filter (a value, or any of a list of values)."""
    for column, value in filters.items():
        if column not in frame.columns:
            raise SourceError(
                f"filter column {column!r} is not in {where}; available columns: {list(frame.columns)[:20]}",
                where,
                transient=False,
            )
        keep = frame[column].isin(value) if isinstance(value, list) else frame[column] == value
        if len(frame) and not keep.any():
            present = sorted(map(str, frame[column].dropna().unique()))
            frame = frame.loc[keep].reset_index(drop=True)
            frame.attrs[EMPTY_BECAUSE] = (
                f"filter {column}: {value!r} kept none of the window's rows; {column} there: {present[:20]}"
            )
            return frame
        frame = frame.loc[keep]
    return frame.reset_index(drop=True)

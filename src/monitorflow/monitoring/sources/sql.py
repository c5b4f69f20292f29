"""A SQL query through SQLAlchemy, with the window bound as parameters (never formatted into the SQL).

How the bounds are bound depends on the type of the time column the query compares them with
(``bind_as``), so that no row on a boundary is lost:

- ``datetime``: aware datetimes, for ``timestamp with time zone`` columns.
- ``naive_utc``: UTC datetimes without a zone, for ``timestamp`` columns that hold UTC.
- ``date``: dates, for ``date`` columns (windows of whole days).
- ``text``: text that sorts at or below every ISO 8601 form of the bound: ``2026-01-05`` at
  midnight, else ``2026-01-05 06:00:00`` for the start (a space sorts before ``T``) and
  ``2026-01-05T06:00:00`` for the end (``T`` sorts after a space). Times written with a space or a
  ``T``, with or without fractions or a zone suffix, all fall on the right side; rows read beyond a
  bound are dropped by ``timestamp_column``, which ``text`` therefore needs. Text is in ``timezone``.
- ``epoch``: Unix seconds.
- ``auto`` (the default): ``text`` on SQLite (which keeps times as text), ``datetime`` elsewhere.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pandas as pd
from pydantic import Field, model_validator

from monitorflow.errors import MissingDependencyError, SourceError
from monitorflow.monitoring.sources.base import SourceConfig
from monitorflow.monitoring.windows import Window


class SQLSource(SourceConfig):
    """A SQL query. The window's bounds are passed as the query parameters :start and :end."""

    kind: Literal["sql"] = Field("sql", description="The kind of source.")
    url: str = Field(
        min_length=1,
        description="The database URL, for example sqlite:///data.db or postgresql+psycopg://...",
    )
    query: str = Field(
        min_length=1, description="The query. Use :start and :end where the window's bounds belong."
    )
    params: dict[str, Any] = Field({}, description="Other parameters of the query.")
    start_param: str = Field("start", description="The parameter name of the window's start.")
    end_param: str = Field("end", description="The parameter name of the window's end.")
    bind_as: Literal["auto", "datetime", "naive_utc", "date", "text", "iso", "epoch"] = Field(
        "auto",
        description="How the bounds are passed, by the type of the time column: datetime (with time zone), "
        "naive_utc (timestamp holding UTC), date, text, or epoch (Unix seconds). auto: text on SQLite, "
        "datetime elsewhere.",
    )
    pushdown: bool = Field(
        False,
        description="Evaluate in the database (PostgreSQL, DuckDB): profiles by SQL aggregates, sorted "
        "columns streamed; the window's rows are never loaded into pandas.",
    )
    order_by: list[str] = Field(
        [],
        description="With pushdown: columns giving the rows a unique order, so equally frequent values are "
        "ordered by first appearance as pandas does (without: by value).",
    )

    @model_validator(mode="after")
    def _text_needs_the_column(self) -> SQLSource:
        if self.bind_as in ("text", "iso") and not self.timestamp_column:
            raise ValueError(
                f"bind_as: {self.bind_as} reads a little beyond the window's bounds; set timestamp_column "
                "(the column the query compares) so that those rows are dropped after reading"
            )
        return self

    @model_validator(mode="after")
    def _pushdown_where_tested(self) -> SQLSource:
        if self.pushdown:
            backend = _sqlalchemy().make_url(self.url).get_backend_name()
            if backend not in ("postgresql", "duckdb"):
                raise ValueError(
                    f"pushdown evaluates in PostgreSQL or DuckDB, not {backend}; set pushdown: false to "
                    "read the rows"
                )
        return self

    def reads_lazily(self) -> bool:
        return self.pushdown

    def uses_window(self) -> bool:
        return all(re.search(rf":{p}\b", self.query) for p in (self.start_param, self.end_param))

    def describe(self) -> str:
        try:
            return _sqlalchemy().make_url(self.url).render_as_string(hide_password=True)
        except Exception:
            return "<sql>"

    def binding(self) -> str:
        """``bind_as`` with ``auto`` resolved from the database kind."""
        if self.bind_as == "iso":  # the former name of text
            return "text"
        if self.bind_as != "auto":
            return self.bind_as
        backend = _sqlalchemy().make_url(self.url).get_backend_name()
        return "text" if backend == "sqlite" and self.timestamp_column else "datetime"

    def bounds(self, window: Window | None) -> tuple[Any, Any]:
        """The window's start and end as the query's parameters (None and None without a window)."""
        if window is None:
            return None, None
        mode = self.binding()
        if mode == "naive_utc":
            return window.start.astimezone(UTC).replace(tzinfo=None), window.end.astimezone(UTC).replace(
                tzinfo=None
            )
        if mode == "epoch":
            return window.start.timestamp(), window.end.timestamp()
        if mode == "date":
            return _day_at_or_after(window.start, self.timezone), _day_at_or_after(window.end, self.timezone)
        if mode == "text":
            zone = ZoneInfo(self.timezone)
            return _text_bound(window.start.astimezone(zone), " "), _text_bound(
                window.end.astimezone(zone), "T"
            )
        return window.start, window.end

    def lazy(self, window: Window | None, workspace: str = "workspace", **filters: Any) -> Any:
        if not self.pushdown:
            return None
        from monitorflow.scale.sql import SQLTableSource  # lazy: scale layer, lazy sources only

        params = {
            **self.params,
            **dict(zip((self.start_param, self.end_param), self.bounds(window), strict=True)),
        }
        bounds = window if window and self.timestamp_column else None
        return SQLTableSource(
            self.url,
            query=self.query,
            params=params,
            time_column=self.timestamp_column if bounds is not None else None,
            filters={**self.filters, **filters},
            order_by=self.order_by or None,
            start=bounds.start if bounds is not None else None,
            end=bounds.end if bounds is not None else None,
        )

    def read(self, window: Window | None, workspace: str) -> pd.DataFrame:
        sqlalchemy = _sqlalchemy()
        try:
            shown = sqlalchemy.make_url(self.url).render_as_string(hide_password=True)
        except sqlalchemy.exc.ArgumentError as exc:
            raise SourceError(
                f"invalid SQLAlchemy URL {self.url!r}: {exc}", self.url, transient=False
            ) from None
        params = {
            **self.params,
            **dict(zip((self.start_param, self.end_param), self.bounds(window), strict=True)),
        }
        try:
            engine = sqlalchemy.create_engine(self.url)
        except (sqlalchemy.exc.SQLAlchemyError, ImportError) as exc:
            raise SourceError(f"cannot open {shown}: {exc}", shown, transient=False) from exc
        try:
            with engine.connect() as conn:
                return pd.read_sql_query(sqlalchemy.text(self.query), conn, params=params)
        except (sqlalchemy.exc.SQLAlchemyError, pd.errors.DatabaseError) as exc:
            cause = exc.__cause__ if isinstance(exc, pd.errors.DatabaseError) and exc.__cause__ else exc
            detail = " ".join(str(getattr(cause, "orig", None) or cause).split("\n")[0].split())
            raise SourceError(f"query on {shown} failed: {detail}", shown) from exc
        finally:
            engine.dispose()


def _sqlalchemy() -> Any:
    try:
        import sqlalchemy  # lazy: optional extra, and slow to import
    except ImportError:  # pragma: no cover - SQLAlchemy comes with the sql extra
        raise MissingDependencyError("sqlalchemy", "sql") from None
    return sqlalchemy


def _text_bound(at: datetime, separator: str) -> str:
    """``2026-01-05`` at midnight; else the time with ``separator`` between date and time."""
    if at == at.replace(hour=0, minute=0, second=0, microsecond=0):
        return at.date().isoformat()
    return at.replace(tzinfo=None).isoformat(sep=separator)


def _day_at_or_after(at: datetime, zone: str) -> date:
    """The first date whose midnight (in ``zone``) is at or after ``at``."""
    local = at.astimezone(ZoneInfo(zone))
    day = local.date()
    return (
        day if local == local.replace(hour=0, minute=0, second=0, microsecond=0) else day + timedelta(days=1)
    )

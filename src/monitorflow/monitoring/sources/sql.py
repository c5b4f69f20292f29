"""A SQL query through SQLAlchemy, with the window bound as parameters (never formatted into the SQL)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal

import pandas as pd
from pydantic import Field

from monitorflow.errors import MissingDependencyError, SourceError
from monitorflow.monitoring.sources.base import SourceConfig
from monitorflow.monitoring.windows import Window


class SQLSource(SourceConfig):
    """A SQL query through SQLAlchemy; the window is bound as parameters ``:start`` and ``:end``
    (never formatted into the SQL text)."""

    kind: Literal["sql"] = "sql"
    url: str = Field(min_length=1, description="SQLAlchemy URL, e.g. sqlite:///data.db")
    query: str = Field(min_length=1)
    #: Other bound parameters of the query.
    params: dict[str, Any] = {}
    start_param: str = "start"
    end_param: str = "end"
    #: How the window bounds are bound: aware datetimes, naive UTC datetimes, ISO strings or Unix seconds.
    bind_as: Literal["datetime", "naive_utc", "iso", "epoch"] = "datetime"

    def uses_window(self) -> bool:
        return all(re.search(rf":{p}\b", self.query) for p in (self.start_param, self.end_param))

    def describe(self) -> str:
        try:
            return _sqlalchemy().make_url(self.url).render_as_string(hide_password=True)
        except Exception:
            return "<sql>"

    def bind(self, value: datetime | None) -> Any:
        """A window bound as the query expects it (``bind_as``)."""
        if value is None:
            return None
        if self.bind_as == "naive_utc":
            return value.astimezone(UTC).replace(tzinfo=None)
        if self.bind_as == "iso":
            return value.isoformat()
        if self.bind_as == "epoch":
            return value.timestamp()
        return value

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
            self.start_param: self.bind(window.start if window else None),
            self.end_param: self.bind(window.end if window else None),
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
        import sqlalchemy  # deferred: optional extra, and slow to import
    except ImportError:  # pragma: no cover - SQLAlchemy comes with the sql extra
        raise MissingDependencyError("sqlalchemy", "sql") from None
    return sqlalchemy

"""A SQL table or query as a lazy source whose profile is computed inside the database.

:class:`SQLTableSource` is a :class:`~monitorflow.scale.source.LazySource` over a table or a
``SELECT`` reached through SQLAlchemy, with the window's time filter and equality filters (a
segment's value) in its ``WHERE`` clause. Besides partitions of rows it has the optional
capabilities of the engine's interface (``docs/scale.md``), so a warehouse table is never pulled:

- ``profile(kinds)``: row, null, NaN and infinity counts, finite min/max, moments (two passes:
  ``AVG``, then sums of deviations from it), exact value counts (``GROUP BY``), as the same
  :class:`~monitorflow.scale.profile.ColumnProfile` the engine computes from rows;
- ``histograms(edges)``: counts on fixed edges with numpy's semantics (last bin closed), one scan;
- ``sorted_values(column)``: the column's finite values in ascending order, streamed in chunks
  (``ORDER BY``), which also answers rank and count questions (see :mod:`monitorflow.scale.sql_sorted`).

Tested on PostgreSQL and DuckDB (``pip install 'monitorflow[duckdb]'``: ``duckdb:///file.db``, or
``duckdb:///:memory:`` with ``query="SELECT * FROM read_parquet('data/*.parquet')"``).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from monitorflow.errors import MissingDependencyError, SourceError
from monitorflow.scale.parquet_source import as_column_time
from monitorflow.scale.profile import FixedHistogram, Kind
from monitorflow.scale.side_profile import SideProfile
from monitorflow.scale.sql_dialect import Dialect, arrow_type, dialect_of, type_name
from monitorflow.scale.sql_profile import histograms, profile_side
from monitorflow.scale.sql_sorted import SQLSortedValues
from monitorflow.timeutil import to_utc

#: Rows fetched per round trip when streaming.
CHUNK_ROWS = 262_144

_ENGINES: dict[str, Any] = {}
_ENGINES_LOCK = threading.Lock()


def _sqlalchemy() -> Any:
    try:
        import sqlalchemy  # lazy: optional extra, and slow to import
    except ImportError:
        raise MissingDependencyError("sqlalchemy", "sql") from None
    return sqlalchemy


def engine_for(url: str) -> Any:
    """One SQLAlchemy engine per URL and process (partitions carry the URL to Dask workers)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            sqlalchemy = _sqlalchemy()
            try:
                engine = sqlalchemy.create_engine(url)
            except (sqlalchemy.exc.SQLAlchemyError, ImportError) as exc:
                shown = sqlalchemy.make_url(url).render_as_string(hide_password=True)
                if isinstance(exc, ImportError) or "duckdb" in url.split(":", 1)[0]:
                    raise MissingDependencyError("duckdb-engine", "duckdb") from exc
                raise SourceError(f"cannot open {shown}: {exc}", shown, transient=False) from exc
            _ENGINES[url] = engine
        return engine


@dataclass(frozen=True)
class Query:
    """SQL text with ``:name`` parameters and their values; run on a URL, by its process's engine."""

    url: str = field(repr=False)
    where: str

    def rows(self, sql: str, params: dict[str, Any]) -> list[tuple]:
        with self._connection() as conn:
            return [tuple(r) for r in conn.execute(_sqlalchemy().text(sql), params)]

    def stream(self, sql: str, params: dict[str, Any], chunk: int = CHUNK_ROWS) -> Iterator[list[tuple]]:
        """Rows in chunks, through a server-side cursor where the driver has one."""
        with self._connection() as conn:
            result = conn.execution_options(stream_results=True, yield_per=chunk).execute(
                _sqlalchemy().text(sql), params
            )
            for part in result.partitions(chunk):
                yield [tuple(r) for r in part]

    def columns(
        self, sql: str, params: dict[str, Any], chunk: int = CHUNK_ROWS
    ) -> Iterator[list[np.ndarray]]:
        """The result's columns as numpy arrays, in chunks: DuckDB hands Arrow batches over without
        a Python object per value; other drivers go through rows."""
        if not self.url.startswith("duckdb"):
            for rows in self.stream(sql, params, chunk):
                if rows:
                    yield [np.array(column) for column in zip(*rows, strict=True)]
            return
        sqlalchemy = _sqlalchemy()
        with self._connection() as conn:
            compiled = sqlalchemy.text(sql).bindparams(**params).compile(dialect=conn.dialect)
            values = [compiled.params[name] for name in compiled.positiontup or []]
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # "an extra copy": one batch at a time
                    reader = conn.connection.driver_connection.execute(
                        compiled.string, values
                    ).to_arrow_reader(chunk)
                for batch in reader:
                    if batch.num_rows:
                        yield [column.to_numpy(zero_copy_only=False) for column in batch.columns]
            except Exception as exc:  # duckdb's own errors, as SQLAlchemy would wrap them
                raise _source_error(self.where, exc) from exc

    def description(self, sql: str, params: dict[str, Any]) -> list[tuple[str, str]]:
        """(name, SQL type) of each column of the result."""
        with self._connection() as conn:
            result = conn.execute(_sqlalchemy().text(sql), params)
            cursor = result.cursor
            described = [(d[0], type_name(d[1], d)) for d in cursor.description]
            result.close()
            return described

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        """A connection; SQLAlchemy errors become :class:`SourceError` naming the source."""
        sqlalchemy = _sqlalchemy()
        try:
            with engine_for(self.url).connect() as conn:
                yield conn
        except sqlalchemy.exc.SQLAlchemyError as exc:
            raise _source_error(self.where, exc) from exc


def _source_error(where: str, exc: Exception) -> SourceError:
    detail = " ".join(str(getattr(exc, "orig", None) or exc).split("\n")[0].split())
    return SourceError(f"query on {where} failed: {detail}", where)


# ----------------------------------------------------------------------------------- partitions


@dataclass(frozen=True)
class SQLPartition:
    """Rows ``[row_offset, row_offset + rows)`` of a source in its ``order_by`` order (picklable)."""

    query: Query = field(repr=False)
    relation: str = field(repr=False)
    params: dict[str, Any] = field(repr=False)
    schema: pa.Schema = field(repr=False)
    quoted: dict[str, str] = field(repr=False)
    order_by: str | None
    rows: int
    row_offset: int
    name: str

    def read(self, columns: Sequence[str]) -> pa.Table:
        listed = ", ".join(self.quoted[c] for c in columns) or "1"
        sql = f"SELECT {listed} FROM {self.relation} AS mf_rows"
        if self.order_by is not None:
            sql += f" ORDER BY {self.order_by} LIMIT {self.rows} OFFSET {self.row_offset}"
        rows = self.query.rows(sql, self.params)
        arrays = []
        for i, column in enumerate(columns):
            kind = self.schema.field(column).type
            values = [r[i] for r in rows]
            if pa.types.is_floating(kind):
                values = [None if v is None else float(v) for v in values]
            try:
                arrays.append(pa.array(values, type=kind))
            except (pa.ArrowException, TypeError, ValueError) as exc:
                raise SourceError(
                    f"{self.name}: column {column!r} holds values that are not {kind}: {exc}", self.name
                ) from exc
        if not columns:
            return pa.table({"_": pa.nulls(len(rows))}).select([])
        return pa.Table.from_arrays(arrays, names=list(columns))


# --------------------------------------------------------------------------------------- source


class SQLTableSource:
    """A table or ``SELECT`` read through SQLAlchemy, profiled inside the database.

    ``url``: a SQLAlchemy URL (``postgresql+psycopg://...``, ``duckdb:///file.db``). Give ``table``
    (``"schema.name"``) or ``query`` (bound ``params`` allowed). ``time_column`` with ``start``/``end``
    keeps ``start <= time < end``; ``filters`` keep rows whose column equals a value (or one of a
    list). ``order_by`` (columns with a unique order) defines the row order: partitions of
    ``rows_per_partition`` rows, and ties between equally frequent values ordered by first
    appearance as pandas does; without it rows have no order in SQL, so there is one partition and
    ties are ordered by value. Columns keep the type the database declares (``pd.read_sql`` would
    guess from the values: an all-NULL float column as object), decimals read as float64.
    """

    def __init__(
        self,
        url: str | Any,
        *,
        table: str | None = None,
        query: str | None = None,
        params: dict[str, Any] | None = None,
        time_column: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        filters: dict[str, Any] | None = None,
        order_by: Sequence[str] | str | None = None,
        rows_per_partition: int = 1_000_000,
        chunk_rows: int = CHUNK_ROWS,
    ) -> None:
        sqlalchemy = _sqlalchemy()
        if (table is None) == (query is None):
            raise SourceError("give a table or a query (not both)", str(table or query), transient=False)
        parsed = sqlalchemy.make_url(url.url if hasattr(url, "url") else url)
        self.url = parsed.render_as_string(hide_password=False)
        shown = parsed.render_as_string(hide_password=True)
        self.name = f"{shown} {table}" if table is not None else f"{shown} (query)"
        if (start is not None or end is not None) and time_column is None:
            raise SourceError(
                "start/end filter rows by time: also pass time_column", self.name, transient=False
            )
        self.table, self.query_text = table, query
        self.params = dict(params or {})
        self.time_column = time_column
        self.start = None if start is None else to_utc(start)
        self.end = None if end is None else to_utc(end)
        self.filters = dict(filters or {})
        self.order_by = [order_by] if isinstance(order_by, str) else list(order_by or [])
        self.rows_per_partition = max(1, int(rows_per_partition))
        self.chunk_rows = max(1, int(chunk_rows))
        self.dialect: Dialect = dialect_of(parsed.get_backend_name(), self.name)
        self.query = Query(self.url, self.name)
        self._schema: pa.Schema | None = None
        self._rows: int | None = None
        self._profiles: dict[tuple, SideProfile] = {}

    def __repr__(self) -> str:
        return f"SQLTableSource({self.name!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_profiles": {}}

    def where(self, **filters: Any) -> SQLTableSource:
        """The same source with more equality filters (e.g. one segment's value)."""
        clone = object.__new__(SQLTableSource)
        clone.__dict__.update(self.__getstate__())
        clone.filters = {**self.filters, **filters}
        clone._rows = None
        return clone

    # ------------------------------------------------------------------------------ relation

    def quote(self, name: str) -> str:
        return engine_for(self.url).dialect.identifier_preparer.quote(name)

    def _base(self) -> str:
        if self.table is not None:
            return ".".join(self.quote(part) for part in self.table.split("."))
        return f"({self.query_text}) AS mf_query"

    def relation(self) -> tuple[str, dict[str, Any]]:
        """``(SELECT * FROM ... WHERE <window and filters>)`` and its parameters."""
        params = dict(self.params)
        conditions = []
        if self.time_column is not None:
            kind = self.schema().field(self.time_column).type
            for bound, op, key in ((self.start, ">=", "mf_start"), (self.end, "<", "mf_end")):
                if bound is not None:
                    conditions.append(f"{self.quote(self.time_column)} {op} :{key}")
                    params[key] = as_column_time(bound, kind)
        for i, (column, value) in enumerate(sorted(self.filters.items())):
            values = value if isinstance(value, list | tuple) else [value]
            names = [f"mf_f{i}_{j}" for j in range(len(values))]
            params.update(zip(names, values, strict=True))
            listed = ", ".join(f":{n}" for n in names)
            conditions.append(f"{self.quote(column)} IN ({listed})")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return f"(SELECT * FROM {self._base()}{where})", params

    def schema(self) -> pa.Schema:
        if self._schema is None:
            base_params = dict(self.params)
            described = self.query.description(f"SELECT * FROM {self._base()} LIMIT 0", base_params)
            self._schema = pa.schema([pa.field(name, arrow_type(kind)) for name, kind in described])
            for column in [self.time_column, *self.filters, *self.order_by]:
                if column is not None and column not in self._schema.names:
                    raise SourceError(
                        f"{self.name} has no column {column!r}; columns: {self._schema.names[:20]}",
                        self.name,
                        transient=False,
                    )
        return self._schema

    def selected(self, column: str) -> str:
        """The column as the profile reads it (decimals as doubles)."""
        kind = self.schema().field(column).type
        quoted = self.quote(column)
        if pa.types.is_floating(kind):
            return self.dialect.as_double(quoted, kind)
        return quoted

    def rows(self) -> int:
        """Rows in the source (window and filters applied)."""
        if self._rows is None:
            relation, params = self.relation()
            self._rows = int(self.query.rows(f"SELECT COUNT(*) FROM {relation} AS mf_count", params)[0][0])
        return self._rows

    def partitions(self) -> list[SQLPartition]:
        schema = self.schema()
        relation, params = self.relation()
        quoted = {c: self.selected(c) + f" AS {self.quote(c)}" for c in schema.names}
        total = self.rows()
        if not self.order_by:
            return [SQLPartition(self.query, relation, params, schema, quoted, None, total, 0, self.name)]
        order = ", ".join(self.quote(c) for c in self.order_by)
        step = self.rows_per_partition
        return [
            SQLPartition(
                self.query,
                relation,
                params,
                schema,
                quoted,
                order,
                min(step, total - start),
                start,
                f"{self.name} rows {start}-{min(start + step, total) - 1}",
            )
            for start in range(0, total, step)
        ]

    # ---------------------------------------------------------------------------- push-down

    def profile(self, kinds: dict[str, Kind], coercions: dict[str, str] | None = None) -> SideProfile:
        """Pass A computed by the database (see the module docstring): every column's profile, rows,
        empty rows and default missing values; ``coercions`` (declared types) must match the
        database's types, a conversion is refused."""

        key = (tuple(sorted(kinds.items())), tuple(sorted((coercions or {}).items())))
        if key not in self._profiles:
            self._profiles[key] = profile_side(self, kinds, coercions or {})
        return self._profiles[key]

    def histograms(self, edges: dict[str, np.ndarray]) -> dict[str, FixedHistogram]:
        """Counts of each column's finite values on its edges (numpy's bins), in one scan."""

        return histograms(self, edges)

    def sorted_values(self, column: str) -> Any:
        """The column's finite values in ascending order (iterable in chunks; see ``sql_sorted``)."""

        return SQLSortedValues(self, column)

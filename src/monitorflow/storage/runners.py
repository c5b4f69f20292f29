"""Run the index's portable SQL on a database: stdlib ``sqlite3`` or SQLAlchemy 2 (SQLite, PostgreSQL).

The index (``index.py``) writes one SQL text with ``:name`` parameters that SQLite and PostgreSQL
both accept; a runner executes it inside a transaction and retries transient failures
("database is locked", deadlocks, serialization failures). Driver errors become ``StorageError``.

>>> runner = SqliteRunner(":memory:")
>>> runner.read(lambda tx: tx.fetchall("SELECT 1 + :x", {"x": 1}))
[(2,)]
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from monitorflow.errors import ConfigurationError, MissingDependencyError, StorageError

T = TypeVar("T")

#: How long a writer waits for a busy database in total before giving up (seconds).
LOCK_TIMEOUT_S = 60.0
_BUSY_TIMEOUT_MS = 15_000
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
_PARAM = re.compile(r":(\w+)")
_MAX_PARAMS = 30_000  # below PostgreSQL's 65535 and SQLite's 32766 bind parameters per statement
#: Page cache of each SQLite connection (one per thread), in MB, unless ``$MONITORFLOW_SQLITE_CACHE_MB``
#: or ``SqliteRunner(cache_mb=...)`` says otherwise. The OS caches the file anyway: a small cache per
#: connection keeps a multi-threaded service's memory bounded (threads x this), not per-snapshot.
SQLITE_CACHE_MB = 8.0
CACHE_ENV = "MONITORFLOW_SQLITE_CACHE_MB"


def sqlite_cache_mb(value: float | None = None) -> float:
    """The page cache size per connection: ``value``, else ``$MONITORFLOW_SQLITE_CACHE_MB``, else 8 MB."""
    if value is None:
        text = os.environ.get(CACHE_ENV, "").strip()
        try:
            value = float(text) if text else SQLITE_CACHE_MB
        except ValueError:
            raise ConfigurationError(
                f"${CACHE_ENV} must be a number of MB, e.g. 8; got {text!r}", argument="cache_mb"
            ) from None
    if not value >= 0:
        raise ConfigurationError(f"the SQLite cache size must be >= 0 MB, got {value}", argument="cache_mb")
    return value


def _cache_pragma(mb: float) -> str:
    return f"PRAGMA cache_size = -{max(64, int(mb * 1024))}"  # negative: KiB (at least 64 KiB)


class Tx(Protocol):
    """One open transaction."""

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> int: ...
    def executemany(self, sql: str, rows: Sequence[dict[str, Any]]) -> None: ...
    def fetchall(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]: ...


class Runner(Protocol):
    """Runs a function in a read or write transaction; ``dialect`` is "sqlite" or "postgresql"."""

    dialect: str
    description: str

    def write(self, fn: Callable[[Tx], T], durable: bool = False) -> T: ...
    def read(self, fn: Callable[[Tx], T]) -> T: ...
    def close(self) -> None: ...


def _retrying(fn: Callable[[], T], transient: Callable[[BaseException], bool], what: str) -> T:
    deadline = time.monotonic() + LOCK_TIMEOUT_S
    delay = 0.005
    while True:
        try:
            return fn()
        except Exception as exc:
            if not transient(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


# ------------------------------------------------------------------------------------ sqlite3


class _SqliteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> int:
        return self._conn.execute(sql, params or {}).rowcount

    def executemany(self, sql: str, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self._conn.executemany(sql, rows)

    def fetchall(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params or {}).fetchall()


def _sqlite_transient(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class SqliteRunner:
    """The embedded index: one SQLite file in WAL mode, one connection per thread and process."""

    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike[str], cache_mb: float | None = None) -> None:
        self.path = os.fspath(path)
        self.description = f"SQLite index {self.path}"
        self.cache_mb = sqlite_cache_mb(cache_mb)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._memory: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self.path == ":memory:":  # one shared connection (tests, doctests)
            if self._memory is None:
                self._memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            return self._memory
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        _retrying(lambda: conn.execute("PRAGMA journal_mode = WAL"), _sqlite_transient, "WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(_cache_pragma(self.cache_mb))
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[_SqliteTx]:
        conn = self._connect()
        conn.execute(begin)
        try:
            yield _SqliteTx(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _run(self, fn: Callable[[Tx], T], begin: str) -> T:
        def attempt() -> T:
            with self._transaction(begin) as tx:
                return fn(tx)

        try:
            return _retrying(attempt, _sqlite_transient, self.description)
        except sqlite3.Error as exc:
            raise StorageError(f"{self.description} failed: {exc}") from exc

    def write(self, fn: Callable[[Tx], T], durable: bool = False) -> T:
        """A write transaction; ``durable``: its commit reaches the disk (WAL fsync) before returning
        (the index otherwise runs ``synchronous = NORMAL``: rebuildable, so speed first)."""
        if not durable:
            return self._run(fn, "BEGIN IMMEDIATE")
        conn = self._connect()
        conn.execute("PRAGMA synchronous = FULL")
        try:
            return self._run(fn, "BEGIN IMMEDIATE")
        finally:
            conn.execute("PRAGMA synchronous = NORMAL")

    def read(self, fn: Callable[[Tx], T]) -> T:
        return self._run(fn, "BEGIN")

    def discard(self) -> str | None:
        """Move a damaged index file (and its -wal, -shm) aside; returns where, or None (in memory)."""
        self.close()
        if self.path == ":memory:":
            return None
        aside = f"{self.path}.damaged-{int(time.time())}"
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.replace(self.path + suffix, aside + suffix)
        return aside

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            conn.close()
        self._local = threading.local()
        if self._memory is not None:
            self._memory.close()
            self._memory = None


# --------------------------------------------------------------------------------- SQLAlchemy


def import_sqlalchemy() -> Any:
    try:
        import sqlalchemy  # optional: sql extra
    except ImportError as exc:
        raise MissingDependencyError("sqlalchemy", "postgres") from exc
    return sqlalchemy


@functools.lru_cache(maxsize=1024)
def _pyformat(sql: str) -> str:
    """``:name`` -> ``%(name)s`` (psycopg's parameter style)."""
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


class _SATx:
    """Sends the portable SQL straight to the driver (``exec_driver_sql``): the statements are
    already dialect-neutral, so SQLAlchemy's per-statement compilation is skipped."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self._conn = conn
        self._pg = dialect == "postgresql"

    def _run(self, sql: str, params: dict[str, Any]) -> Any:
        return self._conn.exec_driver_sql(_pyformat(sql) if self._pg else sql, params)

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> int:
        return self._run(sql, params or {}).rowcount

    def executemany(self, sql: str, rows: Sequence[dict[str, Any]]) -> None:
        """sqlite3: the driver's executemany. PostgreSQL: ``INSERT ... VALUES (:a, :b) [suffix]``
        sent as multi-row VALUES statements, one round trip per chunk instead of one per row."""
        if not rows:
            return
        head, values, tail = sql.partition(" VALUES ")
        if not self._pg or not values:
            self._conn.exec_driver_sql(_pyformat(sql) if self._pg else sql, list(rows))
            return
        end = tail.index(")") + 1
        template, suffix = tail[:end], tail[end:].replace("%", "%%")
        names = _PARAM.findall(template)
        group = "(" + ", ".join(["%s"] * len(names)) + ")"
        per_chunk = max(1, _MAX_PARAMS // max(1, len(names)))
        for start in range(0, len(rows), per_chunk):
            chunk = rows[start : start + per_chunk]
            flat = tuple(row[name] for row in chunk for name in names)
            self._conn.exec_driver_sql(
                head.replace("%", "%%") + values + ", ".join([group] * len(chunk)) + suffix, flat
            )

    def fetchall(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        # the driver's own cursor, in the same transaction: plain tuples, no Row objects (10k-row series)
        cursor = self._conn.connection.driver_connection.cursor()
        try:
            cursor.execute(_pyformat(sql) if self._pg else sql, params or {})
            return cursor.fetchall()
        finally:
            cursor.close()


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else f"{scheme}://{user}@{host}"


class SqlAlchemyRunner:
    """SQLAlchemy Core on ``sqlite:///path`` or ``postgresql+psycopg://...`` (imported lazily)."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        sa = import_sqlalchemy()
        self._sa = sa
        self.url = url
        self.description = f"database {redact(url)}"
        self._pid = os.getpid()
        try:
            self._engine = self._make_engine(url, engine_options)
        except ImportError as exc:  # the DBAPI driver (psycopg) is missing
            raise MissingDependencyError(getattr(exc, "name", None) or "psycopg[binary]", "postgres") from exc
        except sa.exc.ArgumentError as exc:
            raise StorageError(f"invalid database URL {redact(url)!r}: {exc}") from exc
        self.dialect = "sqlite" if self._engine.dialect.name == "sqlite" else "postgresql"
        self._driver_error = self._engine.dialect.loaded_dbapi.Error

    def _make_engine(self, url: str, options: dict[str, Any]) -> Any:
        sa = self._sa
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        if url.startswith("sqlite"):
            cache = _cache_pragma(sqlite_cache_mb())
            path = sa.engine.make_url(url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url, connect_args={"timeout": _BUSY_TIMEOUT_MS / 1000}, **options)

            @sa.event.listens_for(engine, "connect")
            def _connect(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
                cur = dbapi_conn.cursor()
                cur.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
                _retrying(lambda: cur.execute("PRAGMA journal_mode = WAL"), _sqlite_transient, "WAL")
                cur.execute("PRAGMA synchronous = NORMAL")
                cur.execute(cache)
                cur.close()

            @sa.event.listens_for(engine, "begin")
            def _begin(conn: Any) -> None:
                immediate = conn.get_execution_options().get("monitorflow_write", False)
                conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

            return engine
        return sa.create_engine(url, pool_pre_ping=True, **options)

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:  # never reuse a parent's pooled connections
            self._engine.dispose(close=False)
            self._pid = os.getpid()

    def _transient(self, exc: BaseException) -> bool:
        orig = getattr(exc, "orig", exc)  # SQLAlchemy wraps driver errors; raw cursors raise them as is
        if _sqlite_transient(orig):
            return True
        return getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES

    def _run(self, fn: Callable[[Tx], T], write: bool) -> T:
        sa = self._sa
        self._check_fork()

        def attempt() -> T:
            with self._engine.connect() as conn:
                conn = conn.execution_options(monitorflow_write=write)
                with conn.begin():
                    return fn(_SATx(conn, self.dialect))

        try:
            return _retrying(attempt, self._transient, self.description)
        except (sa.exc.SQLAlchemyError, self._driver_error) as exc:
            detail = getattr(exc, "orig", None) or exc
            raise StorageError(f"{self.description} failed: {str(detail).strip()}") from exc

    def write(self, fn: Callable[[Tx], T], durable: bool = False) -> T:
        """``durable`` is the default here: PostgreSQL commits are durable (and SQLite through
        SQLAlchemy is the SQL backend, whose blobs are in the database)."""
        return self._run(fn, True)

    def read(self, fn: Callable[[Tx], T]) -> T:
        return self._run(fn, False)

    def close(self) -> None:
        self._engine.dispose()


def open_runner(uri: str | os.PathLike[str]) -> Runner:
    """A runner for an index location: a file path (stdlib sqlite3) or a SQLAlchemy URL."""
    text = os.fspath(uri)
    if "://" not in text:
        return SqliteRunner(text)
    if text.startswith("sqlite:///") and "?" not in text:
        return SqliteRunner(text[len("sqlite:///") :] or ":memory:")
    return SqlAlchemyRunner(text)

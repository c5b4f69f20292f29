"""Test tables in PostgreSQL and DuckDB, written row by row so NaN stays NaN and None becomes NULL.

(``DataFrame.to_sql`` would turn NaN into NULL, hiding the difference the push-down must keep.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

SQL_TYPES = {
    "float": "DOUBLE PRECISION",
    "int": "BIGINT",
    "text": "TEXT",
    "bool": "BOOLEAN",
    "ts": "TIMESTAMPTZ",
}


def write_table(url: str, name: str, columns: dict[str, tuple[str, Sequence[Any]]]) -> None:
    """``columns``: name -> (type key of SQL_TYPES, values); an ``id`` column numbers the rows."""
    import sqlalchemy as sa

    n = len(next(iter(columns.values()))[1])
    listed = ", ".join(f'"{c}" {SQL_TYPES[t]}' for c, (t, _) in columns.items())
    rows = [
        {"id": i, **{f"c{j}": _plain(v[i]) for j, (_, v) in enumerate(columns.values())}} for i in range(n)
    ]
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))
            conn.execute(sa.text(f'CREATE TABLE "{name}" (id BIGINT, {listed})'))
            if rows:
                names = ", ".join(f'"{c}"' for c in columns)
                params = ", ".join(f":c{j}" for j in range(len(columns)))
                conn.execute(sa.text(f'INSERT INTO "{name}" (id, {names}) VALUES (:id, {params})'), rows)
    finally:
        engine.dispose()


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def read_back(url: str, name: str, where: str = "") -> pd.DataFrame:
    """The table as pandas reads it (the in-memory engine's input), in ``id`` order, each column in
    the dtype of its SQL type: ``pd.read_sql`` alone gives object to a float column holding only NULL."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            frame = pd.read_sql_query(sa.text(f'SELECT * FROM "{name}" {where} ORDER BY id'), conn)
            kinds = dict(
                conn.execute(
                    sa.text(
                        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = :t"
                    ),
                    {"t": name},
                ).all()
            )
    finally:
        engine.dispose()
    for column, kind in kinds.items():
        kind = kind.lower()
        if (
            kind.startswith(("double", "float"))
            or kind in ("bigint", "integer")
            and frame[column].isna().any()
        ):
            frame[column] = frame[column].astype("float64")
    return frame


def mixed_columns(n: int, seed: int = 0) -> dict[str, tuple[str, list]]:
    """Floats with NaN, NULL and infinities (one far from zero), ints with and without NULL,
    text with NULL, booleans, timestamps and a segment column."""
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, n).round(3).tolist()
    for i in range(n):
        if i % 11 == 0:
            x[i] = math.nan
        elif i % 13 == 0:
            x[i] = None
        elif i % 29 == 0:
            x[i] = math.inf if i % 2 else -math.inf
    far = (1.7e9 + rng.normal(0, 0.5, n)).tolist()  # like Unix seconds
    ints = rng.integers(-50, 50, n).tolist()
    ints_null = [None if i % 7 == 0 else v for i, v in enumerate(rng.integers(0, 4, n).tolist())]
    text = [None if i % 9 == 0 else f"c{v}" for i, v in enumerate(rng.zipf(1.6, n).clip(max=30).tolist())]
    flags = (rng.random(n) > 0.3).tolist()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    times = [start + timedelta(minutes=int(m)) for m in rng.integers(0, 3 * 24 * 60, n)]
    segment = rng.choice(["eu", "us", "apac"], n).tolist()
    return {
        "x": ("float", x),
        "far": ("float", far),
        "ints": ("int", ints),
        "ints_null": ("int", ints_null),
        "text": ("text", text),
        "flag": ("bool", flags),
        "ts": ("ts", times),
        "segment": ("text", segment),
    }

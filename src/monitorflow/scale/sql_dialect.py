"""SQL pieces per dialect: column types as Arrow types, and NaN / infinity tests on a double value.

Databases disagree on floats: PostgreSQL and DuckDB store NaN and +-infinity and treat NaN as equal
to itself and greater than every number (so ``MIN``/``MAX``/``GROUP BY`` see it), while pandas calls
NaN missing. Every aggregate therefore reads a numerical column through :meth:`Dialect.finite`,
which keeps finite doubles and turns NaN, infinities and NULL into NULL, once, in a projection.

>>> arrow_type("double precision"), arrow_type("DECIMAL(10,2)"), arrow_type("timestamp with time zone")
(DataType(double), DataType(double), TimestampType(timestamp[us, tz=UTC]))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa

from monitorflow.errors import SourceError

_INTEGER = re.compile(r"^(u?(tiny|small|big|huge)?int(eger)?\d*|int[248]|serial|bigserial|smallserial)$")
_FLOAT = re.compile(r"^(double( precision)?|float\d*|real|numeric.*|decimal.*|number.*)$")
_TEXT = re.compile(r"^(varchar.*|text|char.*|character.*|string|uuid|bpchar|name|citext|enum.*)$")


def arrow_type(name: str) -> pa.DataType:
    """The Arrow type rows of a SQL column type become (unknown types: strings).

    DECIMAL/NUMERIC are read as float64 (cast in SQL), as are REAL and FLOAT; integers as int64.
    """
    kind = " ".join(str(name).lower().split())
    if _INTEGER.match(kind):
        return pa.int64()
    if _FLOAT.match(kind):
        return pa.float64()
    if kind in ("boolean", "bool"):
        return pa.bool_()
    if kind in ("timestamp with time zone", "timestamptz", "timestamp_tz"):
        return pa.timestamp("us", tz="UTC")
    if kind.startswith("timestamp") or kind == "datetime":
        return pa.timestamp("us")
    if kind == "date":
        return pa.date32()
    if _TEXT.match(kind):
        return pa.string()
    return pa.string()


def type_name(type_code: object, description: object) -> str:
    """A DB-API cursor description entry's type as a name (psycopg's ``type_display``, DuckDB's type)."""
    display = getattr(description, "type_display", None)
    return str(display if display is not None else type_code)


@dataclass(frozen=True)
class Dialect:
    """How one database spells the expressions the profile queries need."""

    name: str
    #: SQL type of a double-precision float
    double: str

    def as_double(self, column: str, kind: pa.DataType) -> str:
        """A numerical (or boolean: 0/1) column as a double."""
        if pa.types.is_boolean(kind):
            return f"(CASE WHEN {column} THEN 1.0 WHEN NOT {column} THEN 0.0 END)"
        return f"CAST({column} AS {self.double})"

    def is_nan(self, value: str) -> str:
        if self.name == "duckdb":
            return f"isnan({value})"
        return f"({value} = CAST('NaN' AS {self.double}))"

    def is_positive_infinite(self, value: str) -> str:
        return f"({value} = CAST('Infinity' AS {self.double}))"

    def is_negative_infinite(self, value: str) -> str:
        return f"({value} = CAST('-Infinity' AS {self.double}))"

    def finite(self, value: str) -> str:
        """``value`` when it is a finite double, else NULL."""
        if self.name == "duckdb":
            return f"(CASE WHEN isfinite({value}) THEN {value} END)"
        specials = ", ".join(f"CAST('{s}' AS {self.double})" for s in ("NaN", "Infinity", "-Infinity"))
        return f"(CASE WHEN {value} NOT IN ({specials}) THEN {value} END)"

    def square(self, value: str) -> str:
        """``value * value``; PostgreSQL raises on float underflow, so squares below 1e-308 are 0 there
        (as they are, or nearly, in numpy)."""
        if self.name == "postgresql":
            return f"(CASE WHEN abs({value}) < 1e-154 THEN 0.0 ELSE {value} * {value} END)"
        return f"({value} * {value})"

    def not_nan(self, value: str) -> str:
        """``value`` unless it is NaN (then NULL): a float column's non-missing values."""
        return f"(CASE WHEN NOT {self.is_nan(value)} THEN {value} END)"


DIALECTS = {
    "postgresql": Dialect("postgresql", "DOUBLE PRECISION"),
    "duckdb": Dialect("duckdb", "DOUBLE"),
}


def dialect_of(name: str, where: str) -> Dialect:
    """The dialect of a SQLAlchemy engine; push-down refuses databases it was not tested on."""
    dialect = DIALECTS.get(name)
    if dialect is None:
        raise SourceError(
            f"{where}: SQL push-down supports {sorted(DIALECTS)}, not {name!r}; "
            "read the rows instead (pushdown: false in a monitor, or the SQL source of "
            "monitorflow.monitoring)",
            where,
            transient=False,
        )
    return dialect

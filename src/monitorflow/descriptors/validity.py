"""Validity descriptors: JSON, JSON schema, JSON equality, Python and SQL syntax.

A missing value is not valid (False); Evidently fails the whole run there instead (``docs/text.md``).
"""

from __future__ import annotations

import ast
import json
import warnings
from typing import Annotated, Any

import pandas as pd
from pydantic import BeforeValidator, PlainSerializer

from monitorflow._types import ColumnName, ColumnReader
from monitorflow.descriptors.base import Descriptor, PairDescriptor
from monitorflow.descriptors.patterns import _strings
from monitorflow.errors import MissingDependencyError

#: Names of the types a JSON schema may expect (how they are stored in snapshots).
JSON_TYPES: dict[str, type | None] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list": list,
    "dict": dict,
    "NoneType": type(None),
    "None": None,
}


def _load_type(value: Any) -> Any:
    return JSON_TYPES.get(value, value) if isinstance(value, str) else value


def _type_name(value: Any) -> str:
    return "None" if value is None else getattr(value, "__name__", str(value))


JsonType = Annotated[Any, BeforeValidator(_load_type), PlainSerializer(_type_name, return_type=str)]


def _parses(text: str | None) -> bool:
    if text is None:
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    except RecursionError:
        return False
    return True


class IsValidJSON(Descriptor):
    """True if the text parses as JSON (``json.loads``)."""

    column_type = "cat"
    default_name = "JSON valid for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        return pd.Series([_parses(t) for t in _strings(data, column)], dtype=bool)


class JSONSchemaMatch(Descriptor):
    """True if the text is a JSON object with every key of ``expected_schema`` (not null).

    ``validate_types`` also checks each value's type; ``exact_match`` asks for exactly those keys (and
    checks types).
    """

    expected_schema: dict[str, JsonType]
    validate_types: bool = False
    exact_match: bool = False
    column_type = "cat"

    def title(self, column: ColumnName | None) -> str:
        return self.display_name or f"JSONSchemaMatch {'exact' if self.exact_match else 'minimal'} match"

    def _matches(self, text: str | None) -> bool:
        if text is None:
            return False
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return False
        if not isinstance(value, dict):
            return False
        if self.exact_match and set(value) != set(self.expected_schema):
            return False
        check_types = self.validate_types or self.exact_match
        for key, expected in self.expected_schema.items():
            if value.get(key) is None:
                return False
            if check_types and expected and not isinstance(value[key], expected):
                return False
        return True

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        return pd.Series([self._matches(t) for t in _strings(data, column)], dtype=bool)


class JSONMatch(PairDescriptor):
    """True if the text and ``with_column`` parse to equal JSON values (key order ignored)."""

    column_type = "cat"
    default_name = "JSON match for columns {column} and {with_column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        result = []
        for left, right in zip(_strings(data, column), _strings(data, self.with_column), strict=True):
            try:
                result.append(
                    left is not None and right is not None and json.loads(left) == json.loads(right)
                )
            except (ValueError, TypeError, RecursionError):
                result.append(False)
        return pd.Series(result, dtype=bool)


def _is_python(text: str | None) -> bool:
    if text is None:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not invalidity
            ast.parse(text)
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
        return False
    return True


class IsValidPython(Descriptor):
    """True if the text parses as Python (``ast.parse``)."""

    column_type = "cat"
    default_name = "Valid Python for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        return pd.Series([_is_python(t) for t in _strings(data, column)], dtype=bool)


class IsValidSQL(Descriptor):
    """True if every ";"-separated statement formats with ``sqlvalidator`` (``pip install
    'monitorflow[text]'``)."""

    column_type = "cat"
    default_name = "SQL Validity Check for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        try:
            import sqlvalidator  # optional: text extra
        except ModuleNotFoundError as exc:
            raise MissingDependencyError("sqlvalidator", "text") from exc

        def valid(text: str | None) -> bool:
            if text is None:
                return False
            for statement in text.strip().split(";"):
                statement = statement.strip()
                if not statement:
                    continue
                try:
                    sqlvalidator.format_sql(statement)
                except Exception:  # noqa: BLE001 - any failure of the parser means invalid
                    return False
            return True

        return pd.Series([valid(t) for t in _strings(data, column)], dtype=bool)

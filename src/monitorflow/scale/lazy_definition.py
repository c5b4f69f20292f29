"""The data definition of lazy sources, resolved before rows are read: how pass A profiles each
column (from the column mapping and Arrow types), and stand-in frames of each column's dtype and
distinct values that ``build_definition`` reads instead of the rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from monitorflow.column_mapping import (
    ColumnMapping,
    ColumnType,
    DataDefinition,
)
from monitorflow.scale.lazy_stats import keys_in_dtype
from monitorflow.scale.profile import ColumnProfile, Kind
from monitorflow.scale.side import LazySide

#: Stand-in values per column when the definition is resolved (more than the 5 that decide a type).
STAND_IN_VALUES = 7


def _default(field: str) -> Any:
    return ColumnMapping.model_fields[field].default


def profile_kinds(mapping: ColumnMapping, side: LazySide) -> tuple[dict[Any, Kind], dict[Any, str]]:
    """How pass A profiles each column (numbers or value counts), and the declared conversions.

    The same rules as :func:`~monitorflow.column_mapping.build_definition`, decided from dtypes
    before any row is read. Integer columns are profiled as numbers: pass A tells whether they
    have at most 5 values (then they are categorical, and their value counts are exact).
    """
    kinds: dict[Any, Kind] = {}
    coercions: dict[Any, str] = {}
    declared = {
        **{c: "cat" for c in mapping.categorical_features or []},
        **{c: "text" for c in mapping.text_features or []},
        **{c: "datetime" for c in mapping.datetime_features or []},
        **{c: "num" for c in mapping.numerical_features or []},
    }
    for columns in (mapping.embeddings or {}).values():
        declared.update({c: "num" for c in columns})
    if isinstance(mapping.prediction, list):
        declared.update({c: "num" for c in mapping.prediction})
    for column in side.columns:
        arrow = side.arrow_type(column)
        kind = declared.get(column)
        if kind is None:
            kind = _inferred_kind(column, arrow, mapping)
        if kind == "datetime":
            coercions[column] = "datetime"
        if kind == "num":
            coercions[column] = "num"
        kinds[column] = "num" if kind == "num" else "cat"
    return kinds, coercions


def _inferred_kind(column: Any, arrow: Any, mapping: ColumnMapping) -> str:

    numeric = (pa.types.is_integer(arrow) or pa.types.is_floating(arrow)) and not pa.types.is_boolean(arrow)
    if column in (mapping.target, mapping.prediction) and mapping.task in ("regression", "recsys"):
        return "num"
    if column == mapping.target and mapping.task == "classification":
        return "cat"
    if column == mapping.prediction and mapping.task == "classification":
        return "num" if pa.types.is_floating(arrow) else "cat"
    if (
        column == mapping.datetime
        and mapping.datetime != _default("datetime")
        and "datetime" in mapping.model_fields_set
    ):
        return "datetime"
    return "num" if numeric else "cat"


def stand_in(side: LazySide, column: Any, limit: int | None) -> pd.Series:
    """A few of the column's distinct values (all when ``limit`` is None), in its dtype."""
    profile: ColumnProfile = side.profiles[column]
    dtype = side.dtypes()[column]
    if profile.values is not None:
        keys = profile.values.keys if limit is None else profile.values.keys[:limit]
        values = list(keys_in_dtype(np.asarray(keys), dtype))
    elif profile.kind == "num":
        values = list(
            np.arange(limit or STAND_IN_VALUES, dtype=np.float64)
            + (profile.minimum if profile.moments.count else 0)
        )
    else:
        values = []
    if not values:
        values = [None]
    try:
        return pd.Series(values, dtype=dtype)
    except (TypeError, ValueError):
        return pd.Series(values)


def stand_in_frame(side: LazySide, full: set[Any]) -> pd.DataFrame:
    """One frame with each column's dtype and distinct values (padded by repeating the first one):
    what the definition's inference reads, without the rows."""
    series = {c: stand_in(side, c, None if c in full else STAND_IN_VALUES) for c in side.columns}
    length = max((len(s) for s in series.values()), default=1)
    padded = {
        c: pd.concat([s, pd.Series([s.iloc[0]] * (length - len(s)), dtype=s.dtype)], ignore_index=True)
        if len(s) < length
        else s
        for c, s in series.items()
    }
    return pd.DataFrame(padded, columns=side.columns)


def resolve_kinds(definition: DataDefinition, side: LazySide) -> None:
    """Make each profile fit the resolved type: numerical columns need numeric profiles; integer
    columns resolved categorical keep their (exact) value counts."""
    reprofile = [
        c
        for c in side.columns
        if definition.type_of(c) == ColumnType.NUMERICAL and side.profiles[c].kind != "num"
    ]
    if reprofile:
        side.coercions.update({c: "num" for c in reprofile})
        side.profile_columns(reprofile, "num")
    for column in side.columns:
        profile = side.profiles[column]
        if definition.type_of(column) not in (None, ColumnType.NUMERICAL) and profile.kind == "num":
            side.kinds[column] = "cat"

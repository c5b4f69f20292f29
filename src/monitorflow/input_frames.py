"""Checks and coercions of input frames: a usable DataFrame, a declared numerical or datetime column
made so (or an error naming the first bad value), numpy scalars made plain for JSON."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.errors import ColumnTypeError, DuplicateColumnsError, EmptyDataError, NotADataFrameError


def check_frame(value: Any, argument: str) -> pd.DataFrame:
    """Reject what is not a usable DataFrame: not a frame, duplicate column names, 0 rows."""
    if not isinstance(value, pd.DataFrame):
        raise NotADataFrameError(argument, value)
    duplicated = value.columns[value.columns.duplicated()].unique().tolist()
    if duplicated:
        raise DuplicateColumnsError(argument, duplicated)
    if len(value.index) == 0:
        raise EmptyDataError(argument)
    return value


def coerce_numerical(frame: pd.DataFrame, column: ColumnName, dataset: str, fix: str = "") -> pd.DataFrame:
    """Make a column declared numerical numeric, or raise naming the first bad value (and ``fix``)."""
    series = frame[column]
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return frame
    if pd.api.types.is_bool_dtype(series.dtype):
        converted = series.astype("float64")
    else:
        converted = pd.to_numeric(series, errors="coerce")
        bad = converted.isna() & series.notna()
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            blank = np.fromiter(
                (isinstance(v, str) and v.strip() == "" for v in series.tolist()), bool, len(series)
            )
            bad &= ~blank
        if bad.any():
            raise ColumnTypeError(column, dataset, "numerical", series[bad].iloc[0], fix=fix)
    frame = frame.copy(deep=False)
    frame[column] = converted.astype("float64")
    return frame


def coerce_datetime(frame: pd.DataFrame, column: ColumnName, dataset: str) -> pd.DataFrame:
    """Make a column declared datetime a datetime64 column, or raise naming the first bad value."""
    series = frame[column]
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return frame
    fix = f"convert it with pd.to_datetime(df[{column!r}]), or list it in categorical_features"
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        example = series.dropna().iloc[0] if series.notna().any() else None
        raise ColumnTypeError(column, dataset, "datetime", python_scalar(example), fix=fix)
    numbers = np.fromiter(
        (isinstance(v, int | float | np.number) and v == v for v in series.tolist()), bool, len(series)
    )
    if numbers.any():  # a number among strings is no date (and pandas 4 would read it as an epoch)
        raise ColumnTypeError(column, dataset, "datetime", python_scalar(series[numbers].iloc[0]), fix=fix)
    try:
        converted = pd.to_datetime(series, errors="coerce", format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        converted = None
    bad = series.notna() if converted is None else converted.isna() & series.notna()
    if converted is None or bad.any():
        raise ColumnTypeError(
            column, dataset, "datetime", series[bad].iloc[0] if bad.any() else None, fix=fix
        )
    frame = frame.copy(deep=False)
    frame[column] = converted
    return frame


def python_scalar(value: Any) -> Any:
    """Turn numpy/pandas scalars into plain Python values for JSON."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value

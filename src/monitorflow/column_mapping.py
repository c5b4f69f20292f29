"""ColumnMapping (what the user tells us) and DataDefinition (what we resolved from it and the data).

This is the import path of them all; the work is done in :mod:`monitorflow.data_definition` (the
models), :mod:`monitorflow.column_inference` (the one type inference rule, resolving a mapping) and
:mod:`monitorflow.input_frames` (checks and coercions of the input frames).
"""

from __future__ import annotations

from monitorflow.column_inference import (
    EMBEDDING_FIX,
    MAX_CATEGORICAL_INTEGER_VALUES,
    build_definition,
    infer_type,
)
from monitorflow.data_definition import (
    ColumnDefinition,
    ColumnMapping,
    ColumnType,
    DataDefinition,
    DerivedColumnDefinition,
)
from monitorflow.input_frames import check_frame, coerce_datetime, coerce_numerical, python_scalar

__all__ = [
    "EMBEDDING_FIX",
    "MAX_CATEGORICAL_INTEGER_VALUES",
    "ColumnDefinition",
    "ColumnMapping",
    "ColumnType",
    "DataDefinition",
    "DerivedColumnDefinition",
    "build_definition",
    "check_frame",
    "coerce_datetime",
    "coerce_numerical",
    "infer_type",
    "python_scalar",
]

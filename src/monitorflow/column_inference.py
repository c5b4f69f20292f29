"""Resolving a ColumnMapping against the frames into a DataDefinition: the one column type inference rule.

The rule, used by every metric, test and preset
-----------------------------------------------
Explicit lists in the mapping win (``numerical_features``, ``categorical_features``,
``datetime_features``, ``text_features``). Any other column gets its type from its dtype:

==========================================  ===============================================
dtype                                       type
==========================================  ===============================================
float                                       numerical
integer                                     categorical if it has at most 5 distinct values
                                            in the reference (in current when there is no
                                            reference), else numerical
bool, object, string, category              categorical
datetime64                                  datetime
==========================================  ===============================================

Text is never inferred: list text columns in ``text_features``. A list given in the mapping is the whole
of its kind, as in Evidently: with ``numerical_features=[...]`` a numerical column not in it is no
feature (nor a column of the run); the same for ``categorical_features`` and ``datetime_features``. Target,
prediction, datetime and id columns are kept whatever the lists say. The target and a single
prediction column follow the same rule, except that ``task="regression"`` (or ``"recsys"``) makes them
numerical and
``task="classification"`` makes the target (and a non-float prediction) categorical; a float
prediction under classification is a probability and stays numerical. A column present in only one
of reference and current is skipped and listed in ``DataDefinition.skipped_columns``. Columns of the
``embeddings`` sets are numeric and are no features: they are only in ``DataDefinition.embeddings``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitorflow._types import ColumnName
from monitorflow.data_definition import ColumnDefinition, ColumnMapping, ColumnType, DataDefinition
from monitorflow.dataset_columns import dataset_columns
from monitorflow.errors import ColumnNotFoundError, ConfigurationError
from monitorflow.input_frames import coerce_datetime, coerce_numerical

#: Integer columns with at most this many distinct values are categorical.
MAX_CATEGORICAL_INTEGER_VALUES = 5


def _is_integer(series: pd.Series) -> bool:
    return pd.api.types.is_integer_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def infer_type(current: pd.Series, reference: pd.Series | None) -> ColumnType:
    """The one inference rule (see the module docstring)."""
    dtype = current.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return ColumnType.CATEGORICAL
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return ColumnType.DATETIME
    if pd.api.types.is_float_dtype(dtype):
        return ColumnType.NUMERICAL
    if _is_integer(current):
        sample = reference if reference is not None else current
        distinct = sample.nunique(dropna=True)
        return ColumnType.CATEGORICAL if distinct <= MAX_CATEGORICAL_INTEGER_VALUES else ColumnType.NUMERICAL
    return ColumnType.CATEGORICAL


def _role_type(role: str, inferred: ColumnType, current: pd.Series, task: str | None) -> ColumnType:
    if task in ("regression", "recsys"):  # recsys: relevance and scores (or ranks) are numbers
        return ColumnType.NUMERICAL
    if task == "classification":
        is_proba = role == "prediction" and pd.api.types.is_float_dtype(current.dtype)
        return ColumnType.NUMERICAL if is_proba else ColumnType.CATEGORICAL
    return inferred


def build_definition(
    mapping: ColumnMapping | None,
    current: pd.DataFrame,
    reference: pd.DataFrame | None,
    options: Any = None,
) -> tuple[DataDefinition, pd.DataFrame, pd.DataFrame | None]:
    """Resolve the mapping against the frames; returns the definition and the (coerced) frames.

    ``options`` (a DataDefinitionOptions) may cap the distinct values of an inferred categorical column:
    a column above ``categorical_features_cardinality`` is no column of the run (listed in
    ``skipped_columns["above_cardinality"]``).
    """
    mapping = mapping or ColumnMapping()
    cardinality = getattr(options, "categorical_features_cardinality", None)
    # Set to something other than its default: a mapping that went through JSON (a Prefect parameter)
    # has every field set, and must resolve as the one it came from.
    explicit = {
        f for f in mapping.model_fields_set if getattr(mapping, f) != ColumnMapping.model_fields[f].default
    }
    in_current = set(current.columns)
    in_reference = set(reference.columns) if reference is not None else in_current

    def require(column: ColumnName, where: str) -> None:
        if column not in in_current:
            raise ColumnNotFoundError(column, where, "current_data", current.columns)

    typed: dict[ColumnName, ColumnType] = {}
    for field, kind in (
        ("categorical_features", ColumnType.CATEGORICAL),
        ("numerical_features", ColumnType.NUMERICAL),
        ("datetime_features", ColumnType.DATETIME),
        ("text_features", ColumnType.TEXT),
    ):
        for column in getattr(mapping, field) or []:
            require(column, field)
            if column in typed and typed[column] != kind:
                raise ConfigurationError(
                    f"column {column!r} is listed both as {typed[column].name.lower()} and in {field}; "
                    "list it in one of them",
                    argument=field,
                )
            typed[column] = kind
    embeddings, current, reference = _embedding_sets(mapping, current, reference, typed)
    embedded = {c for columns in (embeddings or {}).values() for c in columns}

    def role(field: str) -> ColumnName | None:
        column = getattr(mapping, field)
        if column is None:
            return None
        if column in embedded:  # a default role name (e.g. "target") taken by an embedding set is no role
            if field in explicit:
                raise ConfigurationError(
                    f"column {column!r} is column_mapping.{field} and an embedding column; use it as one "
                    "of them",
                    argument="embeddings",
                )
            return None
        if column not in in_current:
            # A target only in the reference is labels that have not arrived yet (estimation, drift).
            labels_later = field == "target" and reference is not None and column in reference.columns
            if field in explicit and not labels_later:
                require(column, f"column_mapping.{field}")
            return None
        return column

    target = role("target")
    datetime_column = role("datetime")
    id_column = role("id")
    user_id, item_id = role("user_id"), role("item_id")
    prediction: ColumnName | None = None
    probas: list[ColumnName] | None = None
    if isinstance(mapping.prediction, list):
        for column in mapping.prediction:
            require(column, "column_mapping.prediction")
        probas = list(mapping.prediction)
    else:
        prediction = role("prediction")

    both = [c for c in current.columns if c in in_reference and c not in embedded]
    skipped = {
        "only_in_current": [c for c in current.columns if c not in in_reference],
        "only_in_reference": [c for c in reference.columns if c not in in_current]
        if reference is not None
        else [],
    }
    listed_kinds = {
        kind
        for field, kind in (
            ("numerical_features", ColumnType.NUMERICAL),
            ("categorical_features", ColumnType.CATEGORICAL),
            ("datetime_features", ColumnType.DATETIME),
        )
        if getattr(mapping, field) is not None
    }
    roles = {target, prediction, datetime_column, id_column, user_id, item_id, *(probas or [])} - {None}
    columns: dict[ColumnName, ColumnType] = {}
    for column in both:
        if column in typed:
            kind = typed[column]
        else:
            ref_series = reference[column] if reference is not None else None
            kind = infer_type(current[column], ref_series)
            if column == target:
                kind = _role_type("target", kind, current[column], mapping.task)
            elif column == prediction:
                kind = _role_type("prediction", kind, current[column], mapping.task)
            elif probas and column in probas:
                kind = ColumnType.NUMERICAL
            elif column == datetime_column and "datetime" in explicit:
                kind = ColumnType.DATETIME
            if column not in roles and kind in listed_kinds:
                skipped.setdefault("not_in_feature_lists", []).append(column)
                continue
            if (
                cardinality is not None
                and column not in roles
                and kind == ColumnType.CATEGORICAL
                and _distinct(current[column], reference[column] if reference is not None else None)
                > cardinality
            ):
                skipped.setdefault("above_cardinality", []).append(column)
                continue
        columns[column] = kind

    for column, kind in columns.items():
        coerce = {ColumnType.NUMERICAL: coerce_numerical, ColumnType.DATETIME: coerce_datetime}.get(kind)
        if coerce is not None:
            current = coerce(current, column, "current_data")
            if reference is not None:
                reference = coerce(reference, column, "reference_data")

    task = mapping.task
    if task is None and target is not None and target in columns:
        task = "classification" if columns[target] == ColumnType.CATEGORICAL else "regression"
    labels = _labels(mapping, target, current, reference) if task == "classification" else None

    definition = DataDefinition(
        columns=[ColumnDefinition(name=c, type=t) for c, t in columns.items()],
        target=target if target in columns else None,
        prediction=prediction if prediction in columns else None,
        prediction_probas=probas,
        datetime=datetime_column if datetime_column in columns else None,
        id=id_column if id_column in columns else None,
        user_id=user_id if user_id in columns else None,
        item_id=item_id if item_id in columns else None,
        recommendations_type=mapping.recommendations_type,
        task=task if target is not None or prediction is not None or probas else None,
        labels=labels,
        target_names=mapping.target_names,
        pos_label=mapping.pos_label,
        reference_present=reference is not None,
        skipped_columns={k: v for k, v in skipped.items() if v},
        embeddings=embeddings,
        dataset_columns=dataset_columns(mapping, current, reference, embedded, mapping.task),
    )
    return definition, current, reference


def _distinct(current: pd.Series, reference: pd.Series | None) -> int:
    sample = reference if reference is not None else current
    try:
        return int(sample.nunique(dropna=True))
    except TypeError:  # unhashable values
        return len(sample)


EMBEDDING_FIX = (
    "an embedding set lists one numeric column per dimension: convert this one with pd.to_numeric, or "
    "expand a column of vectors with pd.DataFrame(df[col].tolist(), index=df.index).add_prefix(col) and "
    "list those columns"
)


def _embedding_sets(
    mapping: ColumnMapping,
    current: pd.DataFrame,
    reference: pd.DataFrame | None,
    typed: dict[ColumnName, ColumnType],
) -> tuple[dict[str, list[ColumnName]] | None, pd.DataFrame, pd.DataFrame | None]:
    """Validate ``mapping.embeddings`` (each column present, numeric, in one set and in no feature list)."""
    if mapping.embeddings is None:
        return None, current, reference
    owner: dict[ColumnName, str] = {}
    probas = mapping.prediction if isinstance(mapping.prediction, list) else []
    for name, columns in mapping.embeddings.items():
        where = f"column_mapping.embeddings[{name!r}]"
        if not columns:
            raise ConfigurationError(
                f"{where} has no columns; list its columns or remove the set", argument="embeddings"
            )
        for column in columns:
            if column in owner:
                other: str | None = f"in column_mapping.embeddings[{owner[column]!r}]"
            elif column in typed:
                other = f"listed as a {typed[column].name.lower()} feature"
            else:
                other = "in column_mapping.prediction" if column in probas else None
            if other is not None:
                raise ConfigurationError(
                    f"column {column!r} is in {where} and also {other}; list it in one place only",
                    argument="embeddings",
                )
            owner[column] = name
            for dataset, frame in (("current_data", current), ("reference_data", reference)):
                if frame is not None and column not in frame.columns:
                    raise ColumnNotFoundError(column, where, dataset, frame.columns)
            current = coerce_numerical(current, column, "current_data", fix=EMBEDDING_FIX)
            if reference is not None:
                reference = coerce_numerical(reference, column, "reference_data", fix=EMBEDDING_FIX)
    return {name: list(columns) for name, columns in mapping.embeddings.items()}, current, reference


def _labels(
    mapping: ColumnMapping, target: ColumnName | None, current: pd.DataFrame, reference: pd.DataFrame | None
) -> list[Any] | None:
    if mapping.target_names is not None:
        return list(mapping.target_names)
    if target is None:
        return None
    values = [current[target].dropna()]
    if reference is not None and target in reference.columns:
        values.append(reference[target].dropna())
    if isinstance(mapping.prediction, list):
        return list(mapping.prediction)
    uniques = pd.unique(pd.concat(values, ignore_index=True))
    try:
        return sorted(uniques.tolist())
    except TypeError:
        return [v for v in uniques.tolist()]

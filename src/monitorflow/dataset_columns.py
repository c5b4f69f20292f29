"""The columns as drift tables and dataset summaries see them: Evidently's second typing rule.

Evidently types columns in two ways. Column metrics, tests and generators use the rule of
:mod:`monitorflow.column_inference` (an integer column with at most 5 distinct values is categorical).
``DataDriftTable``, ``DatasetDriftMetric``, the column counts of ``DatasetSummaryMetric`` and a few
others use a second rule, kept here so that their results are Evidently's:

- numerical features: ``numerical_features`` if given (those present with a numeric dtype, or all
  missing), else every column of a numeric dtype (any integer, whatever its distinct values);
- categorical features: ``categorical_features`` if given, else every column neither numeric nor datetime;
- datetime features: ``datetime_features`` if given, else every datetime column;
- text features: ``text_features``;

always without the target, prediction, datetime and id columns, and (our choice) without embedding
columns, which ``EmbeddingsDriftMetric`` measures as a set. Lists are sorted by name, as Evidently's, except a
given ``categorical_features``, which keeps its order.
The target is numerical when the task is regression (given, or a numeric target with at least 5
distinct values in the reference); a single prediction column is numerical under regression, or with
more than 5 distinct values over both datasets and no classification task, or when it holds
probabilities (non-integer numbers within [0, 1]).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from monitorflow._types import ColumnName

#: A numeric target with at least this many distinct values makes the task regression (``>=``, sic).
TASK_REGRESSION_MIN_VALUES = 5


class DatasetColumns(BaseModel):
    model_config = ConfigDict(frozen=True)

    numerical: list[ColumnName] = []
    categorical: list[ColumnName] = []
    datetime: list[ColumnName] = []
    text: list[ColumnName] = []
    target_type: str | None = None
    prediction_type: str | None = None
    task: str | None = None  # given, or Evidently's guess from a target (this rule's, not the definition's)

    def type_of(self, column: ColumnName) -> str | None:
        """ "num", "cat", "text" or "datetime" for a feature of these lists, else None."""
        for kind, names in (
            ("num", self.numerical),
            ("cat", self.categorical),
            ("text", self.text),
            ("datetime", self.datetime),
        ):
            if column in names:
                return kind
        return None


class UtilityColumns(BaseModel):
    date: ColumnName | None = None
    id: ColumnName | None = None
    target: ColumnName | None = None
    prediction: ColumnName | list[ColumnName] | None = None


class ColumnsOfRun(BaseModel):
    """Evidently's ``DatasetColumns`` (``monitorflow.metric_results.DatasetColumns``) as some of its
    results carry them (``columns`` of RegressionQualityMetric, ClassificationQualityByClass...)."""

    utility_columns: UtilityColumns
    num_feature_names: list[ColumnName]
    cat_feature_names: list[ColumnName]
    text_feature_names: list[ColumnName]
    datetime_feature_names: list[ColumnName]
    target_names: Any = None
    # Left out of as_dict() and snapshots, as Evidently leaves them out.
    target_type: str | None = Field(None, exclude=True)
    task: str | None = Field(None, exclude=True)

    @property
    def target_names_list(self) -> list[Any] | None:
        """The class labels of ``target_names`` (the keys of a dict of display names)."""
        if isinstance(self.target_names, dict):
            return list(self.target_names)
        return self.target_names

    def get_all_features_list(
        self, cat_before_num: bool = True, include_datetime_feature: bool = False
    ) -> list[ColumnName]:
        """The features: categorical, numerical (or numerical first), text, then datetime when asked."""
        kinds = (self.cat_feature_names, self.num_feature_names)
        first, second = kinds if cat_before_num else kinds[::-1]
        datetimes = self.datetime_feature_names if include_datetime_feature else []
        return [*first, *second, *self.text_feature_names, *datetimes]

    def get_all_columns_list(
        self, skip_id_column: bool = False, skip_text_columns: bool = False
    ) -> list[ColumnName]:
        """Categorical, numerical and text features, then the id, datetime, target and prediction."""
        utility = self.utility_columns
        roles = (None if skip_id_column else utility.id, utility.date, utility.target, utility.prediction)
        text = [] if skip_text_columns else self.text_feature_names
        named = [name for name in roles if isinstance(name, str)]  # Evidently's rule: a list of
        return [*self.cat_feature_names, *self.num_feature_names, *text, *named]  # predictions is left out

    def get_features_len(self, include_time_columns: bool = False) -> int:
        """The number of numerical, categorical and text features (and datetime ones when asked)."""
        datetimes = len(self.datetime_feature_names) if include_time_columns else 0
        return (
            len(self.num_feature_names)
            + len(self.cat_feature_names)
            + len(self.text_feature_names)
            + datetimes
        )


def columns_of_run(definition: Any) -> ColumnsOfRun:
    """The run's columns in Evidently's ``DatasetColumns`` shape (lists of :class:`DatasetColumns`)."""
    typing = definition.dataset_columns or DatasetColumns()
    return ColumnsOfRun(
        utility_columns=UtilityColumns(
            date=definition.datetime,
            id=definition.id,
            target=definition.target,
            prediction=definition.prediction_probas or definition.prediction,
        ),
        num_feature_names=typing.numerical,
        cat_feature_names=typing.categorical,
        text_feature_names=typing.text,
        datetime_feature_names=typing.datetime,
        target_names=definition.target_names,
        target_type=typing.target_type,
        task=typing.task,
    )


def _sorted(names: list[Any]) -> list[Any]:
    try:
        return sorted(names)
    except TypeError:  # labels of mixed types
        return sorted(names, key=str)


def numeric_dtype(dtype: Any) -> bool:
    """A dtype of numbers (booleans are not): this rule's numerical columns."""
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _numeric(series: pd.Series) -> bool:
    return numeric_dtype(series.dtype)


def _nunique(series: pd.Series) -> int:
    try:
        return int(series.nunique())
    except TypeError:
        return len(series)


def dataset_columns(
    mapping: Any,
    current: pd.DataFrame,
    reference: pd.DataFrame | None,
    embedded: set[Any],
    task: str | None,
) -> DatasetColumns:
    """The lists of the rule above for one run (``reference`` decides dtypes and the task when given)."""
    frame = reference if reference is not None else current
    present = set(frame.columns)
    target = mapping.target if mapping.target in present else None
    prediction = mapping.prediction
    utility = {mapping.datetime if mapping.datetime in present else None, mapping.id, target}
    if isinstance(prediction, list):
        utility |= set(prediction)
    elif prediction in present:
        utility.add(prediction)
    else:
        prediction = None
    utility.discard(None)
    text = [c for c in (mapping.text_features or [])]
    excluded = utility | set(text) | embedded
    numeric = [c for c in frame.columns if _numeric(frame[c])]
    datetimes = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]

    if mapping.numerical_features is None:
        cat_given = set(mapping.categorical_features or [])
        num = [c for c in numeric if c not in excluded and c not in cat_given]
    else:
        listed = [c for c in mapping.numerical_features if c in present]
        num = [c for c in listed if _numeric(frame[c]) or frame[c].isna().all()]
    if mapping.datetime_features is None:
        dt = [c for c in datetimes if c not in utility]
    else:
        dt = [
            c for c in mapping.datetime_features if c in present and (c in datetimes or frame[c].isna().all())
        ]
    if mapping.categorical_features is None:
        other = set(numeric) | set(datetimes)
        cat = [c for c in frame.columns if c not in other and c not in excluded]
    else:
        cat = [c for c in mapping.categorical_features if c in present]

    if task is None and target is not None:
        regression = _numeric(frame[target]) and _nunique(frame[target]) >= TASK_REGRESSION_MIN_VALUES
        task = "regression" if regression else "classification"
    target_type = None if target is None else ("num" if task == "regression" else "cat")
    prediction_type = None
    if isinstance(prediction, str | int) and not isinstance(prediction, bool):
        series = frame[prediction]
        if reference is not None:  # both sides' values (missing where current lacks the column)
            pieces = [side[[c for c in (prediction,) if c in side.columns]] for side in (reference, current)]
            series = pd.concat(pieces, ignore_index=True)[prediction]
        many = _numeric(series) and task != "classification" and _nunique(series) > 5
        probability = (
            _numeric(series)
            and not pd.api.types.is_integer_dtype(series.dtype)
            and bool(np.nanmax(series.to_numpy(dtype=float), initial=-np.inf) <= 1)
            and bool(np.nanmin(series.to_numpy(dtype=float), initial=np.inf) >= 0)
        )
        prediction_type = "num" if task == "regression" or many or probability else "cat"
    return DatasetColumns(
        numerical=_sorted(num),
        categorical=_sorted(cat)
        if mapping.categorical_features is None
        else cat,  # a given list keeps its order
        datetime=_sorted(dt),
        text=text,
        target_type=target_type,
        prediction_type=prediction_type,
        task=task,
    )

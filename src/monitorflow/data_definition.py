"""ColumnMapping (what the user tells us) and DataDefinition (what we resolved from it and the data).

How a mapping and the frames resolve into a definition: :mod:`monitorflow.column_inference`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from monitorflow._types import ColumnName
from monitorflow.dataset_columns import DatasetColumns


class ColumnType(StrEnum):
    """A column's type. The first four are what inference resolves a feature to; the CamelCase names
    are Evidently's spellings (aliases of the same members) and Evidently's other values."""

    NUMERICAL = "num"
    CATEGORICAL = "cat"
    TEXT = "text"
    DATETIME = "datetime"
    Numerical = "num"
    Categorical = "cat"
    Text = "text"
    Datetime = "datetime"
    Date = "data"  # Evidently's value for a date column, kept so its serialized form compares equal
    Id = "id"
    Unknown = "unknown"
    List = "list"


class RecomType(StrEnum):
    """The values of ``ColumnMapping.recommendations_type``, under Evidently's names."""

    SCORE = "score"
    RANK = "rank"


class ColumnMapping(BaseModel):
    """Roles and types of the columns, with Evidently's legacy field names and defaults."""

    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    target: ColumnName | None = Field("target", description="The column with the true label or value.")
    prediction: ColumnName | list[ColumnName] | None = Field(
        "prediction",
        description="The prediction column, or one probability column per class for a probabilistic "
        "classifier.",
    )
    datetime: ColumnName | None = Field("datetime", description="The column with each row's time.")
    id: ColumnName | None = Field(None, description="A column that identifies rows; it is never a feature.")
    numerical_features: list[ColumnName] | None = Field(None, description="Numerical feature columns.")
    categorical_features: list[ColumnName] | None = Field(None, description="Categorical feature columns.")
    datetime_features: list[ColumnName] | None = Field(None, description="Date and time feature columns.")
    text_features: list[ColumnName] | None = Field(None, description="Free-text feature columns.")
    embeddings: dict[str, list[ColumnName]] | None = Field(
        None, description="Named sets of embedding columns, one column per dimension."
    )
    target_names: list[Any] | dict[Any, str] | None = Field(None, description="Display names of the classes.")
    task: Literal["classification", "regression", "recsys"] | None = Field(
        None, description="The model's task. Leave empty to infer it from the target."
    )
    pos_label: Any = Field(1, description="The positive class of a binary classifier.")
    user_id: ColumnName | None = Field("user_id", description="The user column of a recommender.")
    item_id: ColumnName | None = Field("item_id", description="The item column of a recommender.")
    recommendations_type: Literal["score", "rank"] = Field(
        "score", description="Whether a recommender's prediction is a score or a rank."
    )

    @property
    def recom_type(self) -> RecomType:
        """``recommendations_type`` as a :class:`RecomType` member."""
        return RecomType(self.recommendations_type)

    def is_classification_task(self) -> bool:
        """Whether ``task`` says classification (False when it is left to inference)."""
        return self.task == "classification"

    def is_regression_task(self) -> bool:
        """Whether ``task`` says regression (False when it is left to inference)."""
        return self.task == "regression"


class ColumnDefinition(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: ColumnName
    type: ColumnType

    @property
    def column_name(self) -> ColumnName:
        return self.name

    @property
    def column_type(self) -> ColumnType:
        return self.type


class DerivedColumnDefinition(ColumnDefinition):
    """A column computed during the run (a descriptor's output), with how it was computed."""

    derivation: dict[str, Any] = Field(default_factory=dict)


class DataDefinition(BaseModel):
    """The resolved column roles and types of one run (stored in the snapshot).

    ``derived_columns`` are computed during the run (text descriptors): each has a type, so metrics
    treat it like any column, but it is no feature of the data (``column_names`` lists the data's).
    """

    model_config = ConfigDict(frozen=True)

    columns: list[ColumnDefinition] = Field(default_factory=list)
    target: ColumnName | None = None
    prediction: ColumnName | None = None
    prediction_probas: list[ColumnName] | None = None
    datetime: ColumnName | None = None
    id: ColumnName | None = None
    user_id: ColumnName | None = None
    item_id: ColumnName | None = None
    recommendations_type: Literal["score", "rank"] = "score"
    task: Literal["classification", "regression", "recsys"] | None = None
    labels: list[Any] | None = None
    target_names: list[Any] | dict[Any, str] | None = None
    pos_label: Any = 1
    reference_present: bool = False
    skipped_columns: dict[str, list[ColumnName]] = Field(default_factory=dict)
    #: Embedding sets; their columns are not in ``columns`` (they are no features).
    embeddings: dict[str, list[ColumnName]] | None = None
    derived_columns: list[DerivedColumnDefinition] = Field(default_factory=list)
    #: The columns as drift tables and dataset summaries see them (Evidently's second typing rule,
    #: :mod:`monitorflow.dataset_columns`); None in snapshots written before it existed.
    dataset_columns: DatasetColumns | None = None

    _types: dict[ColumnName, ColumnType] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any) -> None:
        self._types = {c.name: c.type for c in [*self.columns, *self.derived_columns]}

    def with_derived(self, columns: list[DerivedColumnDefinition]) -> DataDefinition:
        """This definition plus derived columns."""
        return DataDefinition(**{**dict(self), "derived_columns": [*self.derived_columns, *columns]})

    @property
    def column_names(self) -> list[ColumnName]:
        return [c.name for c in self.columns]

    def type_of(self, column: ColumnName) -> ColumnType | None:
        return self._types.get(column)

    def has(self, column: ColumnName) -> bool:
        return column in self._types

    @property
    def utility_columns(self) -> list[ColumnName]:
        probas = list(self.prediction_probas or [])
        named = [self.target, self.prediction, self.datetime, self.id, self.user_id, self.item_id, *probas]
        return [c for c in named if c is not None]

    def columns_of_type(self, kind: ColumnType, features_only: bool = True) -> list[ColumnName]:
        utility = set(self.utility_columns) if features_only else set()
        return [c for c in self.column_names if self.type_of(c) == kind and c not in utility]

    @property
    def numerical_features(self) -> list[ColumnName]:
        return self.columns_of_type(ColumnType.NUMERICAL)

    @property
    def categorical_features(self) -> list[ColumnName]:
        return self.columns_of_type(ColumnType.CATEGORICAL)

    @property
    def text_features(self) -> list[ColumnName]:
        return self.columns_of_type(ColumnType.TEXT)

    @property
    def datetime_features(self) -> list[ColumnName]:
        return self.columns_of_type(ColumnType.DATETIME)

    @property
    def features(self) -> list[ColumnName]:
        utility = set(self.utility_columns)
        return [c for c in self.column_names if c not in utility]

    def get_columns(
        self, filter_def: ColumnType | None = None, features_only: bool = False
    ) -> list[ColumnDefinition]:
        """Columns in Evidently's order: id, user, item, datetime, target and prediction columns, then
        numerical, categorical, datetime and text features; ``filter_def`` keeps one type,
        ``features_only`` drops the role columns."""
        by_name = {c.name: c for c in self.columns}
        roles = [
            self.id,
            self.user_id,
            self.item_id,
            self.datetime,
            self.target,
            self.prediction,
            *(self.prediction_probas or []),
        ]
        ordered = [] if features_only else [by_name[r] for r in dict.fromkeys(roles) if r in by_name]
        for kind in (ColumnType.NUMERICAL, ColumnType.CATEGORICAL, ColumnType.DATETIME, ColumnType.TEXT):
            ordered.extend(by_name[c] for c in self.columns_of_type(kind))
        return [c for c in ordered if filter_def is None or c.type == filter_def]

    def get_column_names(
        self, filter_def: ColumnType | None = None, features_only: bool = False
    ) -> list[ColumnName]:
        return [c.name for c in self.get_columns(filter_def, features_only)]

    @property
    def embedding_columns(self) -> dict[ColumnName, str]:
        """The set of each embedding column."""
        return {c: name for name, columns in (self.embeddings or {}).items() for c in columns}

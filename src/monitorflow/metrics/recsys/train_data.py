"""Inputs of the beyond-accuracy recommender metrics: training interactions, top-k rows, item vectors.

Training interactions come as Evidently passes them: ``Report.run(additional_data={"current_train_data":
train_df, "reference_train_data": ref_train_df})`` with the user and item columns named as in
``ColumnMapping(user_id=..., item_id=...)``. Without ``reference_train_data`` the reference side uses
the current training data.

Item features (DiversityMetric, SerendipityMetric) are numerical columns present in the recommendation
frames and in the training data; each item's vector is taken from its first row (current, then
reference, then training rows). Distances are cosine distances, ``1 - cos``, with 1 to or from an
all-zero vector and 0 from an item to itself.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.column_mapping import ColumnType
from monitorflow.context import RunContext, Side
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, InputDataError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.column_distribution import Distribution, _categorical
from monitorflow.metrics.recsys import _role, rankings

TRAIN_KEYS = {"current": "current_train_data", "reference": "reference_train_data"}
RUN_HINT = 'Report.run(..., additional_data={"current_train_data": train_df})'


def user_column(ctx: RunContext, what: str) -> ColumnName:
    return _role(ctx, "user_id", what)


def item_column(ctx: RunContext, what: str) -> ColumnName:
    return _role(ctx, "item_id", what)


def train_frame(ctx: RunContext, side: Side, metric: str, columns: list[ColumnName]) -> pd.DataFrame:
    """The training interactions of ``side`` (current's when reference has none), with ``columns``."""
    key = TRAIN_KEYS[side]
    frame = ctx.additional_data.get(key)
    if frame is None and side == "reference":
        key, frame = TRAIN_KEYS["current"], ctx.additional_data.get(TRAIN_KEYS["current"])
    if frame is None:
        raise InputDataError(
            f"{metric} needs the training interactions (user and item columns): pass them as {RUN_HINT}"
        )
    if not isinstance(frame, pd.DataFrame):
        raise InputDataError(
            f"additional_data[{key!r}] must be a pandas DataFrame, not {type(frame).__name__}"
        )
    for column in columns:
        if column not in frame.columns:
            raise ColumnNotFoundError(column, f"{metric} (needed in the training data)", key, frame.columns)
    return frame


def top_k_mask(ctx: RunContext, side: Side, k: int) -> np.ndarray:
    """Rows ranked within k (ranks of scores by ``rank(method="average")``, as Evidently)."""
    return rankings(ctx, side).average_rank <= k


def users_per_item(train: pd.DataFrame, user: ColumnName, item: ColumnName) -> pd.Series:
    """Number of distinct users who interacted with each item."""
    return train.groupby(item)[user].nunique()


def distributions(
    kind: str, current: pd.Series, reference: pd.Series | None
) -> tuple[Distribution, Distribution | None]:
    """Counts of two samples: over shared "doane" bins (``kind="num"``) or per value (``"cat"``)."""
    if kind == "cat":
        return _categorical(current), None if reference is None else _categorical(reference)
    values = [s.to_numpy(dtype="float64", na_value=np.nan) for s in (current, reference) if s is not None]
    finite = [v[np.isfinite(v)] for v in values]
    pooled = np.concatenate(finite)
    edges = np.histogram_bin_edges(pooled, bins="doane") if pooled.size else np.array([0.0, 1.0])
    hists = [Distribution(x=edges.tolist(), y=np.histogram(v, edges)[0].tolist()) for v in finite]
    return hists[0], hists[1] if len(hists) > 1 else None


def value_kind(ctx: RunContext, column: ColumnName, where: str) -> str:
    """``"num"`` or ``"cat"`` for a bias column, or a ColumnTypeError for any other type."""
    kind = ctx.require_column(column, where)
    if kind == ColumnType.NUMERICAL:
        return "num"
    if kind == ColumnType.CATEGORICAL:
        return "cat"
    raise ColumnTypeError(
        column,
        "current_data",
        "numerical or categorical",
        fix="list it in numerical_features or categorical_features",
    )


class ItemVectors:
    """Unit-length feature vectors of items (zero vectors stay zero), looked up by item id."""

    def __init__(self, frames: list[tuple[str, pd.DataFrame]], item: ColumnName, features: list[ColumnName]):
        parts = []
        for name, frame in frames:
            missing = [f for f in [item, *features] if f not in frame.columns]
            if missing:
                raise ColumnNotFoundError(missing[0], "item_features", name, frame.columns)
            parts.append(frame[[item, *features]])
        table = pd.concat(parts, ignore_index=True).drop_duplicates(subset=[item])
        values = self._numbers(table, features)
        norms = np.linalg.norm(values, axis=1)
        self.units = values / np.where(norms > 0, norms, 1)[:, None]
        self.zero = norms == 0
        self.index = pd.Index(table[item])

    @staticmethod
    def _numbers(table: pd.DataFrame, features: list[ColumnName]) -> np.ndarray:
        for feature in features:
            column = table[feature]
            if not (pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype)):
                fix = f"item_features must be numbers: convert it with pd.to_numeric(df[{feature!r}])"
                raise ColumnTypeError(feature, "item features", "numerical", column.iloc[0], fix=fix)
            if column.isna().any():
                raise InputDataError(
                    f"item feature {feature!r} is missing for item {table.loc[column.isna()].iloc[0, 0]!r}; "
                    "cosine distances need every feature: fill it (df[col].fillna(0)) or drop the item"
                )
        return table[features].to_numpy(dtype="float64")

    def positions(self, items: Any) -> np.ndarray:
        return self.index.get_indexer(pd.Index(items))


def item_vectors(ctx: RunContext, features: list[ColumnName], metric: str) -> ItemVectors:
    """Vectors of every item in the run's frames and training data, computed once per run."""

    def build() -> ItemVectors:
        item = item_column(ctx, f"{metric} compares the items recommended to each user")
        frames = [("current_data", ctx.data("current"))]
        if ctx.has_reference:
            frames.append(("reference_data", ctx.data("reference")))
        frames += [
            (key, ctx.additional_data[key]) for key in TRAIN_KEYS.values() if key in ctx.additional_data
        ]
        return ItemVectors(frames, item, features)

    return ctx.memo(("recsys-item-vectors", tuple(features)), build)


class UserValuesResult(MetricResult):
    """A per-user value averaged over users, and the distribution of the per-user values."""

    render_fields = frozenset({"current_distr", "reference_distr"})

    k: int
    current_value: Float
    current_distr: Distribution
    reference_value: Float | None = None
    reference_distr: Distribution | None = None


def user_values_result(
    result_type: type[UserValuesResult], k: int, current: pd.Series, reference: pd.Series | None
) -> Any:
    """The result of per-user values (current, reference): their means and distributions."""
    current_distr, reference_distr = distributions("num", current, reference)
    return result_type(
        k=k,
        current_value=_mean(current),
        current_distr=current_distr,
        reference_value=None if reference is None else _mean(reference),
        reference_distr=reference_distr,
    )


def _mean(values: pd.Series) -> float:
    return float(values.mean()) if len(values) else math.nan


def vector_sums(vectors: ItemVectors, users: np.ndarray, items: np.ndarray, n_users: int) -> np.ndarray:
    """Per user, the sum of the unit vectors of the items in its rows (``users`` are codes < n_users)."""
    sums = np.zeros((n_users, vectors.units.shape[1]))
    np.add.at(sums, users, vectors.units[vectors.positions(items)])
    return sums


def zero_item_counts(vectors: ItemVectors, users: np.ndarray, items: np.ndarray) -> pd.Series:
    """Rows per (user code, item) of items whose vector is all zeros."""
    zero = vectors.zero[vectors.positions(items)]
    return pd.DataFrame({"user": users[zero], "item": items[zero]}).value_counts()


class BiasResult(MetricResult):
    """A column's distribution in the recommendations (``*_distr``) and in training (``*_train_distr``)."""

    render_fields = frozenset(
        {"current_train_distr", "current_distr", "reference_train_distr", "reference_distr"}
    )

    column_name: ColumnName
    current_train_distr: Distribution
    current_distr: Distribution
    reference_train_distr: Distribution | None = None
    reference_distr: Distribution | None = None


B = TypeVar("B", bound=BiasResult)


class BiasMetric(Metric[B]):
    """ItemBiasMetric and UserBiasMetric: one column in the recommendations vs in the training data."""

    group = "recsys"
    if TYPE_CHECKING:  # declared by the subclasses, in Evidently's positional order
        column_name: ColumnName

    def key_column(self, ctx: RunContext) -> ColumnName:
        """The column whose distinct values are counted once in the training data."""
        raise NotImplementedError

    def recommended(self, ctx: RunContext, side: Side) -> pd.Series:
        """The column's values on the recommendation side."""
        raise NotImplementedError

    def extra(self) -> dict[str, Any]:
        return {}

    def calculate(self, ctx: RunContext) -> B:
        kind = value_kind(ctx, self.column_name, f"{self.type_name}.column_name")
        key = self.key_column(ctx)
        out: dict[str, Any] = {}
        present: list[Side] = ["current", "reference"] if ctx.has_reference else ["current"]
        for side in present:
            train = train_frame(ctx, side, self.type_name, [key, self.column_name])
            training = train.drop_duplicates(subset=[key], keep="last")[self.column_name]
            out[f"{side}_distr"], out[f"{side}_train_distr"] = distributions(
                kind, self.recommended(ctx, side), training
            )
        build: Any = self.result_type
        return cast(B, build(column_name=self.column_name, **self.extra(), **out))

"""Conflicting labels: rows with the same features but a different target (or prediction).

Definition
----------
Rows are grouped by their values in every feature column (all columns except target, prediction,
prediction probabilities, datetime and id). Missing values are equal to each other (NaN, None and NaT
alike), as in ``DataFrame.groupby(features, dropna=False)``. A group *conflicts* when its target (resp.
prediction) takes more than one distinct value, a missing target counting as one more value.

``number_not_stable_target`` counts **every row of a conflicting group**; ``share_not_stable_target`` is
that count divided by the number of rows, at full precision. Example: four rows with equal features and
targets ``0, 0, 1, NaN`` count 4. (Evidently's legacy metric subtracts the rows duplicated on features +
target, so it would count 1 there, and it rounds the share to 3 decimals.)

For a prediction given as probability columns, the prediction of a row is the tuple of its probabilities.

Computation: each feature column is factorised (missing -> one code), rows of codes are hashed with
``pd.util.hash_pandas_object`` and grouped by hash; only hash groups with more than one distinct
target are candidates, and those are regrouped exactly on the codes, so a hash collision can never
merge two different feature rows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.context import RunContext, Side
from monitorflow.errors import ConfigurationError
from monitorflow.metrics.base import Metric, MetricResult


def _codes(frame: pd.DataFrame, columns: list[ColumnName]) -> np.ndarray:
    """``(rows, columns)`` int64 factor codes; every missing value gets code -1."""
    out = np.empty((len(frame.index), len(columns)), dtype=np.int64)
    for i, column in enumerate(columns):
        out[:, i] = pd.factorize(frame[column], use_na_sentinel=True)[0]
    return out


def _row_ids(codes: np.ndarray) -> np.ndarray:
    """One id per distinct row of ``codes`` (exact, no hashing): mixed-radix number, else groupby."""
    if codes.shape[1] == 1:
        return codes[:, 0]
    sizes = codes.max(axis=0) + 2  # codes run from -1
    if float(np.prod(sizes.astype(float))) < 2.0**62:
        ids = np.zeros(codes.shape[0], dtype=np.int64)
        for column, size in zip(codes.T, sizes, strict=True):
            ids = ids * int(size) + (column + 1)
        return ids
    frame = pd.DataFrame(codes)
    return frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()


def _conflicting(groups: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Boolean per row: its group holds more than one distinct outcome."""
    order = np.lexsort((outcome, groups))
    g, o = groups[order], outcome[order]
    new_group = np.concatenate(([True], g[1:] != g[:-1]))
    new_value = new_group | np.concatenate(([True], o[1:] != o[:-1]))
    group_index = np.cumsum(new_group) - 1
    values_per_group = np.bincount(group_index, weights=new_value)
    flags = np.empty(groups.size, dtype=bool)
    flags[order] = values_per_group[group_index] > 1
    return flags


def count_conflicts(frame: pd.DataFrame, features: list[ColumnName], outcome: list[ColumnName]) -> int:
    """Rows in groups of equal features whose ``outcome`` columns take more than one value."""
    if len(frame.index) < 2:
        return 0
    feature_codes = _codes(frame, features)
    outcome_ids = _row_ids(_codes(frame, outcome))
    hashes = pd.util.hash_pandas_object(pd.DataFrame(feature_codes), index=False).to_numpy()
    candidates = np.flatnonzero(_conflicting(hashes, outcome_ids))
    if candidates.size == 0:
        return 0
    exact_groups = _row_ids(feature_codes[candidates])
    return int(np.count_nonzero(_conflicting(exact_groups, outcome_ids[candidates])))


def count_lone_outcomes(frame: pd.DataFrame, features: list[ColumnName], outcome: list[ColumnName]) -> int:
    """Rows whose features repeat in another row but whose (features, outcome) combination does not:
    Evidently's "not stable" rows (targets 0, 0, 1 on equal features: the 1 only)."""
    feature_codes = _codes(frame, features)
    repeated = _in_repeated_group(_row_ids(feature_codes))
    lone = ~_in_repeated_group(_row_ids(np.hstack([feature_codes, _codes(frame, outcome)])))
    return int(np.count_nonzero(repeated & lone))


def _in_repeated_group(ids: np.ndarray) -> np.ndarray:
    """Boolean per row: another row has the same id."""
    _, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
    return counts[inverse] > 1


def _features(ctx: RunContext, metric: str) -> list[ColumnName]:
    features = ctx.definition.features
    if not features:
        raise ConfigurationError(
            f"{metric} needs at least one feature column, but every column is target, prediction, datetime "
            "or id; conflicts are rows with equal features, so pass data with feature columns",
            argument="column_mapping",
        )
    return features


def _count(
    ctx: RunContext, side: Side, features: list[ColumnName], outcome: list[ColumnName]
) -> tuple[int, float]:
    frame = ctx.data(side)
    number = count_conflicts(frame, features, outcome)
    rows = len(frame.index)
    return number, number / rows if rows else math.nan


# ------------------------------------------------------------------------------------- target


class ConflictTargetMetricResults(MetricResult):
    number_not_stable_target: int
    share_not_stable_target: Float
    number_not_stable_target_ref: int | None = None
    share_not_stable_target_ref: Float | None = None


class ConflictTargetMetric(Metric[ConflictTargetMetricResults]):
    """Rows whose features equal another row's but whose target differs (see the module docstring)."""

    result_type = ConflictTargetMetricResults

    def calculate(self, ctx: RunContext) -> ConflictTargetMetricResults:
        target = ctx.definition.target
        if target is None:
            raise ConfigurationError(
                "ConflictTargetMetric needs a target column, and this run has none (column_mapping.target is "
                "None or names a column that is not in the data); set ColumnMapping(target=<column>)",
                argument="column_mapping.target",
            )
        features = _features(ctx, "ConflictTargetMetric")
        number, share = _count(ctx, "current", features, [target])
        result = ConflictTargetMetricResults(number_not_stable_target=number, share_not_stable_target=share)
        if ctx.has_reference:
            ref_number, ref_share = _count(ctx, "reference", features, [target])
            result = result.model_copy(
                update={"number_not_stable_target_ref": ref_number, "share_not_stable_target_ref": ref_share}
            )
        return result


# --------------------------------------------------------------------------------- prediction


class ConflictPredictionData(MetricResult):
    number_not_stable_prediction: int
    share_not_stable_prediction: Float


class ConflictPredictionMetricResults(MetricResult):
    """Evidently's nested shape; the flat ``*_prediction`` / ``*_prediction_ref`` names are properties."""

    current: ConflictPredictionData
    reference: ConflictPredictionData | None = None

    @property
    def number_not_stable_prediction(self) -> int:
        return self.current.number_not_stable_prediction

    @property
    def share_not_stable_prediction(self) -> float:
        return self.current.share_not_stable_prediction

    @property
    def number_not_stable_prediction_ref(self) -> int | None:
        return self.reference.number_not_stable_prediction if self.reference is not None else None

    @property
    def share_not_stable_prediction_ref(self) -> float | None:
        return self.reference.share_not_stable_prediction if self.reference is not None else None


class ConflictPredictionMetric(Metric[ConflictPredictionMetricResults]):
    """Rows whose features equal another row's but whose prediction differs (see the module docstring)."""

    result_type = ConflictPredictionMetricResults

    def calculate(self, ctx: RunContext) -> ConflictPredictionMetricResults:
        definition = ctx.definition
        if definition.prediction is not None:
            outcome = [definition.prediction]
        elif definition.prediction_probas:
            outcome = list(definition.prediction_probas)
        else:
            raise ConfigurationError(
                "ConflictPredictionMetric needs a prediction column, and this run has none "
                "(column_mapping.prediction "
                "is None or names a column that is not in the data); set ColumnMapping(prediction=<column>)",
                argument="column_mapping.prediction",
            )
        features = _features(ctx, "ConflictPredictionMetric")

        def data(side: Side) -> ConflictPredictionData:
            number, share = _count(ctx, side, features, outcome)
            return ConflictPredictionData(
                number_not_stable_prediction=number, share_not_stable_prediction=share
            )

        return ConflictPredictionMetricResults(
            current=data("current"), reference=data("reference") if ctx.has_reference else None
        )


__all__ = [
    "ConflictPredictionData",
    "ConflictPredictionMetric",
    "ConflictPredictionMetricResults",
    "ConflictTargetMetric",
    "ConflictTargetMetricResults",
    "count_conflicts",
]

"""TargetByFeaturesTable: the target and the prediction per feature bucket, as bounded counts (the
buckets: :mod:`monitorflow.metrics.plot_buckets`)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float, column_key
from monitorflow.column_mapping import ColumnType
from monitorflow.column_stats import HISTOGRAM_BINS, to_float_array
from monitorflow.context import SIDES, RunContext, Side
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_data import dataset_name
from monitorflow.metrics.classification_side import predictions, rows_of
from monitorflow.metrics.plot_buckets import (
    PlotMetric,
    bin_codes,
    category_codes,
    column_categories,
    column_category_codes,
    column_floats,
    counts_2d,
    first_value,
    grouped_stats,
    require_reference,
    shared_edges,
    top_values,
)

#: Bins of a numerical feature in TargetByFeaturesTable.
FEATURE_BINS = HISTOGRAM_BINS
#: Bins of a numerical target / prediction in TargetByFeaturesTable (shared by both and both datasets).
VALUE_BINS = 10


class RoleByFeature(MetricResult):
    """The target (or prediction) per feature bucket: ``counts[bucket][j]`` rows whose value falls in
    bin ``j`` of ``value_edges`` (regression) or is label ``j`` of ``labels``, the last column counting
    the other labels (classification); ``mean`` of the value per bucket (regression). Rows where the
    value is missing are left out."""

    counts: list[list[int]]
    mean: list[Float] | None = None


class FeatureBins(MetricResult):
    """One feature on one dataset. Buckets: the ``edges`` bins of a numerical feature, or the
    ``categories`` then other categories; the last bucket holds rows where the feature is missing."""

    feature_type: Literal["num", "cat"]
    edges: list[float] | None = None
    categories: list[Any] | None = None
    count: list[int]
    target: RoleByFeature | None = None
    prediction: RoleByFeature | None = None


class TargetByFeaturesTableResults(MetricResult):
    """Target and prediction by feature. Text features appear as two numerical descriptors each:
    ``'<column>: Text Length'`` and ``'<column>: Non Letter Character %'``."""

    target_name: ColumnName | None = None
    prediction_name: ColumnName | list[ColumnName] | None = None
    columns: list[str]
    task: Literal["classification", "regression"]
    #: Classification: the labels counted (the ``TOP_CATEGORIES`` most frequent, sorted when sortable).
    labels: list[Any] | None = None
    #: Regression: bins of the target and prediction values, shared by both datasets.
    value_edges: list[float] | None = None
    current: dict[str, FeatureBins]
    reference: dict[str, FeatureBins] | None = None


TEXT_DESCRIPTORS = ("Text Length", "Non Letter Character %")


def _text_descriptor(series: pd.Series, name: str) -> np.ndarray:
    """Evidently's text descriptors (a missing text counts as 0)."""
    texts = series.tolist()
    out: list[int] | list[float]
    if name == "Text Length":
        out = [len(t) if isinstance(t, str) else 0 for t in texts]
    else:
        out = [
            100.0 * sum(1 for ch in t if not ch.isalpha() and ch != " ") / len(t)
            if isinstance(t, str) and t
            else 0.0
            for t in texts
        ]
    return np.asarray(out, dtype=np.float64)


@dataclass(eq=False)
class _Feature:
    key: str
    kind: Literal["num", "cat"]
    values: dict[Side, np.ndarray]  # floats (num) or bucket codes (cat)
    edges: np.ndarray | None = None
    categories: list[Any] | None = None

    @property
    def buckets(self) -> int:
        if self.edges is not None:
            return self.edges.size  # bins + missing
        return len(self.categories or []) + 2

    def codes(self, side: Side) -> np.ndarray:
        if self.edges is None:
            return self.values[side]
        codes = bin_codes(self.values[side], self.edges)
        codes[codes < 0] = self.edges.size - 1
        return codes


class TargetByFeaturesTable(PlotMetric[TargetByFeaturesTableResults]):
    """How the target and the prediction relate to each feature, on reference and current.

    Kept per feature and dataset: rows per feature bucket, and for the target and the prediction a
    bucket x value count table (value bins for regression, labels for classification) plus the mean
    value per bucket (regression). Evidently's scatter plots (regression) and per-label histograms
    (classification) are drawn from these counts.
    """

    result_type = TargetByFeaturesTableResults
    columns: list[ColumnName] | None = None

    def _features(self, ctx: RunContext) -> list[ColumnName]:
        definition = ctx.definition
        allowed = [
            *definition.numerical_features,
            *definition.categorical_features,
            *definition.text_features,
        ]
        if self.columns is None:
            return allowed
        chosen: list[ColumnName] = []
        for column in self.columns:
            kind = ctx.require_column(column, f"{self.type_name}.columns")
            if column not in allowed:
                role = (
                    "a target, prediction, id or datetime column"
                    if kind != ColumnType.DATETIME
                    else "a datetime column"
                )
                raise ConfigurationError(
                    f"{self.type_name}.columns lists {column!r}, {role}; list numerical, categorical or text "
                    f"features only: {allowed!r}",
                    argument="columns",
                )
            if column not in chosen:
                chosen.append(column)
        return chosen

    def calculate(self, ctx: RunContext) -> TargetByFeaturesTableResults:
        definition = ctx.definition
        target, prediction, probas = definition.target, definition.prediction, definition.prediction_probas
        if target is None and prediction is None and not probas:
            raise ColumnNotFoundError(
                "target",
                "column_mapping.target (TargetByFeaturesTable needs a target or a prediction column; "
                "set ColumnMapping(target='your target', prediction='your prediction'))",
                "current_data",
                definition.column_names,
            )
        require_reference(ctx, self.type_name)
        task = definition.task
        if task is None:
            role = target if target is not None else prediction
            categorical = bool(probas) or (
                role is not None and definition.type_of(role) == ColumnType.CATEGORICAL
            )
            task = "classification" if categorical else "regression"
        roles = self._roles(ctx, task)
        labels: list[Any] | None = None
        value_edges: np.ndarray | None = None
        role_codes: dict[tuple[str, Side], np.ndarray] = {}
        role_values: dict[tuple[str, Side], np.ndarray] = {}
        if task == "regression":
            value_edges = shared_edges(list(roles.values()), VALUE_BINS)
            for key, values in roles.items():
                role_values[key] = values
                role_codes[key] = bin_codes(values, value_edges)
            n_values = VALUE_BINS
        else:
            labels = top_values(list(roles.values()))
            with contextlib.suppress(TypeError):  # mixed kinds: keep the most frequent first
                labels = sorted(labels)
            for key, series in roles.items():
                codes = category_codes(series, labels)
                codes[codes == len(labels) + 1] = -1  # a missing label is left out
                role_codes[key] = codes
            n_values = len(labels) + 1

        results: dict[Side, dict[str, FeatureBins]] = {"current": {}, "reference": {}}
        features = [f for column in self._features(ctx) for f in self._prepare(ctx, column)]
        for feature in features:
            for side in ("current", "reference"):
                codes = feature.codes(side)
                n = feature.buckets
                parts: dict[str, RoleByFeature] = {}
                for role in ("target", "prediction"):
                    if (role, side) not in role_codes:
                        continue
                    mean = None
                    if task == "regression":
                        mean = grouped_stats(codes, role_values[(role, side)], n).mean
                    parts[role] = RoleByFeature(
                        counts=counts_2d(codes, role_codes[(role, side)], n, n_values), mean=mean
                    )
                results[side][feature.key] = FeatureBins(
                    feature_type=feature.kind,
                    edges=feature.edges.tolist() if feature.edges is not None else None,
                    categories=feature.categories,
                    count=np.bincount(codes, minlength=n).tolist(),
                    **parts,
                )
        return TargetByFeaturesTableResults(
            target_name=target,
            prediction_name=prediction if prediction is not None else probas,
            columns=[f.key for f in features],
            task=task,
            labels=labels,
            value_edges=value_edges.tolist() if value_edges is not None else None,
            current=results["current"],
            reference=results["reference"],
        )

    def _roles(self, ctx: RunContext, task: str) -> dict[tuple[str, Side], Any]:
        """Per (role, side): float values (regression) or label series (classification)."""
        definition = ctx.definition
        out: dict[tuple[str, Side], Any] = {}
        for side in ("current", "reference"):
            frame = ctx.data(side)
            for role, column in (("target", definition.target), ("prediction", definition.prediction)):
                if column is None:
                    continue
                kind = definition.type_of(column)
                if task == "regression":
                    if kind != ColumnType.NUMERICAL:
                        raise ColumnTypeError(
                            column,
                            dataset_name(side),
                            "numerical",
                            first_value(frame[column]),
                            fix=f"with task='regression' the {role} must hold numbers; convert it with "
                            f"pd.to_numeric, or set ColumnMapping(task='classification')",
                        )
                    out[(role, side)] = to_float_array(frame[column])
                elif role == "prediction" and kind == ColumnType.NUMERICAL:
                    out[(role, side)] = self._predicted_labels(ctx, side)
                else:
                    out[(role, side)] = frame[column]
            if definition.prediction is None and definition.prediction_probas:
                out[("prediction", side)] = self._predicted_labels(ctx, side)
        return out

    @staticmethod
    def _predicted_labels(ctx: RunContext, side: Side) -> pd.Series:
        """Labels predicted from probabilities: as the classification metrics decide them (threshold
        0.5 for binary, else the most probable class); without a target, the most probable column."""
        frame = ctx.data(side)
        definition = ctx.definition
        if definition.target is not None:
            data = rows_of(ctx, side)
            codes = predictions(ctx, side)
            labels = np.empty(len(frame.index), dtype=object)
            labels[:] = None
            values = np.array(list(data.space.labels) + [None], dtype=object)
            if data.kept is None:
                labels[:] = values[codes]
            else:
                labels[data.kept] = values[codes]
            return pd.Series(labels, dtype=object)
        columns = list(definition.prediction_probas or [])
        probas = frame[columns].to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(probas).any(axis=1)
        names = np.array(columns + [None], dtype=object)
        best = np.where(missing, len(columns), np.argmax(np.nan_to_num(probas, nan=-np.inf), axis=1))
        return pd.Series(names[best], dtype=object)

    def _prepare(self, ctx: RunContext, column: ColumnName) -> list[_Feature]:
        kind = ctx.definition.type_of(column)
        key = column_key(column)
        if kind == ColumnType.NUMERICAL:
            values = {s: column_floats(ctx, s, column) for s in SIDES}
            return [_Feature(key, "num", values, edges=shared_edges(list(values.values()), FEATURE_BINS))]
        if kind == ColumnType.CATEGORICAL:
            values = {s: column_category_codes(ctx, s, column) for s in SIDES}
            return [_Feature(key, "cat", values, categories=column_categories(ctx, column))]
        features = []
        for name in TEXT_DESCRIPTORS:
            values = {s: _text_descriptor(ctx.data(s)[column], name) for s in SIDES}
            edges = shared_edges(list(values.values()), FEATURE_BINS)
            features.append(_Feature(f"{key}: {name}", "num", values, edges=edges))
        return features

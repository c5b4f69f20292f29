"""ClassificationQualityByFeatureTable: classification quality per bin or category of each feature.

The table is counts, not rows: per feature, bucket, actual and predicted label, the number of rows
(a cube of buckets x labels x labels). The cube is summed over chunks of rows (a DataFrame is one
chunk, a lazy source's partitions are many); the buckets come from the features' finite ranges
(numerical: the edges every side shares) and value counts (categorical: the most frequent values).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float, column_key
from monitorflow.column_mapping import ColumnType, python_scalar
from monitorflow.column_stats import HISTOGRAM_BINS, TOP_CATEGORIES, histogram_edges, to_float_array
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification import _ClassificationMetric
from monitorflow.metrics.classification_data import (
    LabelSpace,
    finite_or_nan,
    label_counts,
    label_space,
    per_class_scores,
    sides,
)
from monitorflow.metrics.classification_side import side_data


class FeatureQuality(MetricResult):
    """Quality per bucket of one feature. Buckets: the ``edges`` bins of a numerical feature, or the
    ``categories`` then one bucket of the other categories; the last bucket holds the rows where the
    feature is missing (or infinite). Precision, recall and F1 as in ClassificationQualityMetric."""

    feature_type: str
    edges: list[float] | None = None
    categories: list[Any] | None = None
    count: list[int]
    accuracy: list[Float]
    precision: list[Float]
    recall: list[Float]
    f1: list[Float]
    #: ``[bucket][label]``: rows per actual label and per predicted label.
    target_counts: list[list[int]]
    prediction_counts: list[list[int]]


class ClassificationQualityByFeatureTableResults(MetricResult):
    target_name: ColumnName
    columns: list[ColumnName]
    labels: list[Any]
    current: dict[str, FeatureQuality]
    reference: dict[str, FeatureQuality] | None = None


def _cube_quality(cube: np.ndarray, space: LabelSpace) -> dict[str, Any]:
    """The table's columns from the (buckets, labels, labels) counts."""
    per_class = per_class_scores(cube)
    count = cube.sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.trace(cube, axis1=1, axis2=2) / count
        if space.is_binary:
            pos = space.pos
            precision, recall, f1 = (per_class[name][:, pos] for name in ("precision", "recall", "f1"))
        else:
            present = per_class["present"]
            n_present = present.sum(axis=1)
            precision, recall, f1 = (
                (per_class[name] * present).sum(axis=1) / n_present for name in ("precision", "recall", "f1")
            )
    return {
        "count": count.tolist(),
        "accuracy": [finite_or_nan(v) for v in accuracy],
        "precision": [finite_or_nan(v) for v in precision],
        "recall": [finite_or_nan(v) for v in recall],
        "f1": [finite_or_nan(v) for v in f1],
        "target_counts": cube.sum(axis=2).tolist(),
        "prediction_counts": cube.sum(axis=1).tolist(),
    }


def _top_categories(ctx: RunContext, column: ColumnName) -> list[Any]:
    totals: dict[Any, int] = {}
    for side in sides(ctx):
        for value, count in label_counts(ctx, side, column):
            totals[value] = totals.get(value, 0) + count
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    return [value for value, _ in ranked[:TOP_CATEGORIES]]


def finite_range(ctx: RunContext, side: Side, column: ColumnName) -> np.ndarray:
    """``[min, max]`` of the column's finite values (empty when there is none): from the rows, or
    from an out-of-core context's profile (its ``finite_range``)."""
    counted = getattr(ctx, "finite_range", None)
    if counted is not None:
        return np.asarray(counted(column, side), dtype=np.float64)
    values = to_float_array(ctx.data(side)[column])
    with np.errstate(invalid="ignore"):
        low, high = np.nanmin(values, initial=np.inf), np.nanmax(values, initial=-np.inf)
    if not (np.isfinite(low) and np.isfinite(high)):
        finite = values[np.isfinite(values)]
        if not finite.size:
            return finite
        low, high = finite.min(), finite.max()
    return np.array([low, high])


#: A feature's bucket per row of a chunk, and the number of buckets.
Bucketing = tuple[Callable[[pd.Series], np.ndarray], int]


def _numerical_buckets(edges: np.ndarray) -> Bucketing:
    bins = edges.size - 1

    def buckets(series: pd.Series) -> np.ndarray:
        values = to_float_array(series)
        finite = np.isfinite(values)
        with np.errstate(invalid="ignore"):
            scaled = (values - edges[0]) * (bins / (edges[-1] - edges[0]))
        return np.where(finite, np.clip(scaled, 0, bins - 1), bins).astype(np.int64)

    return buckets, bins + 1


def _categorical_buckets(categories: list[Any]) -> Bucketing:
    index = {value: i for i, value in enumerate(categories)}
    other, missing = len(categories), len(categories) + 1

    def buckets(series: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        lut = [index.get(python_scalar(value), other) for value in uniques.tolist()] + [missing]
        return np.asarray(lut, dtype=np.int64)[codes]

    return buckets, len(categories) + 2


class ClassificationQualityByFeatureTable(_ClassificationMetric[ClassificationQualityByFeatureTableResults]):
    """Per feature: accuracy, precision, recall, F1 and label counts per bin or category (no rows)."""

    result_type = ClassificationQualityByFeatureTableResults
    columns: list[ColumnName] | None = None

    def calculate(self, ctx: RunContext) -> ClassificationQualityByFeatureTableResults:
        space = label_space(ctx)
        definition = ctx.definition
        features = [*definition.numerical_features, *definition.categorical_features]
        if self.columns is not None:
            for column in self.columns:
                ctx.require_column(column, f"{self.type_name}.columns")
            wanted = set(self.columns)
            features = [c for c in definition.column_names if c in wanted and c in set(features)]
        bucketing: dict[ColumnName, Bucketing] = {}
        described: dict[ColumnName, dict[str, Any]] = {}
        for column in features:
            if definition.type_of(column) == ColumnType.NUMERICAL:
                ranges = [finite_range(ctx, s, column) for s in sides(ctx)]
                edges = histogram_edges(*(r for r in ranges if r.size), bins=HISTOGRAM_BINS)
                bucketing[column] = _numerical_buckets(edges)
                described[column] = {"feature_type": "num", "edges": edges.tolist()}
            else:
                categories = _top_categories(ctx, column)
                bucketing[column] = _categorical_buckets(categories)
                described[column] = {"feature_type": "cat", "categories": list(categories)}
        results: dict[Side, dict[str, FeatureQuality]] = {}
        for side in sides(ctx):
            cubes = side_data(ctx, side).feature_cubes(bucketing)
            results[side] = {
                column_key(column): FeatureQuality(**described[column], **_cube_quality(cubes[column], space))
                for column in features
            }
        return ClassificationQualityByFeatureTableResults(
            target_name=space.target,
            columns=features,
            labels=list(space.labels),
            current=results["current"],
            reference=results.get("reference"),
        )

"""The per-feature table of a fixed reference without reading its rows again in the next run.

ClassificationQualityByFeatureTable counts rows per (bucket, actual label, predicted label), and its
buckets depend on both sides (the numerical edges span both ranges, the categories are both sides'
most frequent). So a reference kept in a profile cache keeps instead what any bucketing is computed
from, per cell (actual x predicted label) of the kept rows: a categorical feature's value counts, and
a numerical feature's finite values, sorted (files in the cache, like the score samples), plus the
rows where the feature is missing. A bucket function is monotone in the value, so applying it to the
distinct values and adding their counts gives the counts of the rows, exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from monitorflow.column_mapping import ColumnType, python_scalar
from monitorflow.column_stats import to_float_array
from monitorflow.metrics.classification_data import LabelSpace, dataset_name
from monitorflow.metrics.classification_side import Rows, predicted_codes
from monitorflow.sorted_values import runs_of


@dataclass
class FeatureCells:
    """Per feature and cell (``actual * K + predicted``) of kept rows: missing-value rows; per value of
    a categorical feature its rows; finite-value rows of a numerical feature. Merges by adding."""

    missing: dict[Any, np.ndarray] = field(default_factory=dict)
    values: dict[Any, dict[Any, np.ndarray]] = field(default_factory=dict)
    finite: dict[Any, np.ndarray] = field(default_factory=dict)

    def merge(self, other: FeatureCells) -> FeatureCells:
        values = {column: dict(counts) for column, counts in self.values.items()}
        for column, counts in other.values.items():
            mine = values[column]
            for key, count in counts.items():
                mine[key] = mine[key] + count if key in mine else count
        return FeatureCells(
            {c: m + other.missing[c] for c, m in self.missing.items()},
            values,
            {c: f + other.finite[c] for c, f in self.finite.items()},
        )


def _cells(space: LabelSpace, rows: Rows) -> np.ndarray:
    k = len(space.labels)
    return rows.y * k + predicted_codes(space, rows)


def count_cells(
    frame: pd.DataFrame, space: LabelSpace, dataset: str, numerical: list[Any], categorical: list[Any]
) -> FeatureCells:
    """The :class:`FeatureCells` of one partition (a task on the run's executor)."""
    from monitorflow.metrics.classification_lazy import prepared  # cycle: it builds on this module

    rows = prepared(frame, space, dataset)
    cells, size = _cells(space, rows), len(space.labels) ** 2
    out = FeatureCells()
    for column in numerical:
        values = _kept(to_float_array(frame[column]), rows)
        finite = np.isfinite(values)
        out.finite[column] = np.bincount(cells[finite], minlength=size)
        out.missing[column] = np.bincount(cells[~finite], minlength=size)
    for column in categorical:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        codes = _kept(np.asarray(codes, dtype=np.int64), rows)
        out.missing[column] = np.bincount(cells[codes < 0], minlength=size)
        present = codes >= 0
        table = np.bincount(codes[present] * size + cells[present], minlength=len(uniques) * size)
        counts: dict[Any, np.ndarray] = {}
        for key, row in zip(uniques.tolist(), table.reshape(len(uniques), size), strict=True):
            key = python_scalar(key)  # the bucket functions look values up by their Python value
            counts[key] = counts[key] + row if key in counts else row
        out.values[column] = counts
    return out


def _kept(values: np.ndarray, rows: Rows) -> np.ndarray:
    return values if rows.kept is None else values[rows.kept]


def kept_feature_cubes(data: Any, bucketing: dict[Any, tuple[Any, int]]) -> dict[Any, np.ndarray]:
    """``feature_cubes`` of a lazy side from its cells (kept in its profile cache): see the module."""
    ctx, side, space = data.ctx, data.side, data.space
    k = len(space.labels)
    numerical = [c for c in bucketing if ctx.definition.type_of(c) == ColumnType.NUMERICAL]
    categorical = [c for c in bucketing if c not in numerical]
    name = f"feature-cells:{data.cache_name}:{numerical!r}:{categorical!r}"
    count = partial(
        count_cells, space=space, dataset=dataset_name(side), numerical=numerical, categorical=categorical
    )
    cells: FeatureCells = ctx.summary(side, name, [*data.columns, *bucketing], count, FeatureCells.merge)
    sizes = {(c, cell): int(n) for c in numerical for cell, n in enumerate(cells.finite[c]) if n}
    ordered = ctx.sort_samples(side, partial(_read_cells, data, numerical), sizes, name) if sizes else {}
    cubes = {}
    for column, (buckets_of, size) in bucketing.items():
        cube = np.zeros((size, k * k), dtype=np.int64)
        cube[size - 1] += cells.missing[column]
        if column in cells.values:
            keys = list(cells.values[column])
            if keys:
                buckets = buckets_of(pd.Series(keys, dtype=object))
                np.add.at(cube, buckets, np.stack([cells.values[column][key] for key in keys]))
        for (feature, cell), values in ordered.items():
            if feature == column:
                for distinct, counts in runs_of(values):
                    found = np.bincount(buckets_of(pd.Series(distinct)), weights=counts, minlength=size)
                    cube[:, cell] += found.astype(np.int64)
        cubes[column] = cube.reshape(size, k, k)
    return cubes


def _read_cells(data: Any, numerical: list[Any], keys: list[Any]) -> Iterator[dict[Any, np.ndarray]]:
    """Per partition, the finite values of each (numerical feature, cell) in ``keys``."""
    k = len(data.space.labels)
    for rows, frame in data.frames(numerical):
        cells = rows.y * k + predicted_codes(data.space, rows)
        values = {c: _kept(to_float_array(frame[c]), rows) for c in {column for column, _ in keys}}
        yield {(c, cell): values[c][np.isfinite(values[c]) & (cells == cell)] for c, cell in keys}

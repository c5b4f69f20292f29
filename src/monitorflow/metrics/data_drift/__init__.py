"""Data drift: one statistical test per column, and the share of drifted columns.

Each column's drift is computed once per run and shared by ColumnDriftMetric, DataDriftTable,
DatasetDriftMetric and the drift tests (``ctx.memo``). Numerical columns reuse the sorted finite
values of ``ctx.stats`` (already free of NaN and infinity); other columns drop missing and infinite values.

Option precedence (as Evidently's): the stattest of a column is ``per_column_stattest[column]``,
else ``num_stattest`` / ``cat_stattest`` / ``text_stattest`` for its type, else ``stattest``, else
the default choice (:func:`monitorflow.stattests.default_stattest`). Thresholds resolve the same
way, independently, and fall back to the chosen test's default threshold.

Submodules, at Evidently's import paths: ``embeddings_drift`` (EmbeddingsDriftMetric) and
``embedding_drift_methods`` (its methods ``model``, ``ratio``, ``distance``, ``mmd``).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from pydantic import Field

from monitorflow._types import ColumnName, Float, column_key
from monitorflow.context import RunContext
from monitorflow.dataset_columns import ColumnsOfRun, columns_of_run
from monitorflow.errors import ColumnNotFoundError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.data_drift.column_drift import (  # also importable from here, as before
    NBINSX,
    ColumnDriftResult,
    DriftDistribution,
    DriftStatsField,
    SmallDistribution,
    column_drift,
    drift_columns,
)
from monitorflow.metrics.data_drift.feature_importance import FeatureImportanceMetric
from monitorflow.metrics.data_drift.options import (  # also importable from here, as before
    DriftOptions,
    StatTestSpec,
)

__all__ = [
    "ColumnDriftMetric",
    "ColumnDriftResult",
    "DataDriftTable",
    "DataDriftTableResult",
    "DatasetDriftMetric",
    "DatasetDriftResult",
    "DriftDistribution",
    "DriftOptions",
    "DriftStatsField",
    "NBINSX",
    "SmallDistribution",
    "StatTestSpec",
    "column_drift",
    "drift_columns",
    "drift_table",
]


class ColumnDriftMetric(DriftOptions, Metric[ColumnDriftResult]):
    """Drift of one column between reference and current."""

    result_type = ColumnDriftResult
    group = "data drift"

    column_name: ColumnName

    def calculate(self, ctx: RunContext) -> ColumnDriftResult:
        return column_drift(ctx, self.column_name, self, "ColumnDriftMetric.column_name")


class DataDriftTableResult(MetricResult):
    number_of_columns: int
    number_of_drifted_columns: int
    share_of_drifted_columns: Float
    dataset_drift: bool
    drift_share: float
    drift_by_columns: dict[str, ColumnDriftResult]
    #: Feature importances (``DataDriftTable(feature_importance=True)``): given in ``additional_data``
    #: (``current_feature_importance`` / ``reference_feature_importance``) or learnt by a random forest.
    current_fi: dict[str, Float] | None = None
    reference_fi: dict[str, Float] | None = None
    #: The run's columns (Evidently's ``DatasetColumns``); left out of as_dict() and snapshots, as Evidently
    #: leaves it out.
    dataset_columns: ColumnsOfRun | None = Field(None, exclude=True)


def drift_table(
    ctx: RunContext, options: DriftOptions, columns: list[ColumnName] | None, drift_share: float
) -> DataDriftTableResult:
    chosen = drift_columns(ctx.definition, columns)
    present = set(ctx.current.columns) & (set(ctx.reference.columns) if ctx.reference is not None else set())
    missing = [c for c, kind in chosen if not ctx.definition.has(c) and (kind is None or c not in present)]
    if missing:
        raise ColumnNotFoundError(
            missing[0], "the drift columns", "current_data and reference_data", ctx.definition.column_names
        )
    # Columns are independent and numpy releases the GIL while it sorts and counts: use every core.
    with ThreadPoolExecutor(max_workers=max(1, min(len(chosen), os.cpu_count() or 1))) as pool:
        results = list(pool.map(lambda ck: column_drift(ctx, ck[0], options, "columns", ck[1]), chosen))
    by_column = {column_key(c): r for (c, _), r in zip(chosen, results, strict=True)}
    return table_of(DataDriftTableResult, by_column, drift_share, columns_of_run(ctx.definition))


TableT = TypeVar("TableT", bound=DataDriftTableResult)


def table_of(
    result_type: type[TableT],
    by_column: dict[str, ColumnDriftResult],
    drift_share: float,
    dataset_columns: ColumnsOfRun,
) -> TableT:
    """The drift table of the columns' results: the dataset drifted when ``share >= drift_share``."""
    drifted = sum(r.drift_detected for r in by_column.values())
    share = drifted / len(by_column) if by_column else math.nan
    return result_type(
        number_of_columns=len(by_column),
        number_of_drifted_columns=drifted,
        share_of_drifted_columns=share,
        dataset_drift=bool(by_column) and share >= drift_share,
        drift_share=drift_share,
        drift_by_columns=by_column,
        dataset_columns=dataset_columns,
    )


class DataDriftTable(DriftOptions, Metric[DataDriftTableResult]):
    """Drift of every selected column, and whether the dataset drifted (share >= drift_share)."""

    result_type = DataDriftTableResult
    group = "data drift"

    columns: list[ColumnName] | None = None
    drift_share: float = Field(0.5, gt=0, le=1)
    #: Add feature importances (``current_fi`` / ``reference_fi``): see ``data_drift.feature_importance``.
    feature_importance: bool = False

    def calculate(self, ctx: RunContext) -> DataDriftTableResult:
        table = drift_table(ctx, self, self.columns, self.drift_share)
        if not self.feature_importance:
            return table

        importances = ctx.result(FeatureImportanceMetric())
        return table.model_copy(
            update={"current_fi": importances.current, "reference_fi": importances.reference}
        )


class DatasetDriftResult(MetricResult):
    drift_share: float
    number_of_columns: int
    number_of_drifted_columns: int
    share_of_drifted_columns: Float
    dataset_drift: bool


class DatasetDriftMetric(DriftOptions, Metric[DatasetDriftResult]):
    """The share of drifted columns and the dataset drift decision (share >= drift_share)."""

    result_type = DatasetDriftResult
    group = "data drift"

    columns: list[ColumnName] | None = None
    drift_share: float = Field(0.5, gt=0, le=1)

    def calculate(self, ctx: RunContext) -> DatasetDriftResult:
        table = drift_table(ctx, self, self.columns, self.drift_share)
        return DatasetDriftResult(
            drift_share=self.drift_share,
            number_of_columns=table.number_of_columns,
            number_of_drifted_columns=table.number_of_drifted_columns,
            share_of_drifted_columns=table.share_of_drifted_columns,
            dataset_drift=table.dataset_drift,
        )

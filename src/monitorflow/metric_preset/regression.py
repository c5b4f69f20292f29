"""RegressionPreset: Evidently's composition of regression quality metrics."""

from __future__ import annotations

from typing import Any

from monitorflow._types import ColumnName
from monitorflow.column_mapping import DataDefinition
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.metrics.regression import (
    RegressionErrorDistribution,
    RegressionErrorNormality,
    RegressionPredictedVsActualScatter,
    RegressionQualityMetric,
    RegressionTopErrorMetric,
)
from monitorflow.metrics.regression_bias import RegressionErrorBiasTable
from monitorflow.metrics.regression_plots import (
    RegressionAbsPercentageErrorPlot,
    RegressionErrorPlot,
    RegressionPredictedVsActualPlot,
)


class RegressionPreset(MetricPreset):
    """Quality, predicted vs actual (scatter and in time), error and percentage error in time, error
    distribution and normality, top errors, error bias by feature (Evidently's metrics and order)."""

    columns: list[ColumnName] | None = None

    def generate_metrics(self, definition: DataDefinition) -> list[Metric[Any]]:
        return [
            RegressionQualityMetric(),
            RegressionPredictedVsActualScatter(),
            RegressionPredictedVsActualPlot(),
            RegressionErrorPlot(),
            RegressionAbsPercentageErrorPlot(),
            RegressionErrorDistribution(),
            RegressionErrorNormality(),
            RegressionTopErrorMetric(),
            RegressionErrorBiasTable(columns=self.columns),
        ]

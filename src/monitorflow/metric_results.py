"""Evidently's import path ``metric_results``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.dataset_columns import ColumnsOfRun as DatasetColumns
from monitorflow.metrics.classification import (
    Boxes,
    ConfusionMatrix,
    DatasetClassificationQuality,
    PRCurveData,
    RatesPlotData,
    ROCCurveData,
)
from monitorflow.metrics.classification_plots import LiftCurveData
from monitorflow.metrics.column_distribution import Distribution
from monitorflow.metrics.correlations import ColumnCorrelations
from monitorflow.metrics.data_integrity import Histogram
from monitorflow.metrics.regression import HistogramData

__all__ = [
    "Boxes",
    "ColumnCorrelations",
    "ConfusionMatrix",
    "DatasetClassificationQuality",
    "DatasetColumns",
    "Distribution",
    "Histogram",
    "HistogramData",
    "LiftCurveData",
    "PRCurveData",
    "ROCCurveData",
    "RatesPlotData",
]

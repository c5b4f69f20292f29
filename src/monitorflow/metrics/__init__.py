"""Public metric classes (names as in Evidently's legacy API)."""

from monitorflow.metrics.base import METRICS, Metric, MetricPreset, MetricResult
from monitorflow.metrics.classification import (
    ClassificationClassBalance,
    ClassificationConfusionMatrix,
    ClassificationDummyMetric,
    ClassificationPRCurve,
    ClassificationPRTable,
    ClassificationQualityByClass,
    ClassificationQualityByFeatureTable,
    ClassificationQualityMetric,
    ClassificationRocCurve,
)
from monitorflow.metrics.conflicts import ConflictPredictionMetric, ConflictTargetMetric
from monitorflow.metrics.correlations import ColumnCorrelationsMetric, DatasetCorrelationsMetric
from monitorflow.metrics.data_drift import ColumnDriftMetric, DataDriftTable, DatasetDriftMetric
from monitorflow.metrics.data_integrity import (
    ColumnMissingValuesMetric,
    ColumnSummaryMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
)
from monitorflow.metrics.data_quality import (
    ColumnCategoryMetric,
    ColumnQuantileMetric,
    ColumnValueListMetric,
    ColumnValueRangeMetric,
)
from monitorflow.metrics.regression import (
    RegressionDummyMetric,
    RegressionErrorBiasTable,
    RegressionErrorDistribution,
    RegressionErrorNormality,
    RegressionPredictedVsActualScatter,
    RegressionQualityMetric,
    RegressionTopErrorMetric,
)

__all__ = [
    "METRICS",
    "ClassificationClassBalance",
    "ClassificationConfusionMatrix",
    "ClassificationDummyMetric",
    "ClassificationPRCurve",
    "ClassificationPRTable",
    "ClassificationQualityByClass",
    "ClassificationQualityByFeatureTable",
    "ClassificationQualityMetric",
    "ClassificationRocCurve",
    "ColumnCategoryMetric",
    "ColumnCorrelationsMetric",
    "ColumnDriftMetric",
    "ColumnMissingValuesMetric",
    "ColumnQuantileMetric",
    "ColumnSummaryMetric",
    "ColumnValueListMetric",
    "ColumnValueRangeMetric",
    "ConflictPredictionMetric",
    "ConflictTargetMetric",
    "DataDriftTable",
    "DatasetCorrelationsMetric",
    "DatasetDriftMetric",
    "DatasetMissingValuesMetric",
    "DatasetSummaryMetric",
    "Metric",
    "MetricPreset",
    "MetricResult",
    "RegressionDummyMetric",
    "RegressionErrorBiasTable",
    "RegressionErrorDistribution",
    "RegressionErrorNormality",
    "RegressionPredictedVsActualScatter",
    "RegressionQualityMetric",
    "RegressionTopErrorMetric",
]

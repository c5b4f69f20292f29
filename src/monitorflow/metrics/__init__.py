"""Public metric classes (names as in Evidently's legacy API)."""

from monitorflow.metrics import custom as _custom  # noqa: F401  # registers CustomValueMetric in METRICS
from monitorflow.metrics.base import METRICS, Metric, MetricPreset, MetricResult
from monitorflow.metrics.classification import (
    ClassificationClassBalance,
    ClassificationConfusionMatrix,
    ClassificationDummyMetric,
    ClassificationPRCurve,
    ClassificationPRTable,
    ClassificationQualityByClass,
    ClassificationQualityMetric,
    ClassificationRocCurve,
)
from monitorflow.metrics.classification_by_feature import ClassificationQualityByFeatureTable
from monitorflow.metrics.classification_plots import (
    ClassificationClassSeparationPlot,
    ClassificationLiftCurve,
    ClassificationLiftTable,
    ClassificationProbDistribution,
)
from monitorflow.metrics.column_distribution import ColumnDistributionMetric
from monitorflow.metrics.comment import Comment
from monitorflow.metrics.conflicts import ConflictPredictionMetric, ConflictTargetMetric
from monitorflow.metrics.correlations import ColumnCorrelationsMetric, DatasetCorrelationsMetric
from monitorflow.metrics.data_drift import ColumnDriftMetric, DataDriftTable, DatasetDriftMetric
from monitorflow.metrics.data_drift import feature_importance as _feature_importance  # noqa: F401  # registers it too
from monitorflow.metrics.data_drift.embeddings_drift import EmbeddingsDriftMetric
from monitorflow.metrics.data_integrity import (
    ColumnMissingValuesMetric,
    ColumnRegExpMetric,
    ColumnSummaryMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
)
from monitorflow.metrics.data_quality import (
    ColumnCategoryMetric,
    ColumnQuantileMetric,
    ColumnValueListMetric,
    ColumnValueRangeMetric,
    DataQualityStabilityMetric,
)
from monitorflow.metrics.estimation import EstimatedClassificationQuality, EstimatedRegressionQuality
from monitorflow.metrics.estimation_error import ClassificationEstimationError, RegressionEstimationError
from monitorflow.metrics.plots import ColumnInteractionPlot, ColumnValuePlot, TargetByFeaturesTable
from monitorflow.metrics.recsys import (
    FBetaTopKMetric,
    HitRateKMetric,
    MAPKMetric,
    MARKMetric,
    MRRKMetric,
    NDCGKMetric,
    PersonalizationMetric,
    PrecisionTopKMetric,
    RecallTopKMetric,
    ScoreDistribution,
)
from monitorflow.metrics.recsys.diversity import DiversityMetric
from monitorflow.metrics.recsys.item_bias import ItemBiasMetric
from monitorflow.metrics.recsys.novelty import NoveltyMetric
from monitorflow.metrics.recsys.popularity_bias import PopularityBias
from monitorflow.metrics.recsys.rec_examples import RecCasesTable
from monitorflow.metrics.recsys.serendipity import SerendipityMetric
from monitorflow.metrics.recsys.user_bias import UserBiasMetric
from monitorflow.metrics.regression import (
    RegressionDummyMetric,
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
from monitorflow.metrics.text import (
    TextDescriptorsCorrelationMetric,
    TextDescriptorsDistribution,
    TextDescriptorsDriftMetric,
)

__all__ = [
    "ClassificationClassBalance",
    "ClassificationClassSeparationPlot",
    "ClassificationConfusionMatrix",
    "ClassificationDummyMetric",
    "ClassificationEstimationError",
    "ClassificationLiftCurve",
    "ClassificationLiftTable",
    "ClassificationPRCurve",
    "ClassificationPRTable",
    "ClassificationProbDistribution",
    "ClassificationQualityByClass",
    "ClassificationQualityByFeatureTable",
    "ClassificationQualityMetric",
    "ClassificationRocCurve",
    "ColumnCategoryMetric",
    "ColumnCorrelationsMetric",
    "ColumnDistributionMetric",
    "ColumnDriftMetric",
    "ColumnInteractionPlot",
    "ColumnMissingValuesMetric",
    "ColumnQuantileMetric",
    "ColumnRegExpMetric",
    "ColumnSummaryMetric",
    "ColumnValueListMetric",
    "ColumnValuePlot",
    "ColumnValueRangeMetric",
    "Comment",
    "ConflictPredictionMetric",
    "ConflictTargetMetric",
    "DataDriftTable",
    "DataQualityStabilityMetric",
    "DatasetCorrelationsMetric",
    "DatasetDriftMetric",
    "DatasetMissingValuesMetric",
    "DatasetSummaryMetric",
    "DiversityMetric",
    "EmbeddingsDriftMetric",
    "EstimatedClassificationQuality",
    "EstimatedRegressionQuality",
    "FBetaTopKMetric",
    "HitRateKMetric",
    "ItemBiasMetric",
    "MAPKMetric",
    "MARKMetric",
    "METRICS",
    "MRRKMetric",
    "Metric",
    "MetricPreset",
    "MetricResult",
    "NDCGKMetric",
    "NoveltyMetric",
    "PersonalizationMetric",
    "PopularityBias",
    "PrecisionTopKMetric",
    "RecCasesTable",
    "RecallTopKMetric",
    "RegressionAbsPercentageErrorPlot",
    "RegressionDummyMetric",
    "RegressionErrorBiasTable",
    "RegressionErrorDistribution",
    "RegressionErrorNormality",
    "RegressionErrorPlot",
    "RegressionEstimationError",
    "RegressionPredictedVsActualPlot",
    "RegressionPredictedVsActualScatter",
    "RegressionQualityMetric",
    "RegressionTopErrorMetric",
    "ScoreDistribution",
    "SerendipityMetric",
    "TargetByFeaturesTable",
    "TextDescriptorsCorrelationMetric",
    "TextDescriptorsDistribution",
    "TextDescriptorsDriftMetric",
    "UserBiasMetric",
]

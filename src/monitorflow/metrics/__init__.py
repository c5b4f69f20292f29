"""Public metric classes (names as in Evidently's legacy API).

Each name imports its module on first use, so a run holds only the metric modules it needs;
``METRICS`` read from here is the complete registry (every metric module imported).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from monitorflow._lazy import import_all, lazy_names
from monitorflow.metrics.base import METRICS as _REGISTRY
from monitorflow.metrics.base import Metric, MetricPreset, MetricResult

#: Module -> the public names it defines.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "monitorflow.metrics.classification": (
        "ClassificationClassBalance",
        "ClassificationConfusionMatrix",
        "ClassificationDummyMetric",
        "ClassificationPRCurve",
        "ClassificationPRTable",
        "ClassificationQualityByClass",
        "ClassificationQualityMetric",
        "ClassificationRocCurve",
    ),
    "monitorflow.metrics.classification_by_feature": ("ClassificationQualityByFeatureTable",),
    "monitorflow.metrics.classification_plots": (
        "ClassificationClassSeparationPlot",
        "ClassificationLiftCurve",
        "ClassificationLiftTable",
        "ClassificationProbDistribution",
    ),
    "monitorflow.metrics.column_distribution": ("ColumnDistributionMetric",),
    "monitorflow.metrics.comment": ("Comment",),
    "monitorflow.metrics.conflicts": (
        "ConflictPredictionMetric",
        "ConflictTargetMetric",
    ),
    "monitorflow.metrics.correlations": (
        "ColumnCorrelationsMetric",
        "DatasetCorrelationsMetric",
    ),
    "monitorflow.metrics.data_drift": (
        "ColumnDriftMetric",
        "DataDriftTable",
        "DatasetDriftMetric",
    ),
    "monitorflow.metrics.data_drift.embeddings_drift": ("EmbeddingsDriftMetric",),
    "monitorflow.metrics.data_drift.text_domain_classifier": ("TextDomainClassifierDriftMetric",),
    "monitorflow.metrics.data_integrity": (
        "ColumnMissingValuesMetric",
        "ColumnRegExpMetric",
        "ColumnSummaryMetric",
        "DatasetMissingValuesMetric",
        "DatasetSummaryMetric",
    ),
    "monitorflow.metrics.data_quality": (
        "ColumnCategoryMetric",
        "ColumnQuantileMetric",
        "ColumnValueListMetric",
        "ColumnValueRangeMetric",
        "DataQualityStabilityMetric",
    ),
    "monitorflow.metrics.estimation": (
        "EstimatedClassificationQuality",
        "EstimatedRegressionQuality",
    ),
    "monitorflow.metrics.estimation_error": (
        "ClassificationEstimationError",
        "RegressionEstimationError",
    ),
    "monitorflow.metrics.plots": (
        "ColumnInteractionPlot",
        "ColumnValuePlot",
        "TargetByFeaturesTable",
    ),
    "monitorflow.metrics.recsys": (
        "FBetaTopKMetric",
        "HitRateKMetric",
        "MAPKMetric",
        "MARKMetric",
        "MRRKMetric",
        "NDCGKMetric",
        "PersonalizationMetric",
        "PrecisionTopKMetric",
        "RecallTopKMetric",
        "ScoreDistribution",
    ),
    "monitorflow.metrics.recsys.diversity": ("DiversityMetric",),
    "monitorflow.metrics.recsys.item_bias": ("ItemBiasMetric",),
    "monitorflow.metrics.recsys.novelty": ("NoveltyMetric",),
    "monitorflow.metrics.recsys.popularity_bias": ("PopularityBias",),
    "monitorflow.metrics.recsys.rec_examples": ("RecCasesTable",),
    "monitorflow.metrics.recsys.serendipity": ("SerendipityMetric",),
    "monitorflow.metrics.recsys.user_bias": ("UserBiasMetric",),
    "monitorflow.metrics.regression": (
        "RegressionDummyMetric",
        "RegressionErrorDistribution",
        "RegressionErrorNormality",
        "RegressionPredictedVsActualScatter",
        "RegressionQualityMetric",
        "RegressionTopErrorMetric",
    ),
    "monitorflow.metrics.regression_bias": ("RegressionErrorBiasTable",),
    "monitorflow.metrics.regression_plots": (
        "RegressionAbsPercentageErrorPlot",
        "RegressionErrorPlot",
        "RegressionPredictedVsActualPlot",
    ),
    "monitorflow.metrics.regression_summary": ("RegressionPerformanceMetrics",),
    "monitorflow.metrics.text": (
        "TextDescriptorsCorrelationMetric",
        "TextDescriptorsDistribution",
        "TextDescriptorsDriftMetric",
    ),
}
#: Modules that register metrics without exporting them here.
_REGISTERING = ("monitorflow.metrics.custom", "monitorflow.metrics.data_drift.feature_importance")

if TYPE_CHECKING:  # what a type checker sees; at run time names load on first use
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
    from monitorflow.metrics.data_drift.embeddings_drift import EmbeddingsDriftMetric
    from monitorflow.metrics.data_drift.text_domain_classifier import TextDomainClassifierDriftMetric
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
    from monitorflow.metrics.regression_summary import RegressionPerformanceMetrics
    from monitorflow.metrics.text import (
        TextDescriptorsCorrelationMetric,
        TextDescriptorsDistribution,
        TextDescriptorsDriftMetric,
    )

_lazy_getattr, _lazy_dir = lazy_names(__name__, globals(), _EXPORTS)


def __getattr__(name: str) -> Any:
    if name == "METRICS":
        load_all()
        return _REGISTRY
    return _lazy_getattr(name)


def __dir__() -> list[str]:
    return sorted({*_lazy_dir(), "METRICS"})


def load_all() -> None:
    """Import every metric module, so that ``METRICS`` holds every metric class."""
    import_all({**_EXPORTS, **dict.fromkeys(_REGISTERING, ())})


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
    "RegressionPerformanceMetrics",
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
    "TextDomainClassifierDriftMetric",
]

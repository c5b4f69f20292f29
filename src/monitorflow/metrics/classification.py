"""Classification quality metrics (Evidently's legacy classification metrics, vectorised, no sklearn).

Every score equals scikit-learn's on the same rows: binary precision, recall and F1 are those of
``pos_label``; multiclass ones are macro-averaged over the labels present in the dataset's target or
predictions (scikit-learn's default labels); a division by zero gives 0 (scikit-learn's default).
How targets, predictions and probabilities are read, and which rows are dropped, is described in
:mod:`monitorflow.metrics.classification_data`. Results are aggregates only: curves are thinned to
``CURVE_POINTS`` points, per-feature quality is per bin or category.

This is the import path of the metrics; they live by family in ``classification_quality`` (scores,
per label), ``classification_counts`` (class balance, confusion matrix), ``classification_curves``
(ROC and precision-recall) and ``classification_dummy`` (baselines), on ``classification_base``.

>>> import pandas as pd
>>> from monitorflow import ColumnMapping, Report
>>> frame = pd.DataFrame({"target": [0, 1, 1, 0, 1], "prediction": [0.2, 0.9, 0.4, 0.1, 0.8]})
>>> report = Report(metrics=[ClassificationQualityMetric()])
>>> report.run(current_data=frame, column_mapping=ColumnMapping(task="classification"))
>>> quality = report.as_dict()["metrics"][0]["result"]["current"]
>>> quality["accuracy"], quality["roc_auc"]
(0.8, 1.0)
"""

from __future__ import annotations

from monitorflow.metrics.classification_base import _ClassificationMetric as _ClassificationMetric
from monitorflow.metrics.classification_base import _require_probas as _require_probas
from monitorflow.metrics.classification_base import _ThresholdMetric as _ThresholdMetric
from monitorflow.metrics.classification_counts import (
    ClassBalance,
    ClassificationClassBalance,
    ClassificationClassBalanceResult,
    ClassificationConfusionMatrix,
    ClassificationConfusionMatrixResult,
    ConfusionMatrix,
)
from monitorflow.metrics.classification_curves import (
    ClassificationPRCurve,
    ClassificationPRCurveResults,
    ClassificationPRTable,
    ClassificationPRTableResults,
    ClassificationRocCurve,
    ClassificationRocCurveResults,
    PRCurveData,
    ROCCurveData,
    pr_table,
)
from monitorflow.metrics.classification_data import (
    CURVE_POINTS,
)
from monitorflow.metrics.classification_dummy import (
    DUMMY_REFERENCE_SEED,
    DUMMY_SEED,
    ClassificationDummyMetric,
    ClassificationDummyMetricResults,
    stratified_dummy,
)
from monitorflow.metrics.classification_quality import (
    Boxes,
    ClassificationQuality,
    ClassificationQualityByClass,
    ClassificationQualityByClassResult,
    ClassificationQualityMetric,
    ClassificationQualityMetricResult,
    ClassMetric,
    DatasetClassificationQuality,
    RatesPlotData,
    class_metrics,
    classification_quality,
)
from monitorflow.metrics.ranking_tables import PR_STEP as PR_TABLE_STEP  # its former name here

__all__ = [
    "Boxes",
    "CURVE_POINTS",
    "ClassBalance",
    "ClassMetric",
    "ClassificationClassBalance",
    "ClassificationClassBalanceResult",
    "ClassificationConfusionMatrix",
    "ClassificationConfusionMatrixResult",
    "ClassificationDummyMetric",
    "ClassificationDummyMetricResults",
    "ClassificationPRCurve",
    "ClassificationPRCurveResults",
    "ClassificationPRTable",
    "ClassificationPRTableResults",
    "ClassificationQuality",
    "ClassificationQualityByClass",
    "ClassificationQualityByClassResult",
    "ClassificationQualityMetric",
    "ClassificationQualityMetricResult",
    "ClassificationRocCurve",
    "ClassificationRocCurveResults",
    "ConfusionMatrix",
    "DUMMY_REFERENCE_SEED",
    "DUMMY_SEED",
    "DatasetClassificationQuality",
    "PRCurveData",
    "PR_TABLE_STEP",
    "ROCCurveData",
    "RatesPlotData",
    "class_metrics",
    "classification_quality",
    "pr_table",
    "stratified_dummy",
]

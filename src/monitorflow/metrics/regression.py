"""Regression quality metrics (Evidently's legacy regression metrics, vectorised, no sklearn).

The error is ``prediction - target`` (positive: over-estimation). Rows whose target or prediction is
missing or infinite are dropped and counted (``number_of_dropped_rows``). Scores equal
scikit-learn's (``r2_score``, ``mean_absolute_error``, ``root_mean_squared_error``...). The formulas
read summaries of the rows and sorted errors (:mod:`monitorflow.metrics.regression_data`), so a lazy
source (``monitorflow.scale``) gives the results of a DataFrame without holding its rows.

MAPE and zero targets: ``mean_abs_perc_error`` is ``100 * mean(|error| / |target|)`` over the rows
whose target is not 0; rows with a 0 target (``|target| < ZERO_TARGET``, the float64 epsilon) are
left out of it (a percentage of 0 is undefined) and counted in ``number_of_zero_targets``.
``abs_perc_error_std`` is the std of ``|error| / |target|`` as a fraction, not a percentage
(Evidently's scale: its ``mean_abs_perc_error`` is a percentage, its ``abs_perc_error_std`` is not).
``near_zero_values`` is the number of rows with a 0 target.

Error groups: with ``top_error = 0.05``, *underestimation* rows have an error at or below the 5%
quantile of the errors, *overestimation* rows at or above the 95% quantile, and the *majority* is
strictly between (quantiles with linear interpolation, like numpy's default).

>>> import pandas as pd
>>> from monitorflow import Report
>>> report = Report(metrics=[RegressionQualityMetric()])
>>> report.run(current_data=pd.DataFrame({"target": [1.0, 2.0, 4.0], "prediction": [1.5, 2.0, 3.0]}))
>>> report.as_dict()["metrics"][0]["result"]["current"]["mean_abs_error"]
0.5

This is the import path of the metrics; they live in ``regression_quality`` (scores, baselines) and
``regression_distributions`` (scatter, error distribution and normality, top errors), on
``regression_base``.
"""

from __future__ import annotations

from monitorflow.metrics.regression_base import (
    GROUPS,
    QQ_POINTS,
    SCATTER_BINS,
    TOP_ERROR,
)
from monitorflow.metrics.regression_base import _RegressionMetric as _RegressionMetric
from monitorflow.metrics.regression_data import (
    best_mape_constant,
)
from monitorflow.metrics.regression_distributions import (
    HistogramData,
    PredActualBins,
    QQData,
    QQLine,
    RegressionErrorDistribution,
    RegressionErrorDistributionResults,
    RegressionErrorNormality,
    RegressionErrorNormalityResults,
    RegressionPredictedVsActualScatter,
    RegressionPredictedVsActualScatterResults,
    RegressionTopErrorMetric,
    RegressionTopErrorMetricResults,
    TopData,
    qq_probabilities,
)
from monitorflow.metrics.regression_quality import (
    ErrorGroup,
    ErrorNormality,
    MoreRegressionMetrics,
    RegressionDummyMetric,
    RegressionDummyMetricResults,
    RegressionQualityMetric,
    RegressionQualityMetricResults,
    current_baselines,
    error_normality,
    r2_score,
    regression_quality,
)

__all__ = [
    "ErrorGroup",
    "ErrorNormality",
    "GROUPS",
    "HistogramData",
    "MoreRegressionMetrics",
    "PredActualBins",
    "QQData",
    "QQLine",
    "QQ_POINTS",
    "RegressionDummyMetric",
    "RegressionDummyMetricResults",
    "RegressionErrorDistribution",
    "RegressionErrorDistributionResults",
    "RegressionErrorNormality",
    "RegressionErrorNormalityResults",
    "RegressionPredictedVsActualScatter",
    "RegressionPredictedVsActualScatterResults",
    "RegressionQualityMetric",
    "RegressionQualityMetricResults",
    "RegressionTopErrorMetric",
    "RegressionTopErrorMetricResults",
    "SCATTER_BINS",
    "TOP_ERROR",
    "TopData",
    "best_mape_constant",
    "current_baselines",
    "error_normality",
    "qq_probabilities",
    "r2_score",
    "regression_quality",
]

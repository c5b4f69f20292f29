"""RegressionPerformanceMetrics: Evidently's older all-in-one regression summary.

The same numbers as :class:`~monitorflow.metrics.regression.RegressionQualityMetric` (scores, error
groups, baselines, Q-Q line, error bias), laid out as Evidently's legacy
``RegressionPerformanceMetrics`` lays them out: the spread of the errors at the top level, not per
dataset. Besides, two chart-only fields: the target's histogram over 2 to 10 equal bins
(``hist_for_plot``, as many bins as a third of the distinct targets of both datasets) and, per bin,
R2, RMSE, MAE and MAPE (``vals_for_plots``, MAPE as a fraction there, scikit-learn's scale). All
come from the summaries in :mod:`monitorflow.metrics.regression_data`, so a lazy source
(``monitorflow.scale``) gives the results of a DataFrame.

>>> import pandas as pd
>>> from monitorflow import Report
>>> report = Report(metrics=[RegressionPerformanceMetrics()])
>>> report.run(current_data=pd.DataFrame({"target": [1.0, 2.0, 4.0], "prediction": [1.5, 2.0, 3.0]}))
>>> report.as_dict()["metrics"][0]["result"]["current"]["mean_abs_error"]
0.5
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from monitorflow._types import Float
from monitorflow.context import RunContext, Side
from monitorflow.dataset_columns import ColumnsOfRun, columns_of_run
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_data import finite_or_nan, sides
from monitorflow.metrics.data_integrity import Histogram
from monitorflow.metrics.regression_base import _RegressionMetric, error_histogram
from monitorflow.metrics.regression_bias import bias_features, error_bias
from monitorflow.metrics.regression_data import RegressionData, derived_values, regression_data
from monitorflow.metrics.regression_quality import (
    ErrorGroup,
    ErrorNormality,
    current_baselines,
    error_normality,
    r2_score,
    regression_quality,
)
from monitorflow.moments import Moments

#: Bounds on the number of target bins of the per-bin scores.
MIN_TARGET_BINS, MAX_TARGET_BINS = 2, 10
#: The per-bin scores, in Evidently's order.
BIN_SCORES = ("r2_score", "rmse", "mean_abs_error", "mean_abs_perc_error")


class RegressionMetrics(MetricResult):
    """One dataset's scores (MAPE in percent, over the rows whose target is not 0)."""

    r2_score: Float
    rmse: Float
    mean_error: Float
    mean_abs_error: Float
    mean_abs_perc_error: Float
    abs_error_max: Float
    underperformance: dict[str, ErrorGroup]


class IntervalSeries(MetricResult):
    """A value per target bin ``(bins[i], bins[i + 1]]``; ``None`` for an empty bin."""

    bins: list[float]
    values: list[float | None]


class RegressionMetricScatter(MetricResult):
    current: IntervalSeries
    reference: IntervalSeries | None = None


class RegressionMetricsScatter(MetricResult):
    r2_score: RegressionMetricScatter
    rmse: RegressionMetricScatter
    mean_abs_error: RegressionMetricScatter
    mean_abs_perc_error: RegressionMetricScatter


class RegressionPerformanceMetricsResults(MetricResult):
    render_fields = frozenset({"hist_for_plot", "vals_for_plots", "me_hist_for_plot"})

    columns: ColumnsOfRun | None = None
    current: RegressionMetrics
    reference: RegressionMetrics | None = None
    #: Baselines on current (see RegressionQualityMetricResults); ``me_default_sigma`` = ``error_std``.
    rmse_default: Float
    me_default_sigma: Float
    me_hist_for_plot: Histogram
    mean_abs_error_default: Float
    mean_abs_perc_error_default: Float
    abs_error_max_default: Float
    #: Spread (ddof=1) of the current error, absolute error and absolute percentage error (a fraction).
    error_std: Float
    abs_error_std: Float
    abs_perc_error_std: Float
    error_normality: ErrorNormality
    #: Rows per target bin (the bins of ``vals_for_plots``).
    hist_for_plot: Histogram
    vals_for_plots: RegressionMetricsScatter
    error_bias: dict[str, Any] | None = None


def _scores(ctx: RunContext, side: Side) -> RegressionMetrics:
    """RegressionQualityMetric's scores of one dataset, those Evidently's older result keeps."""
    quality = regression_quality(ctx, side)
    return RegressionMetrics(**{name: getattr(quality, name) for name in RegressionMetrics.model_fields})


def target_bin_count(data: list[RegressionData]) -> int:
    """A third of the distinct targets of all datasets, within ``MIN_TARGET_BINS`` .. ``MAX_TARGET_BINS``."""
    enough = 3 * MAX_TARGET_BINS
    if any(d.y.has_more_distinct_than(enough - 1) for d in data):
        return MAX_TARGET_BINS
    distinct = np.unique(np.concatenate([d.y.distinct_values for d in data]))  # fewer than 30 each
    return min(max(MIN_TARGET_BINS, distinct.size // 3), MAX_TARGET_BINS)


def target_bin_edges(data: list[RegressionData]) -> np.ndarray:
    """Equal-width bins over the targets of all datasets."""
    low, high = min(d.y.min for d in data), max(d.y.max for d in data)
    if low == high:
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, target_bin_count(data) + 1)


def target_bins(y: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The bin of each target: ``(edges[i], edges[i + 1]]``, the lowest target in the first bin."""
    return np.clip(np.searchsorted(edges, y, side="left") - 1, 0, edges.size - 2)


def _bin_moments(ctx: RunContext, data: RegressionData, edges: np.ndarray) -> list[dict[str, Moments]]:
    """Per target bin, the moments of the target and of the derived errors (one pass over the rows)."""
    bins: list[dict[str, Moments]] = [{} for _ in range(edges.size - 1)]
    for chunk in data.chunks(ctx):
        index = target_bins(chunk.y, edges)
        for i, moments in enumerate(bins):
            inside = index == i
            if not inside.any():
                continue
            derived = derived_values(chunk.y[inside], chunk.p[inside])
            for name in ("target", "error", "abs_error", "abs_perc_error"):
                moments[name] = moments.get(name, Moments()).merge(Moments.of(derived[name]))
    return bins


def _bin_score(moments: dict[str, Moments], score: str) -> float | None:
    error = moments.get("error", Moments())
    if error.count == 0:
        return None
    squared_error = error.m2 / error.count + error.mean**2
    if score == "r2_score":
        return (
            finite_or_nan(r2_score(error.count * squared_error, moments["target"].m2))
            if error.count > 1
            else None
        )
    if score == "rmse":
        return finite_or_nan(math.sqrt(squared_error))
    if score == "mean_abs_error":
        return finite_or_nan(moments["abs_error"].mean)
    return _nan_to_none(moments.get("abs_perc_error", Moments()).mean)


def _nan_to_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def scores_by_target_bin(ctx: RunContext) -> tuple[Histogram, RegressionMetricsScatter]:
    """The target's histogram and the per-bin scores of each dataset, over the same bins."""
    data = {s: regression_data(ctx, s) for s in sides(ctx)}
    edges = target_bin_edges(list(data.values()))
    moments = {s: _bin_moments(ctx, d, edges) for s, d in data.items()}
    counts = {s: [m.get("error", Moments()).count for m in bins] for s, bins in moments.items()}
    histogram = Histogram(edges=edges.tolist(), current=counts["current"], reference=counts.get("reference"))

    def series(side: Side, score: str) -> IntervalSeries:
        return IntervalSeries(bins=edges.tolist(), values=[_bin_score(m, score) for m in moments[side]])

    scatters = {
        score: RegressionMetricScatter(
            current=series("current", score),
            reference=series("reference", score) if "reference" in moments else None,
        )
        for score in BIN_SCORES
    }
    return histogram, RegressionMetricsScatter(**scatters)


class RegressionPerformanceMetrics(_RegressionMetric[RegressionPerformanceMetricsResults]):
    """Scores of both datasets, baselines, error spread, Q-Q line and error bias in one result."""

    result_type = RegressionPerformanceMetricsResults

    def calculate(self, ctx: RunContext) -> RegressionPerformanceMetricsResults:
        current = regression_data(ctx, "current")
        baselines = current_baselines(ctx)
        quality = regression_quality(ctx, "current")
        hist_for_plot, vals_for_plots = scores_by_target_bin(ctx)
        return RegressionPerformanceMetricsResults(
            columns=columns_of_run(ctx.definition),
            current=_scores(ctx, "current"),
            reference=_scores(ctx, "reference") if ctx.has_reference else None,
            rmse_default=finite_or_nan(baselines.rmse),
            me_default_sigma=quality.error_std,
            me_hist_for_plot=error_histogram(ctx),
            mean_abs_error_default=finite_or_nan(baselines.mean_abs_error),
            mean_abs_perc_error_default=finite_or_nan(baselines.mean_abs_perc_error),
            abs_error_max_default=finite_or_nan(baselines.abs_error_max),
            error_std=quality.error_std,
            abs_error_std=quality.abs_error_std,
            abs_perc_error_std=quality.abs_perc_error_std,
            error_normality=error_normality(current.error.sorted_finite),
            hist_for_plot=hist_for_plot,
            vals_for_plots=vals_for_plots,
            error_bias={k: v.model_dump() for k, v in error_bias(ctx, *bias_features(ctx)).items()},
        )


__all__ = [
    "IntervalSeries",
    "RegressionMetrics",
    "RegressionMetricScatter",
    "RegressionMetricsScatter",
    "RegressionPerformanceMetrics",
    "RegressionPerformanceMetricsResults",
]

"""Regression scores (RegressionQualityMetric: R2, RMSE, mean and percentage errors, error groups,
the normality of the error) and the baselines of constant predictors (RegressionDummyMetric)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from monitorflow._types import ColumnName, Float
from monitorflow.context import RunContext, Side
from monitorflow.dataset_columns import ColumnsOfRun, columns_of_run
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_data import finite_or_nan, sides
from monitorflow.metrics.data_integrity import Histogram
from monitorflow.metrics.regression_base import (
    GROUPS,
    QQ_POINTS,
    TOP_ERROR,
    _RegressionMetric,
    error_histogram,
)
from monitorflow.metrics.regression_bias import bias_features, error_bias
from monitorflow.metrics.regression_data import (
    Baselines,
    constant_baselines,
    regression_data,
    sorted_mape_constant,
)
from monitorflow.moments import Moments
from monitorflow.sorted_values import Sorted, value_blocks


class ErrorGroup(MetricResult):
    mean_error: Float
    std_error: Float


class MoreRegressionMetrics(MetricResult):
    r2_score: Float
    rmse: Float
    mean_error: Float
    mean_abs_error: Float
    #: Percent, over the rows whose target is not 0 (see ``number_of_zero_targets``).
    mean_abs_perc_error: Float
    abs_error_max: Float
    error_std: Float
    abs_error_std: Float
    #: Std of ``|error| / |target|`` as a fraction (Evidently's scale), not a percentage.
    abs_perc_error_std: Float
    #: Rows with a 0 target (Evidently counts the cells of a two-column frame: twice as many).
    near_zero_values: int = 0
    #: Mean and std of the error in the under-, over-estimation (top 5% each) and majority groups.
    underperformance: dict[str, ErrorGroup]
    #: Shares of rows with prediction below / above the target.
    underestimation_share: Float
    overestimation_share: Float
    number_of_rows: int
    number_of_dropped_rows: int = 0
    #: Rows with a 0 target, left out of the percentage errors.
    number_of_zero_targets: int = 0


class ErrorNormality(MetricResult):
    """The normal Q-Q plot of the current error (``scipy.stats.probplot``): its fitted line (``slope``,
    ``intercept``, ``r``) and ``QQ_POINTS`` of its points, evenly spaced in rank (Evidently keeps one point
    per row)."""

    order_statistic_medians_x: list[Float]
    order_statistic_medians_y: list[Float]
    slope: Float
    intercept: Float
    r: Float


def _uniform_order_medians(ranks: np.ndarray, n: int) -> np.ndarray:
    """Filliben's estimate of the uniform order statistic medians at 0-based ``ranks`` of ``n``
    (``scipy.stats.probplot``'s)."""
    last = 0.5 ** (1.0 / n)
    medians = (ranks + 1 - 0.3175) / (n + 0.365)
    medians[ranks == n - 1] = last
    medians[ranks == 0] = 1 - last
    return medians


def error_normality(ordered: Sorted) -> ErrorNormality:
    """``scipy.stats.probplot(error, dist="norm")`` streamed over the sorted errors: the normal order
    statistic medians against the errors, and the least-squares line through all of them."""
    from scipy.special import ndtri  # lazy: scipy is slow to import

    n = int(ordered.size)

    def pairs() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        start = 0
        for block in value_blocks(ordered):
            ranks = np.arange(start, start + block.size, dtype=np.float64)
            start += block.size
            yield ndtri(_uniform_order_medians(ranks, n)), block

    x_moments, y_moments = Moments(), Moments()
    for x, y in pairs():
        x_moments, y_moments = x_moments.merge(Moments.of(x)), y_moments.merge(Moments.of(y))
    ssxm, ssym, ssxym = x_moments.m2, y_moments.m2, 0.0
    for x, y in pairs():
        ssxym += float(np.sum((x - x_moments.mean) * (y - y_moments.mean)))
    with np.errstate(divide="ignore", invalid="ignore"):  # linregress's own cases of a 0 spread
        if ssxm == 0.0 or ssym == 0.0:
            r = math.nan if ssxym == 0 else 0.0
        else:
            r = min(1.0, max(-1.0, ssxym / math.sqrt(ssxm * ssym)))
        slope = float(np.float64(ssxym) / np.float64(ssxm))
    intercept = y_moments.mean - slope * x_moments.mean
    keep = np.unique(np.round(np.linspace(0, n - 1, min(QQ_POINTS, n))).astype(np.int64))
    return ErrorNormality(
        order_statistic_medians_x=[
            float(v) for v in ndtri(_uniform_order_medians(keep.astype(np.float64), n))
        ],
        order_statistic_medians_y=[float(v) for v in ordered.take(keep)],
        slope=finite_or_nan(slope),
        intercept=finite_or_nan(intercept),
        r=finite_or_nan(r),
    )


class RegressionQualityMetricResults(MetricResult):
    render_fields = frozenset({"me_hist_for_plot"})

    columns: ColumnsOfRun | None = None
    target_name: ColumnName
    prediction_name: ColumnName
    current: MoreRegressionMetrics
    reference: MoreRegressionMetrics | None = None
    #: Baselines on current: RMSE of the mean, MAE of the median, MAPE of the best constant,
    #: max error of the median; ``me_default_sigma`` is the std of the current error.
    rmse_default: Float
    me_default_sigma: Float
    mean_abs_error_default: Float
    mean_abs_perc_error_default: Float
    abs_error_max_default: Float
    #: Histogram of the error (prediction - target).
    me_hist_for_plot: Histogram
    error_normality: ErrorNormality | None = None
    #: Per feature, its value in each error group (see :mod:`monitorflow.metrics.regression_bias`).
    error_bias: dict[str, Any] | None = None


def regression_quality(ctx: RunContext, side: Side) -> MoreRegressionMetrics:
    def compute() -> MoreRegressionMetrics:
        data = regression_data(ctx, side)
        error, y, ape = data.error, data.y, data.abs_perc_error
        underperformance = {
            name: ErrorGroup(mean_error=finite_or_nan(moments.mean), std_error=finite_or_nan(moments.std))
            for name, moments in zip(GROUPS, data.group_moments(TOP_ERROR), strict=True)
        }
        squared_error = error.population_std**2 + error.mean**2  # mean of error^2
        return MoreRegressionMetrics(
            r2_score=finite_or_nan(r2_score(data.n * squared_error, data.n * y.population_std**2)),
            rmse=finite_or_nan(math.sqrt(squared_error)),
            mean_error=finite_or_nan(error.mean),
            mean_abs_error=finite_or_nan(data.abs_error.mean),
            mean_abs_perc_error=finite_or_nan(100.0 * ape.mean),
            abs_error_max=finite_or_nan(data.abs_error.max),
            error_std=finite_or_nan(error.std),
            abs_error_std=finite_or_nan(data.abs_error.std),
            abs_perc_error_std=finite_or_nan(ape.std),
            near_zero_values=data.zero_targets,
            underperformance=underperformance,
            underestimation_share=finite_or_nan(data.underestimated / data.n),
            overestimation_share=finite_or_nan(data.overestimated / data.n),
            number_of_rows=data.n,
            number_of_dropped_rows=data.number_of_dropped_rows,
            number_of_zero_targets=data.zero_targets,
        )

    return ctx.memo(("mq-regression-quality", side), compute)


def r2_score(ss_res: float, ss_tot: float) -> float:
    """scikit-learn's ``r2_score`` from the residual and total sums of squares (a constant target gives
    1.0 if predicted exactly, else 0.0)."""
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return 1.0 - ss_res / ss_tot


def current_baselines(ctx: RunContext, by: Side = "current") -> Baselines:
    """Constants computed on ``by``'s target, scored on the current target."""

    def compute() -> Baselines:
        source = regression_data(ctx, by).y
        return constant_baselines(
            regression_data(ctx, "current").y,
            source.mean,
            source.quantile(0.5),
            sorted_mape_constant(source.sorted_finite),
        )

    return ctx.memo(("mq-regression-baselines", by), compute)


class RegressionQualityMetric(_RegressionMetric[RegressionQualityMetricResults]):
    """R2, RMSE, mean (absolute, percentage) errors and their spread, max error, error groups, baselines."""

    result_type = RegressionQualityMetricResults

    def calculate(self, ctx: RunContext) -> RegressionQualityMetricResults:
        results = {s: regression_quality(ctx, s) for s in sides(ctx)}
        current = regression_data(ctx, "current")
        baselines = current_baselines(ctx)
        bias = error_bias(ctx, *bias_features(ctx))
        return RegressionQualityMetricResults(
            columns=columns_of_run(ctx.definition),
            target_name=current.target,
            prediction_name=current.prediction,
            current=results["current"],
            reference=results.get("reference"),
            rmse_default=finite_or_nan(baselines.rmse),
            me_default_sigma=finite_or_nan(current.error.std),
            mean_abs_error_default=finite_or_nan(baselines.mean_abs_error),
            mean_abs_perc_error_default=finite_or_nan(baselines.mean_abs_perc_error),
            abs_error_max_default=finite_or_nan(baselines.abs_error_max),
            me_hist_for_plot=error_histogram(ctx),
            error_normality=error_normality(current.error.sorted_finite),
            error_bias={k: v.model_dump() for k, v in bias.items()},
        )


# ----------------------------------------------------------------------------------- dummy


class RegressionDummyMetricResults(MetricResult):
    """Constant predictors scored on the current target. ``*_default``: constants from the current
    target; ``*_by_ref``: from the reference target; the plain names: the model's own scores."""

    rmse_default: Float
    mean_abs_error_default: Float
    mean_abs_perc_error_default: Float
    abs_error_max_default: Float
    mean_abs_error_by_ref: float | None = None
    mean_abs_error: float | None = None
    mean_abs_perc_error_by_ref: float | None = None
    mean_abs_perc_error: float | None = None
    rmse_by_ref: float | None = None
    rmse: float | None = None
    abs_error_max_by_ref: float | None = None
    abs_error_max: float | None = None


def _none_if_nan(value: float) -> float | None:
    return value if math.isfinite(value) else None


class RegressionDummyMetric(_RegressionMetric[RegressionDummyMetricResults]):
    """Baselines the no-reference test conditions compare the model with."""

    result_type = RegressionDummyMetricResults

    def calculate(self, ctx: RunContext) -> RegressionDummyMetricResults:
        baselines = current_baselines(ctx)
        by_ref = current_baselines(ctx, "reference") if ctx.has_reference else None
        model = regression_quality(ctx, "current")
        fields: dict[str, Any] = {
            "rmse_default": finite_or_nan(baselines.rmse),
            "mean_abs_error_default": finite_or_nan(baselines.mean_abs_error),
            "mean_abs_perc_error_default": finite_or_nan(baselines.mean_abs_perc_error),
            "abs_error_max_default": finite_or_nan(baselines.abs_error_max),
            "rmse": _none_if_nan(model.rmse),
            "mean_abs_error": _none_if_nan(model.mean_abs_error),
            "mean_abs_perc_error": _none_if_nan(model.mean_abs_perc_error),
            "abs_error_max": _none_if_nan(model.abs_error_max),
        }
        if by_ref is not None:
            fields.update(
                rmse_by_ref=_none_if_nan(by_ref.rmse),
                mean_abs_error_by_ref=_none_if_nan(by_ref.mean_abs_error),
                mean_abs_perc_error_by_ref=_none_if_nan(by_ref.mean_abs_perc_error),
                abs_error_max_by_ref=_none_if_nan(by_ref.abs_error_max),
            )
        return RegressionDummyMetricResults(**fields)

"""Regression quality metrics (Evidently's legacy regression metrics, vectorised, no sklearn).

The error is ``prediction - target`` (positive: over-estimation). Rows whose target or prediction is
missing or infinite are dropped and counted (``number_of_dropped_rows``). Scores equal
scikit-learn's (``r2_score``, ``mean_absolute_error``, ``root_mean_squared_error``...).

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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.column_stats import HISTOGRAM_BINS, histogram_edges, to_float_array
from monitorflow.context import RunContext, Side
from monitorflow.dataset_columns import ColumnsOfRun, columns_of_run
from monitorflow.errors import ColumnNotFoundError, ColumnTypeError, ConfigurationError, InputDataError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.classification_data import dataset_name, finite_or_nan, sides
from monitorflow.metrics.data_integrity import Histogram

R = TypeVar("R", bound=MetricResult)

#: Share of rows in each of the under- and over-estimation groups.
TOP_ERROR = 0.05
#: Bins per axis of the predicted-vs-actual 2-D histogram.
SCATTER_BINS = 40
#: Points of the Q-Q plot of RegressionErrorNormality.
QQ_POINTS = 100
GROUPS = ("underestimation", "majority", "overestimation")


class _RegressionMetric(Metric[R], Generic[R]):
    group = "regression"


# ------------------------------------------------------------------------------- prepared data


@dataclass(eq=False)
class RegressionData:
    """Target and prediction of one dataset (rows with a missing or infinite value dropped)."""

    side: Side
    target: ColumnName
    prediction: ColumnName
    y: np.ndarray
    p: np.ndarray
    kept: np.ndarray | None
    number_of_rows: int
    number_of_dropped_rows: int
    _groups: dict[float, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.y.size)

    @cached_property
    def error(self) -> np.ndarray:
        return self.p - self.y

    @cached_property
    def abs_error(self) -> np.ndarray:
        return np.abs(self.error)

    @cached_property
    def sorted_error(self) -> np.ndarray:
        return np.sort(self.error)

    @cached_property
    def sorted_target(self) -> np.ndarray:
        return np.sort(self.y)

    def error_quantile(self, q: float) -> float:
        return _quantile(self.sorted_error, q)

    @cached_property
    def median_target(self) -> float:
        return _quantile(self.sorted_target, 0.5)

    def groups(self, top_error: float) -> np.ndarray:
        """0: underestimation, 1: majority, 2: overestimation (see the module docstring)."""
        if top_error not in self._groups:
            low, high = self.error_quantile(top_error), self.error_quantile(1 - top_error)
            groups = np.ones(self.n, dtype=np.int64)
            groups[self.error >= high] = 2
            groups[self.error <= low] = 0
            self._groups[top_error] = groups
        return self._groups[top_error]

    def sorted_groups(self, top_error: float) -> list[np.ndarray]:
        """The errors of each group (under, majority, over), as slices of the sorted errors."""
        ordered = self.sorted_error
        low, high = self.error_quantile(top_error), self.error_quantile(1 - top_error)
        under_end = int(np.searchsorted(ordered, low, side="right"))
        over_start = max(int(np.searchsorted(ordered, high, side="left")), under_end)
        return [ordered[:under_end], ordered[under_end:over_start], ordered[over_start:]]


def _quantile(sorted_values: np.ndarray, q: float) -> float:
    """Linear interpolation between closest ranks (numpy's and pandas' default)."""
    n = sorted_values.size
    if n == 0:
        return math.nan
    position = q * (n - 1)
    low = int(math.floor(position))
    high = min(low + 1, n - 1)
    a, b = sorted_values[low], sorted_values[high]
    return float(a + (b - a) * (position - low))


def _role(ctx: RunContext, role: str, user: str) -> ColumnName:
    definition = ctx.definition
    if role == "prediction" and definition.prediction_probas:
        raise ConfigurationError(
            f"{user} needs one prediction column, but ColumnMapping(prediction={definition.prediction_probas!r}) "
            "lists several (class probabilities); pass prediction='your prediction column'",
            argument="prediction",
        )
    column = definition.target if role == "target" else definition.prediction
    if column is None:
        skipped = definition.skipped_columns
        dataset = "reference_data" if role in skipped.get("only_in_current", []) else "current_data"
        raise ColumnNotFoundError(
            role,
            f"column_mapping.{role} (the default; set ColumnMapping({role}='your column') for {user})",
            dataset,
            definition.column_names,
        )
    return column


def _numbers(series: pd.Series, column: ColumnName, dataset: str) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return to_float_array(series)
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        raise ColumnTypeError(
            column,
            dataset,
            "numerical",
            series[bad].iloc[0],
            fix=(
                f"regression metrics need numbers: convert it with pd.to_numeric(df[{column!r}], errors='coerce'), "
                "or use the classification metrics for class labels"
            ),
        )
    return to_float_array(converted)


def regression_data(ctx: RunContext, side: Side, user: str = "regression metrics") -> RegressionData:
    """Prepared target and prediction of one dataset, once per run."""

    def compute() -> RegressionData:
        target = _role(ctx, "target", user)
        prediction = _role(ctx, "prediction", user)
        ctx.require_column(target, "column_mapping.target")
        ctx.require_column(prediction, "column_mapping.prediction")
        frame = ctx.data(side)
        dataset = dataset_name(side)
        y = _numbers(frame[target], target, dataset)
        p = _numbers(frame[prediction], prediction, dataset)
        valid = np.isfinite(y) & np.isfinite(p)
        dropped = int(valid.size - np.count_nonzero(valid))
        kept = None
        if dropped:
            kept, y, p = valid, y[valid], p[valid]
        if y.size == 0:
            raise InputDataError(
                f"{dataset} has no row with both a target ({target!r}) and a prediction ({prediction!r}); all "
                f"{valid.size} rows have a missing or infinite value in one of them"
            )
        return RegressionData(side, target, prediction, y, p, kept, int(valid.size), dropped)

    return ctx.memo(("mq-regression", side), compute)


# ------------------------------------------------------------------------------ quality metric


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


def error_normality(error: np.ndarray) -> ErrorNormality:
    from scipy.stats import probplot

    (x, y), (slope, intercept, r) = probplot(error, dist="norm")
    keep = np.unique(np.round(np.linspace(0, x.size - 1, min(QQ_POINTS, x.size))).astype(np.int64))
    return ErrorNormality(
        order_statistic_medians_x=[float(v) for v in x[keep]],
        order_statistic_medians_y=[float(v) for v in y[keep]],
        slope=float(slope),
        intercept=float(intercept),
        r=float(r),
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


def _std(values: np.ndarray) -> float:
    return float(values.std(ddof=1)) if values.size > 1 else math.nan


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan


def r2_score(y: np.ndarray, p: np.ndarray) -> float:
    """scikit-learn's ``r2_score`` (a constant target gives 1.0 if predicted exactly, else 0.0)."""
    ss_res = float(np.sum((y - p) ** 2))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return 1.0 - ss_res / ss_tot


#: Targets smaller than this in absolute value count as 0 in percentage errors (float64 epsilon, the
#: floor scikit-learn puts under the denominator).
ZERO_TARGET = float(np.finfo(np.float64).eps)


def _abs_perc_errors(y: np.ndarray, abs_error: np.ndarray) -> tuple[np.ndarray, int]:
    nonzero = np.abs(y) >= ZERO_TARGET
    zeros = int(y.size - np.count_nonzero(nonzero))
    return abs_error[nonzero] / np.abs(y[nonzero]), zeros


def regression_quality(ctx: RunContext, side: Side) -> MoreRegressionMetrics:
    def compute() -> MoreRegressionMetrics:
        data = regression_data(ctx, side)
        err, abs_err = data.error, data.abs_error
        ape, zeros = _abs_perc_errors(data.y, abs_err)
        underperformance = {
            name: ErrorGroup(mean_error=finite_or_nan(_mean(errors)), std_error=finite_or_nan(_std(errors)))
            for name, errors in zip(GROUPS, data.sorted_groups(TOP_ERROR), strict=True)
        }
        return MoreRegressionMetrics(
            r2_score=finite_or_nan(r2_score(data.y, data.p)),
            rmse=finite_or_nan(math.sqrt(float(np.mean(err * err)))),
            mean_error=finite_or_nan(err.mean()),
            mean_abs_error=finite_or_nan(abs_err.mean()),
            mean_abs_perc_error=finite_or_nan(100.0 * _mean(ape)),
            abs_error_max=finite_or_nan(abs_err.max()),
            error_std=finite_or_nan(_std(err)),
            abs_error_std=finite_or_nan(_std(abs_err)),
            abs_perc_error_std=finite_or_nan(_std(ape)),
            near_zero_values=zeros,
            underperformance=underperformance,
            underestimation_share=finite_or_nan(np.count_nonzero(err < 0) / data.n),
            overestimation_share=finite_or_nan(np.count_nonzero(err > 0) / data.n),
            number_of_rows=data.n,
            number_of_dropped_rows=data.number_of_dropped_rows,
            number_of_zero_targets=zeros,
        )

    return ctx.memo(("mq-regression-quality", side), compute)


def best_mape_constant(y: np.ndarray) -> float:
    """The constant with the lowest MAPE on ``y`` (0 targets ignored): the median of ``y`` weighted by ``1/|y|``.

    >>> best_mape_constant(np.array([1.0, 2.0, 100.0]))
    1.0
    """
    values = np.sort(y[np.abs(y) >= ZERO_TARGET])
    if values.size == 0:
        return math.nan
    weights = np.cumsum(1.0 / np.abs(values))
    return float(values[np.searchsorted(weights, 0.5 * weights[-1], side="left")])


@dataclass(eq=False)
class Baselines:
    rmse: float
    mean_abs_error: float
    mean_abs_perc_error: float
    abs_error_max: float


def constant_baselines(y: np.ndarray, mean: float, median: float, mape_constant: float) -> Baselines:
    """Scores of constant predictions on ``y``: the mean (RMSE), the median (MAE, max error) and the
    MAPE constant (MAPE over the non-zero targets)."""
    ape, _ = _abs_perc_errors(y, np.abs(y - mape_constant))
    return Baselines(
        rmse=math.sqrt(float(np.mean((y - mean) ** 2))),
        mean_abs_error=float(np.mean(np.abs(y - median))),
        mean_abs_perc_error=100.0 * _mean(ape),
        abs_error_max=float(np.max(np.abs(y - median))),
    )


def current_baselines(ctx: RunContext, by: Side = "current") -> Baselines:
    """Constants computed on ``by``'s target, scored on the current target."""

    def compute() -> Baselines:
        current = regression_data(ctx, "current")
        source = regression_data(ctx, by)
        return constant_baselines(
            current.y, float(source.y.mean()), source.median_target, best_mape_constant(source.sorted_target)
        )

    return ctx.memo(("mq-regression-baselines", by), compute)


def sorted_histogram(ascending: np.ndarray, edges: np.ndarray) -> list[int]:
    """``np.histogram`` counts of sorted values (last bin closed on the right)."""
    positions = np.searchsorted(ascending, edges, side="left")
    positions[-1] = np.searchsorted(ascending, edges[-1], side="right")
    return np.diff(positions).tolist()


def _error_histogram(ctx: RunContext) -> Histogram:
    errors = {s: regression_data(ctx, s).sorted_error for s in sides(ctx)}
    edges = histogram_edges(*errors.values(), bins=HISTOGRAM_BINS)
    counts = {s: sorted_histogram(e, edges) for s, e in errors.items()}
    return Histogram(edges=edges.tolist(), current=counts["current"], reference=counts.get("reference"))


class RegressionQualityMetric(_RegressionMetric[RegressionQualityMetricResults]):
    """R2, RMSE, mean (absolute, percentage) errors and their spread, max error, error groups, baselines."""

    result_type = RegressionQualityMetricResults

    def calculate(self, ctx: RunContext) -> RegressionQualityMetricResults:
        from monitorflow.metrics.regression_bias import bias_features, error_bias

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
            me_default_sigma=finite_or_nan(_std(current.error)),
            mean_abs_error_default=finite_or_nan(baselines.mean_abs_error),
            mean_abs_perc_error_default=finite_or_nan(baselines.mean_abs_perc_error),
            abs_error_max_default=finite_or_nan(baselines.abs_error_max),
            me_hist_for_plot=_error_histogram(ctx),
            error_normality=error_normality(current.error),
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


# ------------------------------------------------------------------------ plots as aggregates


class PredActualBins(MetricResult):
    """2-D histogram: ``counts[i][j]`` rows with the target in bin ``i`` and the prediction in bin ``j``
    (the same ``edges`` on both axes)."""

    edges: list[float]
    counts: list[list[int]]


class RegressionPredictedVsActualScatterResults(MetricResult):
    current: PredActualBins
    reference: PredActualBins | None = None
    agg_data: bool = True


def _bin_index(values: np.ndarray, low: float, high: float, bins: int) -> np.ndarray:
    scaled = (values - low) / (high - low) * bins
    return np.clip(scaled.astype(np.int64), 0, bins - 1)


class RegressionPredictedVsActualScatter(_RegressionMetric[RegressionPredictedVsActualScatterResults]):
    """Predicted vs actual values as binned 2-D counts (``SCATTER_BINS`` per axis), not raw points."""

    result_type = RegressionPredictedVsActualScatterResults

    def calculate(self, ctx: RunContext) -> RegressionPredictedVsActualScatterResults:
        data = {s: regression_data(ctx, s) for s in sides(ctx)}
        low = min(min(d.sorted_target[0], float(d.p.min())) for d in data.values())
        high = max(max(d.sorted_target[-1], float(d.p.max())) for d in data.values())
        if low == high:
            low, high = low - 0.5, high + 0.5
        edges = np.linspace(low, high, SCATTER_BINS + 1)
        bins = {}
        for side, d in data.items():
            index = _bin_index(d.y, low, high, SCATTER_BINS) * SCATTER_BINS + _bin_index(
                d.p, low, high, SCATTER_BINS
            )
            counts = np.bincount(index, minlength=SCATTER_BINS * SCATTER_BINS).reshape(
                SCATTER_BINS, SCATTER_BINS
            )
            bins[side] = PredActualBins(edges=edges.tolist(), counts=counts.tolist())
        return RegressionPredictedVsActualScatterResults(
            current=bins["current"], reference=bins.get("reference")
        )


class HistogramData(MetricResult):
    edges: list[float]
    count: list[int]


class RegressionErrorDistributionResults(MetricResult):
    """Histograms of the error (prediction - target) over shared bins."""

    current_bins: HistogramData
    reference_bins: HistogramData | None = None


class RegressionErrorDistribution(_RegressionMetric[RegressionErrorDistributionResults]):
    """Distribution of the error (prediction - target)."""

    result_type = RegressionErrorDistributionResults

    def calculate(self, ctx: RunContext) -> RegressionErrorDistributionResults:
        histogram = _error_histogram(ctx)
        reference = None
        if histogram.reference is not None:
            reference = HistogramData(edges=histogram.edges, count=histogram.reference)
        return RegressionErrorDistributionResults(
            current_bins=HistogramData(edges=histogram.edges, count=histogram.current),
            reference_bins=reference,
        )


class QQData(MetricResult):
    """``x``: standard normal quantiles; ``y``: the same quantiles of the standardized error."""

    x: list[Float]
    y: list[Float]


class QQLine(MetricResult):
    """Least-squares line of ``y`` on ``x`` through the Q-Q points (end points, slope, intercept, r)."""

    x: list[Float]
    y: list[Float]
    slope: Float
    intercept: Float
    r: Float


class RegressionErrorNormalityResults(MetricResult):
    current_plot: QQData
    current_theoretical: QQLine
    reference_plot: QQData | None = None
    reference_theoretical: QQLine | None = None


def qq_probabilities(points: int = QQ_POINTS) -> np.ndarray:
    return (np.arange(1, points + 1) - 0.5) / points


def _qq(data: RegressionData) -> tuple[QQData, QQLine]:
    from scipy.special import ndtri  # imported when used: keeps `import monitorflow` light

    p = qq_probabilities()
    x = ndtri(p)
    mean, std = float(data.error.mean()), _std(data.error)
    sample = np.array([_quantile(data.sorted_error, q) for q in p])
    y = (sample - mean) / std if std and math.isfinite(std) else np.full(p.size, math.nan)
    if np.all(np.isfinite(y)) and np.ptp(y) > 0:
        slope, intercept = np.polyfit(x, y, 1)
        r = float(np.corrcoef(x, y)[0, 1])
    else:
        slope = intercept = r = math.nan
    line_x = np.array([x[0], x[-1]])
    return (
        QQData(x=[finite_or_nan(v) for v in x], y=[finite_or_nan(v) for v in y]),
        QQLine(
            x=[finite_or_nan(v) for v in line_x],
            y=[finite_or_nan(v) for v in slope * line_x + intercept],
            slope=finite_or_nan(slope),
            intercept=finite_or_nan(intercept),
            r=finite_or_nan(r),
        ),
    )


class RegressionErrorNormality(_RegressionMetric[RegressionErrorNormalityResults]):
    """Q-Q plot of the standardized error against the normal distribution, at ``QQ_POINTS`` quantiles."""

    result_type = RegressionErrorNormalityResults

    def calculate(self, ctx: RunContext) -> RegressionErrorNormalityResults:
        plots = {s: _qq(regression_data(ctx, s)) for s in sides(ctx)}
        reference = plots.get("reference")
        return RegressionErrorNormalityResults(
            current_plot=plots["current"][0],
            current_theoretical=plots["current"][1],
            reference_plot=reference[0] if reference else None,
            reference_theoretical=reference[1] if reference else None,
        )


class TopData(MetricResult):
    """Per error group (underestimation, majority, overestimation): mean and std of the error, rows."""

    mean_err_per_group: dict[str, dict[str, Float]]


class RegressionTopErrorMetricResults(MetricResult):
    current: TopData
    reference: TopData | None = None
    agg_data: bool = True


def _top_data(data: RegressionData) -> TopData:
    result = {}
    for name, errors in zip(GROUPS, data.sorted_groups(TOP_ERROR), strict=True):
        result[name] = {
            "mean_error": finite_or_nan(_mean(errors)),
            "std_error": finite_or_nan(_std(errors)),
            "count": float(errors.size),
        }
    return TopData(mean_err_per_group=result)


class RegressionTopErrorMetric(_RegressionMetric[RegressionTopErrorMetricResults]):
    """Error statistics of the 5% most under-estimated, the 5% most over-estimated rows and the rest."""

    result_type = RegressionTopErrorMetricResults

    def calculate(self, ctx: RunContext) -> RegressionTopErrorMetricResults:
        tops = {s: _top_data(regression_data(ctx, s)) for s in sides(ctx)}
        return RegressionTopErrorMetricResults(current=tops["current"], reference=tops.get("reference"))


__all__ = [
    "RegressionDummyMetric",
    "RegressionErrorDistribution",
    "RegressionErrorNormality",
    "RegressionPredictedVsActualScatter",
    "RegressionQualityMetric",
    "RegressionTopErrorMetric",
]

"""Regression results kept as aggregates: predicted vs actual as a 2-D histogram, the error's
distribution, its Q-Q plot against the normal distribution, the statistics of the top errors."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from monitorflow._types import ColumnName, Float
from monitorflow.context import RunContext
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_data import dataset_name, finite_or_nan, sides
from monitorflow.metrics.classification_lazy import is_lazy
from monitorflow.metrics.regression_base import (
    GROUPS,
    QQ_POINTS,
    SCATTER_BINS,
    TOP_ERROR,
    _RegressionMetric,
    error_histogram,
)
from monitorflow.metrics.regression_data import RegressionData, kept_pairs, regression_data


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


#: Fewest bytes the distinct (target, prediction) pairs of a side may hold (24 a pair).
MIN_PAIR_BYTES = 1 << 20


@dataclass(frozen=True)
class ScatterPairs:
    """The distinct (target, prediction) pairs of some kept rows and how many rows hold each: any
    shared bins' counts follow exactly, whatever the other side's range. ``limit``: most pairs kept;
    above it ``a.merge(b)`` gives None (the counts are then made per run from the rows)."""

    y: np.ndarray
    p: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(
        cls, frame: pd.DataFrame, target: ColumnName, prediction: ColumnName, dataset: str
    ) -> ScatterPairs:
        y, p = kept_pairs(frame, target, prediction, dataset)
        return cls.distinct(y, p, np.ones(y.size, dtype=np.int64))

    @classmethod
    def distinct(cls, y: np.ndarray, p: np.ndarray, counts: np.ndarray) -> ScatterPairs:
        order = np.lexsort((p, y))
        y, p, counts = y[order], p[order], counts[order]
        starts = np.flatnonzero(np.concatenate(([True], (y[1:] != y[:-1]) | (p[1:] != p[:-1]))))[: y.size]
        return cls(y[starts], p[starts], np.add.reduceat(counts, starts) if y.size else counts)

    def counts_in(self, low: float, high: float, bins: int) -> np.ndarray:
        index = _bin_index(self.y, low, high, bins) * bins + _bin_index(self.p, low, high, bins)
        out = np.zeros(bins * bins, dtype=np.int64)
        np.add.at(out, index, self.counts)
        return out


def merge_pairs(a: ScatterPairs | None, b: ScatterPairs | None, limit: int) -> ScatterPairs | None:
    if a is None or b is None or a.counts.size + b.counts.size > 2 * limit:
        return None
    merged = ScatterPairs.distinct(
        np.concatenate([a.y, b.y]), np.concatenate([a.p, b.p]), np.concatenate([a.counts, b.counts])
    )
    return merged if merged.counts.size <= limit else None


def scatter_pairs(ctx: RunContext, data: RegressionData) -> ScatterPairs | None:
    """The distinct pairs of a side kept in a profile cache (a fixed reference), made once and kept
    with its other sums; None for other sides (their rows are counted as they are read) or when the
    pairs do not fit the memory budget."""
    if not is_lazy(ctx) or ctx.side(data.side).cache is None:  # type: ignore[attr-defined]
        return None
    limit = max(int(ctx.memory_budget(data.side)), MIN_PAIR_BYTES) // 24  # type: ignore[attr-defined]
    summarize = partial(
        ScatterPairs.of, target=data.target, prediction=data.prediction, dataset=dataset_name(data.side)
    )
    name = f"scatter-pairs:{data.target!r}:{data.prediction!r}:{limit}"
    columns = [data.target, data.prediction]
    return ctx.summary(data.side, name, columns, summarize, partial(merge_pairs, limit=limit), dtypes=True)


def _scatter_counts(ctx: RunContext, data: RegressionData, low: float, high: float) -> np.ndarray:
    """The side's pairs counted in the shared bins: from its distinct pairs, or from its rows (then
    kept under the bins' bounds: a fixed reference is read again only for bounds it has not seen)."""
    pairs = scatter_pairs(ctx, data)
    if pairs is not None:
        return pairs.counts_in(low, high, SCATTER_BINS)

    def count() -> np.ndarray:
        counts = np.zeros(SCATTER_BINS * SCATTER_BINS, dtype=np.int64)
        for chunk in data.chunks(ctx):
            index = _bin_index(chunk.y, low, high, SCATTER_BINS) * SCATTER_BINS + _bin_index(
                chunk.p, low, high, SCATTER_BINS
            )
            counts += np.bincount(index, minlength=SCATTER_BINS * SCATTER_BINS)
        return counts

    name = f"scatter:{data.target!r}:{data.prediction!r}:{low!r}:{high!r}"
    return ctx.kept(data.side, name, count)


class RegressionPredictedVsActualScatter(_RegressionMetric[RegressionPredictedVsActualScatterResults]):
    """Predicted vs actual values as binned 2-D counts (``SCATTER_BINS`` per axis), not raw points."""

    result_type = RegressionPredictedVsActualScatterResults

    def calculate(self, ctx: RunContext) -> RegressionPredictedVsActualScatterResults:
        data = {s: regression_data(ctx, s) for s in sides(ctx)}
        low = min(min(d.y.min, d.p.min) for d in data.values())
        high = max(max(d.y.max, d.p.max) for d in data.values())
        if low == high:
            low, high = low - 0.5, high + 0.5
        edges = np.linspace(low, high, SCATTER_BINS + 1)
        bins = {}
        for side, d in data.items():
            square = _scatter_counts(ctx, d, low, high).reshape(SCATTER_BINS, SCATTER_BINS)
            bins[side] = PredActualBins(edges=edges.tolist(), counts=square.tolist())
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
        histogram = error_histogram(ctx)
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
    from scipy.special import ndtri  # lazy: scipy is slow to import

    p = qq_probabilities()
    x = ndtri(p)
    mean, std = data.error.mean, data.error.std
    sample = np.array([data.error.quantile(q) for q in p])
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
    for name, moments in zip(GROUPS, data.group_moments(TOP_ERROR), strict=True):
        result[name] = {
            "mean_error": finite_or_nan(moments.mean),
            "std_error": finite_or_nan(moments.std),
            "count": float(moments.count),
        }
    return TopData(mean_err_per_group=result)


class RegressionTopErrorMetric(_RegressionMetric[RegressionTopErrorMetricResults]):
    """Error statistics of the 5% most under-estimated, the 5% most over-estimated rows and the rest."""

    result_type = RegressionTopErrorMetricResults

    def calculate(self, ctx: RunContext) -> RegressionTopErrorMetricResults:
        tops = {s: _top_data(regression_data(ctx, s)) for s in sides(ctx)}
        return RegressionTopErrorMetricResults(current=tops["current"], reference=tops.get("reference"))

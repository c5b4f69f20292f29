"""What every regression metric shares: its group, the error groups (under-, over-estimation and the
majority between), the bins of the plots and the histogram of the error."""

from __future__ import annotations

from typing import Generic, TypeVar

from monitorflow.column_stats import HISTOGRAM_BINS, histogram_edges
from monitorflow.context import RunContext
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.classification_data import sides
from monitorflow.metrics.data_integrity import Histogram
from monitorflow.metrics.regression_data import regression_data

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


def error_histogram(ctx: RunContext) -> Histogram:
    errors = {s: regression_data(ctx, s).error for s in sides(ctx)}
    edges = histogram_edges(*(e.sorted_finite for e in errors.values()), bins=HISTOGRAM_BINS)
    counts = {s: e.histogram(edges).tolist() for s, e in errors.items()}
    return Histogram(edges=edges.tolist(), current=counts["current"], reference=counts.get("reference"))

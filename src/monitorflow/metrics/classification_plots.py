"""Probabilistic classification plots of Evidently's ClassificationPreset, as bounded results.

- ``ClassificationLiftTable`` / ``ClassificationLiftCurve``: the lift table of a label (binary: the
  positive label; multiclass: every label), see :mod:`monitorflow.metrics.ranking_tables`.
- ``ClassificationClassSeparationPlot``: per label, the quartiles (min, 25%, median, 75%, max) of its
  probability on the rows of that label and on the others (Evidently's aggregated form; it stores
  every row with ``raw_data=True``).
- ``ClassificationProbDistribution``: per label, a ``PROBA_BINS``-bin histogram over [0, 1] of its
  probability on the rows of that label and on the others (Evidently stores the rows).

Only ``target_name`` (class separation) and the lift table are in ``as_dict()``, as in Evidently; the
rest are render fields.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from monitorflow._types import Float
from monitorflow.context import RunContext, Side
from monitorflow.metrics.base import MetricResult
from monitorflow.metrics.classification_base import _ClassificationMetric, _require_probas
from monitorflow.metrics.classification_data import (
    curve_labels,
    label_key,
    label_space,
    sides,
)
from monitorflow.metrics.classification_side import Ranking, side_data
from monitorflow.metrics.ranking_tables import lift_rows
from monitorflow.metrics.score_curve import sorted_quantile
from monitorflow.sorted_values import Sorted

#: Bins of the probability histograms of ClassificationProbDistribution.
PROBA_BINS = 20
LIFT_COLUMNS = (
    "top",
    "count",
    "prob",
    "tp",
    "fp",
    "precision",
    "recall",
    "f1_score",
    "lift",
    "max_lift",
    "relative_lift",
    "percent",
)


def _per_label(ctx: RunContext, who: str, compute: Any) -> dict[Side, dict[str, Any]]:
    space = label_space(ctx)
    _require_probas(space, who)
    out: dict[Side, dict[str, Any]] = {}
    for side in sides(ctx):
        data = side_data(ctx, side)
        out[side] = {label_key(space.labels[i]): compute(Ranking(data, i)) for i in curve_labels(space)}
    return out


class ClassificationLiftTableResults(MetricResult):
    current_lift_table: dict[str, list[list[Float]]]
    reference_lift_table: dict[str, list[list[Float]]] | None = None
    top: int


class ClassificationLiftTable(_ClassificationMetric[ClassificationLiftTableResults]):
    """The lift table (rows ranked by probability, per 1% of rows); ``top`` rows are shown in HTML."""

    result_type = ClassificationLiftTableResults
    top: int = 10

    def calculate(self, ctx: RunContext) -> ClassificationLiftTableResults:
        tables = _per_label(ctx, self.type_name, lift_rows)
        return ClassificationLiftTableResults(
            current_lift_table=tables["current"], reference_lift_table=tables.get("reference"), top=self.top
        )


class LiftCurveData(MetricResult):
    """The lift table's columns, one list each."""

    top: list[Float]
    count: list[int]
    prob: list[Float]
    tp: list[int]
    fp: list[int]
    precision: list[Float]
    recall: list[Float]
    f1_score: list[Float]
    lift: list[Float]
    max_lift: list[Float]
    relative_lift: list[Float]
    percent: list[Float]


def _lift_curve(ranking: Ranking) -> LiftCurveData:
    columns = list(zip(*lift_rows(ranking), strict=True))
    return LiftCurveData(**{name: list(values) for name, values in zip(LIFT_COLUMNS, columns, strict=True)})


class ClassificationLiftCurveResults(MetricResult):
    render_fields = frozenset({"current_lift_curve", "reference_lift_curve"})

    current_lift_curve: dict[str, LiftCurveData] | None = None
    reference_lift_curve: dict[str, LiftCurveData] | None = None


class ClassificationLiftCurve(_ClassificationMetric[ClassificationLiftCurveResults]):
    """The lift curve: lift of the top rows by probability, per 1% of rows."""

    result_type = ClassificationLiftCurveResults

    def calculate(self, ctx: RunContext) -> ClassificationLiftCurveResults:
        curves = _per_label(ctx, self.type_name, _lift_curve)
        return ClassificationLiftCurveResults(
            current_lift_curve=curves["current"], reference_lift_curve=curves.get("reference")
        )


class SeparationBoxes(MetricResult):
    """Quartiles of a label's probability: on the other rows (``values[0] == "others"``) and on the rows
    of the label (``values[1]``); a group without rows is left out."""

    values: list[str]
    mins: list[Float]
    lowers: list[Float]
    means: list[Float]
    uppers: list[Float]
    maxs: list[Float]


def _separation(label: str, others: Sorted, own: Sorted) -> SeparationBoxes:
    groups = [(name, values) for name, values in (("others", others), (label, own)) if values.size]
    quantiles = [[sorted_quantile(values, q) for q in (0, 0.25, 0.5, 0.75, 1)] for _, values in groups]
    columns = list(zip(*quantiles, strict=True)) if quantiles else [()] * 5
    return SeparationBoxes(
        values=[name for name, _ in groups],
        **{
            name: list(column)
            for name, column in zip(("mins", "lowers", "means", "uppers", "maxs"), columns, strict=True)
        },
    )


class ClassificationClassSeparationPlotResults(MetricResult):
    render_fields = frozenset({"current", "reference"})

    target_name: str
    current: dict[str, SeparationBoxes] | None = None
    reference: dict[str, SeparationBoxes] | None = None


class ClassificationClassSeparationPlot(_ClassificationMetric[ClassificationClassSeparationPlotResults]):
    """How well each label's probability separates its rows from the others (quartiles per group)."""

    result_type = ClassificationClassSeparationPlotResults

    def calculate(self, ctx: RunContext) -> ClassificationClassSeparationPlotResults:
        space = label_space(ctx)
        _require_probas(space, self.type_name)
        boxes: dict[Side, dict[str, SeparationBoxes]] = {}
        for side in sides(ctx):
            data = side_data(ctx, side)
            boxes[side] = {
                label_key(label): _separation(
                    label_key(label),
                    data.sorted_scores(i, positive=False),
                    data.sorted_scores(i, positive=True),
                )
                for i, label in enumerate(space.labels)
            }
        return ClassificationClassSeparationPlotResults(
            target_name=str(space.target), current=boxes["current"], reference=boxes.get("reference")
        )


class ProbabilityHistogram(MetricResult):
    """Counts per bin of ``edges`` (``PROBA_BINS`` equal bins over [0, 1]) of a label's probability on
    the rows of the label (``label``) and on the other rows (``other``)."""

    edges: list[float]
    label: list[int]
    other: list[int]


def _bin_counts(values: Sorted, edges: np.ndarray) -> list[int]:
    """``np.histogram(values, edges)[0]`` of sorted values (bins closed on the left, the last on both
    sides)."""
    bounds = np.asarray(values.searchsorted(edges, side="left"), dtype=np.int64)
    bounds[-1] = int(values.searchsorted(edges[-1], side="right"))
    return np.diff(bounds).tolist()


def _histogram(own: Sorted, others: Sorted) -> ProbabilityHistogram:
    edges = np.linspace(0.0, 1.0, PROBA_BINS + 1)
    return ProbabilityHistogram(
        edges=edges.tolist(), label=_bin_counts(own, edges), other=_bin_counts(others, edges)
    )


class ClassificationProbDistributionResults(MetricResult):
    render_fields = frozenset({"current_distribution", "reference_distribution"})

    current_distribution: dict[str, ProbabilityHistogram] | None = None
    reference_distribution: dict[str, ProbabilityHistogram] | None = None


class ClassificationProbDistribution(_ClassificationMetric[ClassificationProbDistributionResults]):
    """Histograms of each label's probability on its rows and on the others."""

    result_type = ClassificationProbDistributionResults

    def calculate(self, ctx: RunContext) -> ClassificationProbDistributionResults:
        space = label_space(ctx)
        if not space.has_probas:
            return ClassificationProbDistributionResults()  # Evidently: no distribution without probabilities
        histograms: dict[Side, dict[str, ProbabilityHistogram]] = {}
        for side in sides(ctx):
            data = side_data(ctx, side)
            histograms[side] = {
                label_key(label): _histogram(data.sorted_scores(i, True), data.sorted_scores(i, False))
                for i, label in enumerate(space.labels)
            }
        return ClassificationProbDistributionResults(
            current_distribution=histograms["current"], reference_distribution=histograms.get("reference")
        )


__all__ = [
    "ClassificationClassSeparationPlot",
    "ClassificationLiftCurve",
    "ClassificationLiftTable",
    "ClassificationProbDistribution",
]

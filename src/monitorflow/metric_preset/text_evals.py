"""TextEvals: a ColumnSummaryMetric of each descriptor of one text column."""

from __future__ import annotations

from typing import Any

from monitorflow._types import ColumnName
from monitorflow.column_mapping import DataDefinition
from monitorflow.descriptors import (
    OOV,
    Descriptor,
    DescriptorField,
    NonLetterCharacterPercentage,
    SentenceCount,
    Sentiment,
    TextLength,
)
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.metrics.data_integrity import ColumnSummaryMetric


def default_descriptors() -> list[Descriptor]:
    """Evidently's defaults, in its order."""
    return [TextLength(), SentenceCount(), Sentiment(), OOV(), NonLetterCharacterPercentage()]


class TextEvals(MetricPreset):
    """A summary of each descriptor of ``column_name`` (default: length, sentences, sentiment, OOV %,
    non-letters %).

    >>> TextEvals("review").generate_metrics(None)[0].column_name
    'Text Length for review'
    """

    column_name: ColumnName
    descriptors: list[DescriptorField] | None = None

    def generate_metrics(self, definition: DataDefinition | None) -> list[Metric[Any]]:
        descriptors = self.descriptors if self.descriptors is not None else default_descriptors()
        return [ColumnSummaryMetric(column_name=d.on(self.column_name)) for d in descriptors]

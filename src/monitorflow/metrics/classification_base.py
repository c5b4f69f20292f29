"""What every classification metric shares: its group, the threshold or top-k of label metrics,
and the refusal of a curve metric when there are no probabilities."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import Field, model_validator

from monitorflow.errors import MetricError
from monitorflow.metrics.base import Metric, MetricResult
from monitorflow.metrics.classification_data import LabelSpace

R = TypeVar("R", bound=MetricResult)


class _ClassificationMetric(Metric[R], Generic[R]):
    group = "classification"


class _ThresholdMetric(_ClassificationMetric[R], Generic[R]):
    """A metric of predicted labels: ``probas_threshold`` or top-``k`` turn binary probabilities into
    labels."""

    probas_threshold: float | None = Field(None, ge=0, le=1)
    k: int | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _threshold_or_k(self) -> _ThresholdMetric[R]:
        if self.probas_threshold is not None and self.k is not None:
            raise ValueError("give probas_threshold or k, not both")
        return self


def _require_probas(space: LabelSpace, who: str) -> None:
    if not space.has_probas:
        raise MetricError(
            f"{who} needs predicted probabilities, but {space.prediction_name!r} holds predicted labels; "
            "pass ColumnMapping(prediction=[one probability column per label]) or a probability column "
            "for binary",
            metric=who,
        )

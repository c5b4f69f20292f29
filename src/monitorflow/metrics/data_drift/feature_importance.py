"""Feature importances beside drift: ``DataDriftTable(feature_importance=True)`` and its
``FeatureImportanceMetric`` (Evidently's path and names).

Importances are taken from ``additional_data={"current_feature_importance": {...},
"reference_feature_importance": {...}}`` when given, else learnt: a random forest (classifier for a
classification target, regressor otherwise; ``min_samples_leaf=10``) is fitted on a sample of at most
5000 rows of each dataset, numerical and categorical features as inputs (categories as ordinal codes
of their text, missing values as 0), and its importances are rounded to 3 places, as Evidently does.
Evidently's forest is unseeded, so its importances change from run to run; this one is seeded
(``random_state=0``), so a run is repeatable. It needs scikit-learn (``pip install 'monitorflow[ml]'``).

>>> import pandas as pd
>>> from monitorflow import Report
>>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "target": [1.0, 2.0, 3.0, 4.0]})
>>> report = Report(metrics=[FeatureImportanceMetric()])
>>> report.run(current_data=frame, additional_data={"current_feature_importance": {"x": 1.0}})
>>> report.as_dict()["metrics"][0]["result"]["current"]
{'x': 1.0}
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from monitorflow._types import Float, column_key
from monitorflow.context import RunContext, Side
from monitorflow.errors import MissingDependencyError
from monitorflow.metrics.base import Metric, MetricResult

SAMPLE_SIZE = 5000


class FeatureImportanceMetricResult(MetricResult):
    current: dict[str, Float] | None = None
    reference: dict[str, Float] | None = None

    def get_pandas(self) -> pd.DataFrame:
        """One row per dataset: a column per feature and ``dataset`` (``current`` / ``reference``)."""
        rows = [{**values, "dataset": side} for side, values in self._sides()]
        return pd.DataFrame(rows) if rows else pd.DataFrame()

    def _sides(self) -> list[tuple[str, dict[str, float]]]:
        return [
            (s, v) for s, v in (("current", self.current), ("reference", self.reference)) if v is not None
        ]


def _encoded(frame: pd.DataFrame, categorical: Sequence[object]) -> pd.DataFrame:
    encoded = frame.copy()
    for column in categorical:
        text = encoded[column].astype(str)
        encoded[column] = pd.Categorical(text, categories=sorted(text.unique())).codes.astype(float)
    return encoded


def learnt_importances(ctx: RunContext, side: Side) -> dict[str, float] | None:
    """Importances of a random forest fitted on a sample of one dataset (None without a target)."""
    definition = ctx.definition
    if definition.target is None:
        return None
    try:
        from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor  # optional: ml extra
    except ImportError as exc:
        raise MissingDependencyError("scikit-learn", "ml") from exc
    numerical, categorical = definition.numerical_features, definition.categorical_features
    features = [*numerical, *categorical]
    frame = ctx.data(side)
    sample = frame.sample(min(SAMPLE_SIZE, len(frame)), random_state=0)
    inputs = _encoded(sample[features], categorical).fillna(0)
    model_type = RandomForestRegressor if definition.task == "regression" else RandomForestClassifier
    model = model_type(min_samples_leaf=10, random_state=0)
    model.fit(inputs, sample[definition.target])
    return {
        column_key(c): float(np.round(v, 3))
        for c, v in zip(features, model.feature_importances_, strict=True)
    }


class FeatureImportanceMetric(Metric[FeatureImportanceMetricResult]):
    """Feature importances of current and reference, given or learnt (see the module docstring)."""

    result_type = FeatureImportanceMetricResult
    group = "data drift"

    def calculate(self, ctx: RunContext) -> FeatureImportanceMetricResult:
        given = ctx.additional_data.get("current_feature_importance")
        if given is not None:
            reference = ctx.additional_data.get("reference_feature_importance")
            return FeatureImportanceMetricResult(
                current={column_key(k): float(v) for k, v in given.items()},
                reference=None
                if reference is None
                else {column_key(k): float(v) for k, v in reference.items()},
            )
        return FeatureImportanceMetricResult(
            current=learnt_importances(ctx, "current"),
            reference=learnt_importances(ctx, "reference") if ctx.has_reference else None,
        )


__all__ = ["FeatureImportanceMetric", "FeatureImportanceMetricResult", "learnt_importances"]

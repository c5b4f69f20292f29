"""Ground-truth tasks: read late labels and predictions, evaluate model quality per window."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.monitoring.definition import Monitor
from monitorflow.monitoring.ground_truth import evaluate_quality_windows, read_labels, read_predictions
from monitorflow.monitoring.results import Batch
from monitorflow.monitoring.windows import Window
from monitorflow.tasks.load import retry_on_io


@task(name="load-labels", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)
def load_labels(monitor: Monitor, start: datetime, end: datetime) -> pd.DataFrame:
    """The labels known now for predictions made in [start, end) (the last label per key wins)."""
    return read_labels(monitor, start, end)


@task(name="load-predictions", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)
def load_predictions(
    monitor: Monitor,
    project: UUID,
    windows: list[Window],
    model_version: str | None = None,
    optional: int = 0,
) -> list[Batch]:
    """Each window's predictions: stored with its snapshots, else read again from the current source
    (the first ``optional`` windows, history for the reconciliation, may be missing)."""
    return read_predictions(monitor, project, windows, model_version, optional)


#: Model-quality snapshots of a chunk of windows and their reconciliation with the estimates.
compute_quality = task(name="compute-quality", cache_policy=NO_CACHE)(evaluate_quality_windows)


__all__ = ["compute_quality", "load_labels", "load_predictions"]

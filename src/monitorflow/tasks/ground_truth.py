"""Ground-truth tasks: read late labels and predictions, evaluate model quality per window (the
Prefect tasks of :mod:`monitorflow.monitoring.ground_truth`'s functions)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.monitoring.ground_truth import evaluate_quality_windows, read_labels, read_predictions
from monitorflow.tasks.load import retry_on_io

#: The labels known now for predictions made in [start, end) (the last label per key wins).
load_labels = task(name="load-labels", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)(read_labels)
#: Each window's predictions: stored with its snapshots, else read again from the current source.
load_predictions = task(name="load-predictions", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)(
    read_predictions
)
#: Model-quality snapshots of a chunk of windows and their reconciliation with the estimates.
compute_quality = task(name="compute-quality", cache_policy=NO_CACHE)(evaluate_quality_windows)


__all__ = ["compute_quality", "load_labels", "load_predictions"]

"""Compute task: the evaluations of a chunk of windows (see :mod:`monitorflow.monitoring.evaluate`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.monitoring.definition import Monitor
from monitorflow.monitoring.evaluate import evaluate_windows
from monitorflow.monitoring.results import Batch, Evaluation


@task(name="compute-windows", cache_policy=NO_CACHE)
def compute_windows(
    monitor: Monitor,
    batches: list[Batch],
    reference: pd.DataFrame | None,
    model_version: str | None = None,
    segments: list[str] | None = None,
    states: list[Any] | None = None,
) -> list[Evaluation]:
    """Reports and test suites of a chunk of windows (pure computation; no I/O)."""
    return evaluate_windows(monitor, batches, reference, model_version, segments, states)

"""Load tasks: read the windows of a monitor's sources (retried on I/O errors)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.errors import SourceError
from monitorflow.monitors import FixedPeriod, Monitor, ShiftedWindow, Window
from monitorflow.sources import load_source
from monitorflow.tasks.results import Batch


def retry_on_io(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a failed read unless it failed on configuration (a bad path template, import or column)."""
    error = getattr(state, "data", None)
    return not (isinstance(error, SourceError) and not error.transient)


def moving_reference(monitor: Monitor) -> bool:
    """Whether the reference moves with the window (``reference_window: {shift: ...}``)."""
    return monitor.reference is not None and isinstance(monitor.reference_window, ShiftedWindow)


@task(name="load-reference", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)
def load_reference(monitor: Monitor) -> pd.DataFrame | None:
    """The reference rows shared by every window: the whole source or a fixed period (None: no
    reference, or one that moves with the window and is read by :func:`load_windows`)."""
    if monitor.reference is None or moving_reference(monitor):
        return None
    period = monitor.reference_window
    window = Window(start=period.start, end=period.end) if isinstance(period, FixedPeriod) else None
    return load_source(monitor.reference, window, workspace=monitor.workspace)


@task(name="load-windows", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)
def load_windows(monitor: Monitor, windows: list[Window]) -> list[Batch]:
    """The current rows of each window (and its reference when that moves with the window)."""
    batches = []
    for window in windows:
        current = load_source(monitor.current, window, workspace=monitor.workspace)
        reference = None
        if moving_reference(monitor):
            period = monitor.reference_period(window)
            reference = load_source(monitor.reference, period, workspace=monitor.workspace)
        batches.append(Batch(window=window, current=current, reference=reference))
    return batches

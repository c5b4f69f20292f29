"""Load tasks: read the windows of a monitor's sources (retried on I/O errors)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.errors import SourceError
from monitorflow.monitoring.definition import Monitor
from monitorflow.monitoring.loading import read_reference, read_windows
from monitorflow.monitoring.results import Batch
from monitorflow.monitoring.windows import Window


def retry_on_io(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a failed read unless it failed on configuration (a bad path template, import or column)."""
    error = getattr(state, "data", None)
    return not (isinstance(error, SourceError) and not error.transient)


@task(name="load-reference", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)
def load_reference(monitor: Monitor) -> pd.DataFrame | None:
    """The reference rows shared by every window (see
    :func:`monitorflow.monitoring.loading.read_reference`)."""
    return read_reference(monitor)


@task(name="load-windows", cache_policy=NO_CACHE, retry_condition_fn=retry_on_io)
def load_windows(monitor: Monitor, windows: list[Window]) -> list[Batch]:
    """The current rows of each window (and its reference when that moves with the window)."""
    return read_windows(monitor, windows)

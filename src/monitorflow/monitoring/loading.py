"""Read a monitor's windows: the current rows of each window and the reference they are compared with."""

from __future__ import annotations

from typing import Any

from monitorflow.monitoring.definition import Monitor
from monitorflow.monitoring.results import Batch
from monitorflow.monitoring.sources import open_source
from monitorflow.monitoring.windows import FixedPeriod, ShiftedWindow, Window


def moving_reference(monitor: Monitor) -> bool:
    """Whether the reference moves with the window (``reference_window: {shift: ...}``)."""
    return monitor.reference is not None and isinstance(monitor.reference_window, ShiftedWindow)


def read_reference(monitor: Monitor) -> Any:
    """The reference rows shared by every window: the whole source or a fixed period (None: no
    reference, or one that moves with the window and is read by :func:`read_windows`); a lazy
    source (``kind: parquet``, SQL ``pushdown``) is opened, not read."""
    if monitor.reference is None or moving_reference(monitor):
        return None
    period = monitor.reference_window
    window = Window(start=period.start, end=period.end) if isinstance(period, FixedPeriod) else None
    return open_source(monitor.reference, window, workspace=monitor.workspace)


def read_windows(monitor: Monitor, windows: list[Window]) -> list[Batch]:
    """The current rows of each window (and its reference when that moves with the window)."""
    batches = []
    for window in windows:
        current = open_source(monitor.current, window, workspace=monitor.workspace)
        reference = None
        if moving_reference(monitor) and monitor.reference is not None:
            period = monitor.reference_period(window)
            reference = open_source(monitor.reference, period, workspace=monitor.workspace)
        batches.append(Batch(window=window, current=current, reference=reference))
    return batches

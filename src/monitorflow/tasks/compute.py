"""Compute task: the evaluations of a chunk of windows (see :mod:`monitorflow.monitoring.evaluate`)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from monitorflow.monitoring.evaluate import evaluate_windows

#: Reports and test suites of a chunk of windows (pure computation; no I/O).
compute_windows = task(name="compute-windows", cache_policy=NO_CACHE)(evaluate_windows)

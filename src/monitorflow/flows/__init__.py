"""Prefect flows: ``monitor`` (one window at the run's logical time), ``backfill`` (every window of
a period in one run), ``ground-truth`` (model quality once labels arrive).

>>> from monitorflow.flows import backfill_flow, monitor_flow     # doctest: +SKIP
>>> monitor_flow(monitor=load_monitor("deployments/monitors/churn.yaml"))  # doctest: +SKIP
"""

from monitorflow.flows.backfill import backfill_flow
from monitorflow.flows.deployments import schedule_window_runs
from monitorflow.flows.ground_truth import ground_truth_flow
from monitorflow.flows.monitor import monitor_flow
from monitorflow.flows.runtime import progress_listener
from monitorflow.flows.summary import RunFailed, RunSummary, TestsFailed

__all__ = [
    "RunFailed",
    "RunSummary",
    "TestsFailed",
    "backfill_flow",
    "ground_truth_flow",
    "monitor_flow",
    "progress_listener",
    "schedule_window_runs",
]

"""Evidently's ``base_metric`` path: base classes of metrics (re-exports of
:mod:`monitorflow.metrics.base_metric`)."""

from monitorflow.metrics.base_metric import *  # noqa: F403 (the same surface, by design)
from monitorflow.metrics.base_metric import __all__  # noqa: F401

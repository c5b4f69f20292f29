"""The monitor definition's former import path; the code lives in :mod:`monitorflow.monitoring`."""

from monitorflow.errors import MonitorConfigError
from monitorflow.monitoring import *  # noqa: F403 (the same public names)
from monitorflow.monitoring import __all__ as _names

__all__ = [*_names, "MonitorConfigError"]

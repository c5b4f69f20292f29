"""The source readers' former import path; the code lives in :mod:`monitorflow.monitoring.sources`."""

from monitorflow.monitoring.sources import *  # noqa: F403 (the same public names)
from monitorflow.monitoring.sources import __all__  # noqa: F401

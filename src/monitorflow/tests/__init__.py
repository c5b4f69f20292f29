"""Evidently's import path for the Test* checks: ``from monitorflow.tests import TestNumberOfRows``.

The checks live in :mod:`monitorflow.checks` (a name that does not collide with a project's own
``tests/`` folder); this module re-exports them so that ported Evidently code keeps working.
"""

from monitorflow.checks import *  # noqa: F403 (the whole public surface, by design)
from monitorflow.checks import __all__  # noqa: F401

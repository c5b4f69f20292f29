"""Evidently's import path ``test_suite.test_suite``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.test_suite import TestSuite

__all__ = ["TestSuite"]

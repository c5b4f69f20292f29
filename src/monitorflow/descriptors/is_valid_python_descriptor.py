"""Evidently's import path ``descriptors.is_valid_python_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.validity import IsValidPython

__all__ = ["IsValidPython"]

"""Evidently's import path ``descriptors.is_valid_json_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.validity import IsValidJSON

__all__ = ["IsValidJSON"]

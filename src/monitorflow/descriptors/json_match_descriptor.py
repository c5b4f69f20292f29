"""Evidently's import path ``descriptors.json_match_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.validity import JSONMatch

__all__ = ["JSONMatch"]

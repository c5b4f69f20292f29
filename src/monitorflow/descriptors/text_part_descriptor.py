"""Evidently's import path ``descriptors.text_part_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.patterns import BeginsWith, EndsWith

__all__ = ["BeginsWith", "EndsWith"]

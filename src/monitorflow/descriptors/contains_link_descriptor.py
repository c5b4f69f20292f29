"""Evidently's import path ``descriptors.contains_link_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.patterns import ContainsLink

__all__ = ["ContainsLink"]

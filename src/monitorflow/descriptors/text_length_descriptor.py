"""Evidently's import path ``descriptors.text_length_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.text_stats import TextLength

__all__ = ["TextLength"]

"""Evidently's import path ``descriptors.text_contains_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.patterns import Contains, DoesNotContain, ItemMatch, ItemNoMatch

__all__ = ["Contains", "DoesNotContain", "ItemMatch", "ItemNoMatch"]

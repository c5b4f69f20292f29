"""Evidently's import path ``descriptors.exact_match_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.patterns import ExactMatch

__all__ = ["ExactMatch"]

"""Evidently's import path ``descriptors.regexp_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.patterns import RegExp

__all__ = ["RegExp"]

"""Evidently's import path ``descriptors.BERTScore_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.models import BERTScore

__all__ = ["BERTScore"]

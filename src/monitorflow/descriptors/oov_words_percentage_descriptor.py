"""Evidently's import path ``descriptors.oov_words_percentage_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.words import OOV

__all__ = ["OOV"]

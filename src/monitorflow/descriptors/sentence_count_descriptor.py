"""Evidently's import path ``descriptors.sentence_count_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.text_stats import SentenceCount

__all__ = ["SentenceCount"]

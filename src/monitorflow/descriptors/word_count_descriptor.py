"""Evidently's import path ``descriptors.word_count_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.text_stats import WordCount

__all__ = ["WordCount"]

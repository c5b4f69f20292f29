"""Evidently's import path ``descriptors.words_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.words import ExcludesWords, IncludesWords, WordMatch, WordNoMatch

__all__ = ["ExcludesWords", "IncludesWords", "WordMatch", "WordNoMatch"]

"""Evidently's import path ``descriptors.trigger_words_presence_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.words import TriggerWordsPresence

__all__ = ["TriggerWordsPresence"]

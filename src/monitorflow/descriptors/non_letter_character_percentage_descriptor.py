"""Evidently's import path ``descriptors.non_letter_character_percentage_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.text_stats import NonLetterCharacterPercentage

__all__ = ["NonLetterCharacterPercentage"]

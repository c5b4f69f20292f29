"""Evidently's import path ``descriptors.sentiment_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.sentiment import Sentiment

__all__ = ["Sentiment"]

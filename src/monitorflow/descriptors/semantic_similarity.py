"""Evidently's import path ``descriptors.semantic_similarity``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.models import SemanticSimilarity

__all__ = ["SemanticSimilarity"]

"""Evidently's import path ``descriptors.hf_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.models import HuggingFaceModel, HuggingFaceToxicityModel

__all__ = ["HuggingFaceModel", "HuggingFaceToxicityModel"]

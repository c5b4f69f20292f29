"""Helpers of Evidently's ``utils`` package that user code imports (JSON encoding, types, generators)."""

from monitorflow.utils.numpy_encoder import NumpyEncoder

__all__ = ["NumpyEncoder"]

"""Helpers of Evidently's ``utils`` package that user code imports (JSON encoding, types, generators)."""

"""Evidently's ``pipeline`` package path (see :mod:`monitorflow.pipeline.column_mapping`)."""

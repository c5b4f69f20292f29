"""Evidently's import path ``descriptors.json_schema_match_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.validity import JSONSchemaMatch

__all__ = ["JSONSchemaMatch"]

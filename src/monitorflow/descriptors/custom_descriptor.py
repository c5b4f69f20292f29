"""Evidently's import path ``descriptors.custom_descriptor``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.descriptors.custom import CustomColumnEval, CustomPairColumnEval

__all__ = ["CustomColumnEval", "CustomPairColumnEval"]

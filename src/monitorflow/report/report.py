"""Evidently's import path ``report.report``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.report import Report

__all__ = ["Report"]

"""Evidently's ``metrics.regression_performance`` package path.

Its per-file modules re-export monitorflow's classes for ported Evidently code.
"""

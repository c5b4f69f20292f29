"""Evidently's import path ``metrics.data_drift.text_metric``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.comment import Comment, CommentResults

__all__ = ["Comment", "CommentResults"]

"""Evidently's ``pipeline.column_mapping`` path: ``ColumnMapping`` (a re-export of
:mod:`monitorflow.column_mapping`) and the task names ``TaskType`` / ``RecomType``.

>>> ColumnMapping(task=TaskType.REGRESSION_TASK).task
'regression'
"""

from monitorflow.column_mapping import ColumnMapping


class TaskType:
    """The values of ``ColumnMapping.task``, under Evidently's names."""

    REGRESSION_TASK = "regression"
    CLASSIFICATION_TASK = "classification"
    RECSYS_TASK = "recsys"


class RecomType:
    """The values of ``ColumnMapping.recommendations_type``, under Evidently's names."""

    SCORE = "score"
    RANK = "rank"


__all__ = ["ColumnMapping", "RecomType", "TaskType"]

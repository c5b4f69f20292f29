"""Evidently's ``pipeline.column_mapping`` path: ``ColumnMapping`` (a re-export of
:mod:`monitorflow.column_mapping`) and the task names ``TaskType`` / ``RecomType``.

>>> ColumnMapping(task=TaskType.REGRESSION_TASK).task
'regression'
"""

from monitorflow.column_mapping import ColumnMapping
from monitorflow.data_definition import RecomType


class TaskType:
    """The values of ``ColumnMapping.task``, under Evidently's names."""

    REGRESSION_TASK = "regression"
    CLASSIFICATION_TASK = "classification"
    RECSYS_TASK = "recsys"


__all__ = ["ColumnMapping", "RecomType", "TaskType"]

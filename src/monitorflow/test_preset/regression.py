"""RegressionTestPreset, with Evidently's composition."""

from __future__ import annotations

from monitorflow.column_mapping import DataDefinition
from monitorflow.checks.base import Test, TestPreset
from monitorflow.checks.regression import TestValueMAE, TestValueMAPE, TestValueMeanError, TestValueRMSE


class RegressionTestPreset(TestPreset):
    """Mean error, MAE, RMSE, MAPE."""

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        return [TestValueMeanError(), TestValueMAE(), TestValueRMSE(), TestValueMAPE()]

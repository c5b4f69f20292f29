"""RegressionTestPreset, with Evidently's composition."""

from __future__ import annotations

from monitorflow.checks.base import Test, TestPreset
from monitorflow.checks.regression import TestValueMAE, TestValueMAPE, TestValueMeanError, TestValueRMSE
from monitorflow.column_mapping import DataDefinition


class RegressionTestPreset(TestPreset):
    """Mean error, MAE, RMSE, MAPE."""

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        return [TestValueMeanError(), TestValueMAE(), TestValueRMSE(), TestValueMAPE()]

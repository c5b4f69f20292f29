"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_build_metric_over_python_function.ipynb
(on generated bike-sharing data: the notebook downloads the UCI set)."""

from sklearn.metrics import explained_variance_score, r2_score

from monitorflow import ColumnMapping
from monitorflow.base_metric import InputData
from monitorflow.metrics import RegressionQualityMetric
from monitorflow.metrics.custom_metric import CustomValueMetric
from monitorflow.renderers.html_widgets import WidgetSize
from monitorflow.report import Report
from monitorflow.test_suite import TestSuite
from monitorflow.tests.custom_test import CustomValueTest

DIFFERENCES = {
    "*.parameters.value": "Evidently's CustomValueTest leaves its parameters' value empty (None)",
}


def data():
    from tests.compat.compat_data import bikes_with_prediction

    reference, current = bikes_with_prediction()
    return {"reference": reference, "current": current}


def variance_func(data: InputData):
    return explained_variance_score(
        data.current_data[data.column_mapping.target], data.current_data[data.column_mapping.prediction]
    )


def r2_func(data: InputData):
    return r2_score(
        data.current_data[data.column_mapping.target], data.current_data[data.column_mapping.prediction]
    )


def run(frames, workdir):
    column_mapping = ColumnMapping()
    column_mapping.target = "cnt"
    column_mapping.prediction = "prediction"
    column_mapping.numerical_features = ["temp", "atemp", "hum", "windspeed", "hr", "weekday"]
    column_mapping.categorical_features = ["season", "holiday", "workingday"]
    report = Report(
        metrics=[
            RegressionQualityMetric(),
            CustomValueMetric(func=r2_func, title="Current: R2 score", size=WidgetSize.HALF),
            CustomValueMetric(func=variance_func, title="Current: Variance", size=WidgetSize.HALF),
        ]
    )
    report.run(
        reference_data=frames["reference"], current_data=frames["current"], column_mapping=column_mapping
    )
    report.show(mode="inline")
    suite = TestSuite(tests=[CustomValueTest(func=r2_func, title="Current R2 score", lte=0.9, gte=0.7)])
    suite.run(
        reference_data=frames["reference"], current_data=frames["current"], column_mapping=column_mapping
    )
    suite.show(mode="inline")
    return {"report": report.as_dict(), "suite": suite.as_dict()}

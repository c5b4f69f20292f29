"""Evidently 0.4 code that imports each class from the file defining it, not from its package.

Written from the per-file imports found in Evidently 0.4's API reference and in user scripts
(``evidently.report.report``, ``evidently.metrics.data_drift.column_drift_metric``,
``evidently.tests.data_drift_tests``, ...): a drift and data quality report, a regression and a
classification report, and a test suite with the column drift generators, all through those paths.
"""

from monitorflow.metric_preset.target_drift import TargetDriftPreset
from monitorflow.metrics.classification_performance.classification_quality_metric import (
    ClassificationQualityMetric,
)
from monitorflow.metrics.classification_performance.confusion_matrix_metric import (
    ClassificationConfusionMatrix,
)
from monitorflow.metrics.data_drift.column_drift_metric import ColumnDriftMetric
from monitorflow.metrics.data_drift.data_drift_table import DataDriftTable
from monitorflow.metrics.data_drift.dataset_drift_metric import DatasetDriftMetric
from monitorflow.metrics.data_integrity.column_summary_metric import ColumnSummaryMetric
from monitorflow.metrics.data_integrity.dataset_missing_values_metric import DatasetMissingValuesMetric
from monitorflow.metrics.data_quality.column_quantile_metric import ColumnQuantileMetric
from monitorflow.metrics.data_quality.column_value_range_metric import ColumnValueRangeMetric
from monitorflow.metrics.regression_performance.error_bias_table import RegressionErrorBiasTable
from monitorflow.metrics.regression_performance.regression_quality import RegressionQualityMetric
from monitorflow.metrics.regression_performance.top_error import RegressionTopErrorMetric
from monitorflow.pipeline.column_mapping import ColumnMapping
from monitorflow.report.report import Report
from monitorflow.test_preset.data_stability import DataStabilityTestPreset
from monitorflow.test_suite.test_suite import TestSuite
from monitorflow.tests.data_drift_tests import (
    TestAllFeaturesValueDrift,
    TestColumnDrift,
    TestCustomFeaturesValueDrift,
    TestShareOfDriftedColumns,
)
from monitorflow.tests.data_integrity_tests import (
    TestAllColumnsShareOfMissingValues,
    TestNumberOfColumnsWithMissingValues,
    TestNumberOfRows,
)
from monitorflow.tests.data_quality_tests import (
    TestColumnValueMean,
    TestNumColumnsMeanInNSigmas,
    TestShareOfOutRangeValues,
)
from monitorflow.tests.regression_performance_tests import TestValueMAE, TestValueRMSE

DIFFERENCES = {}


def data():
    import numpy as np

    from tests.compat.compat_data import adult_split, breast_cancer, housing

    adult_ref, adult_cur = adult_split()
    house = housing().rename(columns={"MedHouseVal": "target"})
    house["prediction"] = house["target"].values + np.random.default_rng(1).normal(0, 3, house.shape[0])
    _, _, bc_ref, bc_cur = breast_cancer()
    return {
        "adult_ref": adult_ref,
        "adult_cur": adult_cur,
        "housing_ref": house.sample(n=1500, random_state=1),
        "housing_cur": house.sample(n=1500, random_state=2),
        "bcancer_ref": bc_ref,
        "bcancer_cur": bc_cur,
    }


def _run(suite, frames, data, mapping=None):
    suite.run(
        reference_data=frames[f"{data}_ref"], current_data=frames[f"{data}_cur"], column_mapping=mapping
    )
    return suite.as_dict()


def run(frames, workdir):
    adult = ColumnMapping(
        numerical_features=["age", "education-num", "hours-per-week"],
        categorical_features=["education", "sex", "workclass"],
        target="class",
    )
    return {
        "drift_and_quality": _run(
            Report(
                metrics=[
                    DatasetDriftMetric(),
                    DataDriftTable(num_stattest="wasserstein"),
                    ColumnDriftMetric(column_name="education", stattest="jensenshannon"),
                    ColumnSummaryMetric(column_name="age"),
                    DatasetMissingValuesMetric(),
                    ColumnQuantileMetric(column_name="hours-per-week", quantile=0.9),
                    ColumnValueRangeMetric(column_name="age", left=18, right=65),
                    TargetDriftPreset(),
                ]
            ),
            frames,
            "adult",
            adult,
        ),
        "regression": _run(
            Report(
                metrics=[
                    RegressionQualityMetric(),
                    RegressionTopErrorMetric(),
                    RegressionErrorBiasTable(columns=["MedInc", "AveRooms"]),
                ]
            ),
            frames,
            "housing",
        ),
        "classification": _run(
            Report(
                metrics=[
                    ClassificationQualityMetric(),
                    ClassificationConfusionMatrix(),
                ]
            ),
            frames,
            "bcancer",
        ),
        "tests": _run(
            TestSuite(
                tests=[
                    TestNumberOfRows(),
                    TestNumberOfColumnsWithMissingValues(),
                    TestShareOfDriftedColumns(lt=0.5),
                    TestColumnDrift(column_name="age", stattest="psi"),
                    TestCustomFeaturesValueDrift(
                        features=["sex", "age"], num_stattest="ks", cat_stattest="z"
                    ),
                    TestAllFeaturesValueDrift(stattest_threshold=0.01, is_critical=False),
                    TestColumnValueMean(column_name="hours-per-week", gt=35),
                    TestShareOfOutRangeValues(column_name="age", left=18, right=65, lt=0.2),
                    TestAllColumnsShareOfMissingValues(is_critical=False),
                    TestNumColumnsMeanInNSigmas(columns=["age", "hours-per-week"], is_critical=False),
                ]
            ),
            frames,
            "adult",
            adult,
        ),
        "stability": _run(TestSuite(tests=[DataStabilityTestPreset()]), frames, "adult", adult),
        "regression_tests": _run(TestSuite(tests=[TestValueMAE(), TestValueRMSE(lt=5)]), frames, "housing"),
    }

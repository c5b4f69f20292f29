"""Re-creation of Evidently 0.4's examples/sample_notebooks/evidently_metrics.ipynb.

Data: a generated Adult-like frame (the notebook downloads it from OpenML), a California-housing-like
frame and scikit-learn's breast cancer set with a random forest's predictions.
"""

from monitorflow.metrics import (
    ClassificationClassBalance,
    ClassificationClassSeparationPlot,
    ClassificationConfusionMatrix,
    ClassificationDummyMetric,
    ClassificationLiftCurve,
    ClassificationLiftTable,
    ClassificationPRCurve,
    ClassificationProbDistribution,
    ClassificationPRTable,
    ClassificationQualityByClass,
    ClassificationQualityByFeatureTable,
    ClassificationQualityMetric,
    ClassificationRocCurve,
    ColumnCategoryMetric,
    ColumnCorrelationsMetric,
    ColumnDistributionMetric,
    ColumnDriftMetric,
    ColumnMissingValuesMetric,
    ColumnQuantileMetric,
    ColumnRegExpMetric,
    ColumnSummaryMetric,
    ColumnValueListMetric,
    ColumnValuePlot,
    ColumnValueRangeMetric,
    ConflictPredictionMetric,
    ConflictTargetMetric,
    DataDriftTable,
    DatasetCorrelationsMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
    RegressionAbsPercentageErrorPlot,
    RegressionDummyMetric,
    RegressionErrorBiasTable,
    RegressionErrorDistribution,
    RegressionErrorNormality,
    RegressionErrorPlot,
    RegressionPerformanceMetrics,
    RegressionPredictedVsActualPlot,
    RegressionPredictedVsActualScatter,
    RegressionQualityMetric,
    RegressionTopErrorMetric,
)
from monitorflow.options import ColorOptions
from monitorflow.report import Report

DIFFERENCES = {}


def data():
    import numpy as np

    from tests.compat.compat_data import adult_split, breast_cancer, housing

    adult_ref, adult_cur = adult_split()
    house = housing().rename(columns={"MedHouseVal": "target"})
    house["prediction"] = house["target"].values + np.random.default_rng(1).normal(0, 3, house.shape[0])
    bc_ref, bc_cur, bcl_ref, bcl_cur = breast_cancer()
    return {
        "adult_ref": adult_ref,
        "adult_cur": adult_cur,
        "housing_ref": house.sample(n=1500, random_state=1),
        "housing_cur": house.sample(n=1500, random_state=2),
        "bcancer_ref": bc_ref,
        "bcancer_cur": bc_cur,
        "bcancer_label_ref": bcl_ref,
        "bcancer_label_cur": bcl_cur,
    }


def _report(metrics, frames, data, **kwargs):
    report = Report(metrics=metrics, **kwargs)
    report.run(reference_data=frames[f"{data}_ref"], current_data=frames[f"{data}_cur"])
    return report.as_dict()


def run(frames, workdir):
    out = {
        "data_drift_dataset": _report(
            [DataDriftTable(num_stattest="kl_div", cat_stattest="psi")], frames, "adult"
        ),
        "data_drift_column": _report([ColumnDriftMetric("age"), ColumnValuePlot("age")], frames, "adult"),
        "data_quality_dataset": _report([DatasetCorrelationsMetric()], frames, "adult"),
        "data_quality_column": _report(
            [
                ColumnDistributionMetric(column_name="education"),
                ColumnQuantileMetric(column_name="education-num", quantile=0.75),
                ColumnCorrelationsMetric(column_name="education"),
                ColumnValueListMetric(column_name="relationship", values=["Husband", "Unmarried"]),
                ColumnValueRangeMetric(column_name="age", left=10, right=20),
                ColumnCategoryMetric(column_name="education", category="Some-college"),
            ],
            frames,
            "adult",
        ),
        "data_integrity_dataset": _report(
            [DatasetSummaryMetric(), DatasetMissingValuesMetric()], frames, "adult"
        ),
        "data_integrity_column": _report(
            [
                ColumnRegExpMetric(column_name="relationship", reg_exp=r".*child.*"),
                ColumnSummaryMetric(column_name="age"),
                ColumnMissingValuesMetric(column_name="education"),
            ],
            frames,
            "adult",
        ),
        "label_binary_classification": _report(
            [
                ClassificationQualityMetric(),
                ClassificationClassBalance(),
                ConflictTargetMetric(),
                ConflictPredictionMetric(),
                ClassificationConfusionMatrix(),
                ClassificationQualityByClass(),
                ClassificationDummyMetric(),
                ClassificationQualityByFeatureTable(columns=["mean area", "fractal dimension error"]),
            ],
            frames,
            "bcancer_label",
        ),
        "probabilistic_binary_classification": _report(
            [
                ClassificationQualityMetric(),
                ClassificationClassBalance(),
                ConflictTargetMetric(),
                ConflictPredictionMetric(),
                ClassificationConfusionMatrix(),
                ClassificationQualityByClass(),
                ClassificationClassSeparationPlot(),
                ClassificationProbDistribution(),
                ClassificationRocCurve(),
                ClassificationPRCurve(),
                ClassificationPRTable(),
                ClassificationLiftCurve(),
                ClassificationLiftTable(),
                ClassificationQualityByFeatureTable(columns=["mean area", "fractal dimension error"]),
            ],
            frames,
            "bcancer",
        ),
        "regression": _report(
            [
                RegressionQualityMetric(),
                RegressionPredictedVsActualScatter(),
                RegressionPredictedVsActualPlot(),
                RegressionErrorPlot(),
                RegressionAbsPercentageErrorPlot(),
                RegressionErrorDistribution(),
                RegressionErrorNormality(),
                RegressionTopErrorMetric(),
                RegressionErrorBiasTable(columns=["MedInc", "AveRooms"]),
                RegressionDummyMetric(),
                RegressionPerformanceMetrics(),
                ConflictTargetMetric(),
                ConflictPredictionMetric(),
            ],
            frames,
            "housing",
        ),
        "simple_parameters": _report(
            [
                ColumnRegExpMetric(column_name="education", reg_exp=r".*-.*", top=5),
                ColumnRegExpMetric(column_name="relationship", reg_exp=r".*child.*"),
            ],
            frames,
            "adult",
        ),
    }
    color_scheme = ColorOptions(
        primary_color="#5a86ad",
        fill_color="#fff4f2",
        zero_line_color="#016795",
        current_data_color="#c292a1",
        reference_data_color="#017b92",
    )
    out["colors"] = _report(
        [ColumnDriftMetric("age"), ColumnDriftMetric("age", stattest="psi")],
        frames,
        "adult",
        options=[color_scheme],
    )
    out["raw_data"] = _report(
        [ColumnDriftMetric("age"), ColumnValuePlot("age")],
        frames,
        "adult",
        options={"render": {"raw_data": True}},
    )
    out["metric_raw_data"] = _report(
        [ColumnDriftMetric("age", options={"render": {"raw_data": True}}), ColumnValuePlot("age")],
        frames,
        "adult",
    )
    return out

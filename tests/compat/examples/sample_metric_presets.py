"""Re-creation of Evidently 0.4's examples/sample_notebooks/evidently_metric_presets.ipynb.

Data: a generated Adult-like frame (the notebook downloads it from OpenML), a California-housing-like
frame, scikit-learn's breast cancer and iris sets with a random forest's predictions.
"""

import json

from monitorflow.metric_preset import (
    ClassificationPreset,
    DataDriftPreset,
    DataQualityPreset,
    RegressionPreset,
    TargetDriftPreset,
)
from monitorflow.report import Report

DIFFERENCES = {
    "*ColumnSummaryMetric[fnlwgt].result.current_characteristics.most_common": (
        "every fnlwgt value occurs once: the most common of a tie is pandas' pick in Evidently (it changes "
        "between pandas versions), the first value in order of the data in monitorflow"
    ),
}


def data():
    import numpy as np

    from tests.compat.compat_data import adult_split, breast_cancer, housing, iris

    adult_ref, adult_cur = adult_split()
    house = housing().rename(columns={"MedHouseVal": "target"})
    house["prediction"] = house["target"].values + np.random.default_rng(1).normal(0, 3, house.shape[0])
    bc_ref, bc_cur, bcl_ref, bcl_cur = breast_cancer()
    iris_ref, iris_cur = iris(150)
    return {
        "adult_ref": adult_ref,
        "adult_cur": adult_cur,
        "housing_ref": house.sample(n=1500, random_state=1),
        "housing_cur": house.sample(n=1500, random_state=2),
        "bcancer_ref": bc_ref,
        "bcancer_cur": bc_cur,
        "bcancer_label_ref": bcl_ref,
        "bcancer_label_cur": bcl_cur,
        "iris_ref": iris_ref,
        "iris_cur": iris_cur,
    }


def run(frames, workdir):
    out = {}
    data_drift_report = Report(
        metrics=[
            DataDriftPreset(
                num_stattest="ks", cat_stattest="psi", num_stattest_threshold=0.2, cat_stattest_threshold=0.2
            ),
        ]
    )
    data_drift_report.run(reference_data=frames["adult_ref"], current_data=frames["adult_cur"])
    out["data_drift"] = json.loads(data_drift_report.json())

    data_drift_report = Report(
        metrics=[
            DataDriftPreset(
                num_stattest="ks", cat_stattest="psi", num_stattest_threshold=0.2, cat_stattest_threshold=0.2
            )
        ],
        options={"render": {"raw_data": True}},
    )
    data_drift_report.run(reference_data=frames["adult_ref"], current_data=frames["adult_cur"])
    out["data_drift_raw"] = data_drift_report.as_dict()

    data_quality_report = Report(metrics=[DataQualityPreset()])
    data_quality_report.run(reference_data=frames["adult_ref"], current_data=frames["adult_cur"])
    out["data_quality"] = data_quality_report.as_dict()

    regression_performance_report = Report(metrics=[RegressionPreset()])
    regression_performance_report.run(
        reference_data=frames["housing_ref"].sort_index(), current_data=frames["housing_cur"].sort_index()
    )
    out["regression"] = regression_performance_report.as_dict()

    classification_performance_report = Report(metrics=[ClassificationPreset(probas_threshold=0.7)])
    classification_performance_report.run(
        reference_data=frames["bcancer_ref"], current_data=frames["bcancer_cur"]
    )
    out["classification"] = classification_performance_report.as_dict()

    for name, ref, cur in [
        ("num_target_drift", "housing_ref", "housing_cur"),
        ("multiclass_cat_target_drift", "iris_ref", "iris_cur"),
        ("binary_cat_target_drift", "bcancer_label_ref", "bcancer_label_cur"),
        ("prob_binary_cat_target_drift", "bcancer_ref", "bcancer_cur"),
    ]:
        report = Report(metrics=[TargetDriftPreset(num_stattest="ks", cat_stattest="psi")])
        report.run(reference_data=frames[ref], current_data=frames[cur])
        out[name] = report.as_dict()
    return out

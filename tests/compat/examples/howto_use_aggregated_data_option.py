"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_use_aggregated_data_option.ipynb."""

from monitorflow.metrics import (
    RegressionErrorPlot,
    RegressionPredictedVsActualPlot,
    RegressionPredictedVsActualScatter,
    RegressionQualityMetric,
)
from monitorflow.report import Report

DIFFERENCES = {}


def data():
    import numpy as np

    from tests.compat.compat_data import housing

    house = housing().rename(columns={"MedHouseVal": "target"})
    house["prediction"] = house["target"].values + np.random.default_rng(3).normal(0, 3, house.shape[0])
    return {
        "housing_ref": house.sample(n=1500, random_state=0),
        "housing_cur": house.sample(n=1500, random_state=0),
    }


def run(frames, workdir):
    out = {}
    for name, kwargs, scatter in (
        ("aggregated", {}, RegressionPredictedVsActualScatter()),
        ("raw", {"options": {"render": {"raw_data": True}}}, RegressionPredictedVsActualScatter()),
        ("raw_scatter_only", {}, RegressionPredictedVsActualScatter(options={"render": {"raw_data": True}})),
    ):
        report = Report(
            metrics=[RegressionQualityMetric(), scatter, RegressionPredictedVsActualPlot()], **kwargs
        )
        report.run(reference_data=frames["housing_ref"], current_data=frames["housing_cur"])
        out[name] = report.as_dict()
    report = Report(metrics=[RegressionErrorPlot()])
    report.run(reference_data=frames["housing_ref"], current_data=frames["housing_cur"])
    out["error_plot"] = report.as_dict()
    return out

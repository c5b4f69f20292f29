"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_add_feature_importances_to_drift.ipynb
(on generated bike-sharing data: the notebook downloads the UCI set)."""

from monitorflow import ColumnMapping
from monitorflow.metrics import DataDriftTable
from monitorflow.report import Report

UNSEEDED = (
    "importances learnt by a random forest: Evidently's forest is unseeded (its numbers change from run to "
    "run), monitorflow's is seeded; both are compared only where given in additional_data"
)
DIFFERENCES = {
    ".learnt.metrics.DataDriftTable.result.current_fi": UNSEEDED,
    ".learnt.metrics.DataDriftTable.result.reference_fi": UNSEEDED,
}

NUMERICAL = ["temp", "atemp", "hum", "windspeed", "hr", "weekday"]
CATEGORICAL = ["season", "holiday", "workingday"]


def data():
    from tests.compat.compat_data import bikes_with_prediction

    reference, current = bikes_with_prediction()
    return {"reference": reference, "current": current}


def _mapping():
    column_mapping = ColumnMapping()
    column_mapping.target = "cnt"
    column_mapping.prediction = "prediction"
    column_mapping.numerical_features = NUMERICAL
    column_mapping.categorical_features = CATEGORICAL
    return column_mapping


def run(frames, workdir):
    reference = frames["reference"]
    current = frames["current"].loc["2011-01-29 00:00:00":"2011-02-07 23:00:00"]
    report = Report(metrics=[DataDriftTable(feature_importance=True)])
    report.run(reference_data=reference, current_data=current, column_mapping=_mapping())
    learnt = report.as_dict()
    importances = {name: round(0.05 + 0.1 * i, 2) for i, name in enumerate(NUMERICAL + CATEGORICAL)}
    report = Report(metrics=[DataDriftTable(feature_importance=True)])
    report.run(
        reference_data=reference,
        current_data=current,
        column_mapping=_mapping(),
        additional_data={"current_feature_importance": importances},
    )
    return {
        "learnt": learnt,
        "given": report.as_dict(),
        "features": sorted(learnt["metrics"][0]["result"]["current_fi"]),
    }

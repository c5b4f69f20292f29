"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_customize_json_output.ipynb."""

import json

from monitorflow.core import AllDict
from monitorflow.metric_preset import DataDriftPreset
from monitorflow.report import Report
from monitorflow.test_preset import DataDriftTestPreset
from monitorflow.test_suite import TestSuite

HIDDEN = (
    "include=True on a column: Evidently dumps the fields it hides by default (type tags, the plot data of "
    "its HTML: distribution, correlations, scatter); monitorflow's result holds no such fields"
)
DIFFERENCES = {
    f"*.include_true.*.{field}": HIDDEN for field in ("type", "distribution", "correlations", "scatter")
}


def data():
    import numpy as np

    from tests.compat.compat_data import housing

    house = housing().rename(columns={"MedHouseVal": "target"})
    house["prediction"] = house["target"].values + np.random.default_rng(5).normal(0, 5, house.shape[0])
    reference = house.sample(n=1500, random_state=3)
    current = house.sample(n=1500, random_state=4)
    current.iloc[:20, 3:5] = np.nan
    return {"housing_ref": reference, "housing_cur": current}


def run(frames, workdir):
    report = Report(metrics=[DataDriftPreset()])
    report.run(reference_data=frames["housing_ref"], current_data=frames["housing_cur"])
    out = {
        "json": json.loads(report.json()),
        "json_no_render": json.loads(report.json(include_render=False)),
        "include_fields": report.as_dict(
            include={
                "DataDriftTable": {
                    "drift_by_columns": {"target": {"column_name", "column_type", "drift_score"}}
                }
            }
        ),
        "include_true": report.as_dict(include={"DataDriftTable": {"drift_by_columns": {"target": True}}}),
        "all_dict": report.as_dict(
            include={
                "DataDriftTable": {"drift_by_columns": AllDict({"column_name", "column_type", "drift_score"})}
            },
            exclude={"DataDriftTable": {"drift_by_columns": AllDict({"column_type"})}},
        ),
        "include_and_exclude": report.as_dict(
            include={"DatasetDriftMetric": {"share_of_drifted_columns"}},
            exclude={"DataDriftTable": {"drift_by_columns"}},
        ),
    }
    test_suite = TestSuite(tests=[DataDriftTestPreset()])
    test_suite.run(reference_data=frames["housing_ref"], current_data=frames["housing_cur"])
    out["suite"] = test_suite.as_dict()
    out["suite_exclude"] = test_suite.as_dict(exclude={"TestColumnDrift": {"parameters": True}})
    out["suite_exclude_include"] = test_suite.as_dict(
        exclude={"TestColumnDrift": {"parameters": True}},
        include={"TestShareOfDriftedColumns": {"name", "status"}},
    )
    out["suite_metrics"] = test_suite.as_dict(include_metrics=True)
    out["suite_metrics_no_render"] = test_suite.as_dict(include_metrics=True, include_render=False)
    out["suite_metrics_include"] = test_suite.as_dict(
        include_metrics=True,
        include={
            "DataDriftTable": {"drift_by_columns": AllDict({"column_name", "column_type", "drift_score"})},
            "ColumnDriftMetric": {"column_name", "column_type", "drift_score"},
        },
    )
    return out

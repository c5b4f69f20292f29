"""Re-creation of Evidently 0.4's examples/how_to_questions/exp_how_to_speedup_snapshot_save.ipynb
(the notebook times ``run`` and ``save``; here each runs once)."""

from monitorflow.metric_preset import DataDriftPreset
from monitorflow.report import Report
from monitorflow.suite import base_suite

DIFFERENCES = {}


def data():
    from tests.compat.compat_data import adult_split

    reference, current = adult_split()
    return {"adult_ref": reference, "adult_cur": current}


def run(frames, workdir):
    data_drift_report = Report(metrics=[DataDriftPreset()])
    data_drift_report.run(reference_data=frames["adult_ref"], current_data=frames["adult_cur"])
    data_drift_report.save(workdir / "timeit_test.json")
    base_suite.USE_UJSON = True
    data_drift_report.save(workdir / "timeit_test.json")
    base_suite.USE_UJSON = False
    return {"as_dict": data_drift_report.as_dict()}

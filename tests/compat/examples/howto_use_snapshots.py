"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_use_snapshots.ipynb (breast cancer)."""

import json

from monitorflow.metric_preset import DataDriftPreset
from monitorflow.report import Report

DIFFERENCES = {}


def data():
    from sklearn import datasets

    frame = datasets.load_breast_cancer(as_frame=True).frame
    return {
        "bcancer_ref": frame.sample(n=300, random_state=0),
        "bcancer_cur": frame.sample(n=200, random_state=1),
    }


def run(frames, workdir):
    data_drift_report = Report(metrics=[DataDriftPreset()])
    data_drift_report.run(reference_data=frames["bcancer_ref"], current_data=frames["bcancer_cur"])
    data_drift_report.show()
    as_json = json.loads(data_drift_report.json())
    as_dict = data_drift_report.as_dict()
    data_drift_report.save_html(str(workdir / "data_drift_report.html"))
    data_drift_report.save_json(str(workdir / "data_drift_report.json"))
    data_drift_report.save(str(workdir / "snapshot.json"))
    loaded_report = Report.load(str(workdir / "snapshot.json"))
    loaded_report.show()
    return {
        "json": as_json,
        "as_dict": as_dict,
        "saved_json": json.loads((workdir / "data_drift_report.json").read_text()),
        "loaded": loaded_report.as_dict(),
        "html_written": (workdir / "data_drift_report.html").stat().st_size > 0,
    }

"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_customize_color_scheme.ipynb (iris)."""

from monitorflow.metric_preset.data_drift import DataDriftPreset
from monitorflow.options import BERLIN_AUTUMN_COLOR_OPTIONS, ColorOptions
from monitorflow.report import Report
from monitorflow.test_preset import DataDriftTestPreset
from monitorflow.test_suite import TestSuite

DIFFERENCES = {}


def data():
    from sklearn import datasets

    frame = datasets.load_iris(as_frame=True).frame
    return {"iris_ref": frame.sample(n=75, random_state=0), "iris_cur": frame.sample(n=75, random_state=1)}


def run(frames, workdir):
    color_scheme = ColorOptions(
        primary_color="#5a86ad",
        fill_color="#fff4f2",
        zero_line_color="#016795",
        current_data_color="#c292a1",
        reference_data_color="#017b92",
    )
    out = {}
    for name, options in (("custom", color_scheme), ("berlin_autumn", BERLIN_AUTUMN_COLOR_OPTIONS)):
        report = Report(metrics=[DataDriftPreset()], options=[options])
        report.run(reference_data=frames["iris_ref"], current_data=frames["iris_cur"])
        out[f"report_{name}"] = report.as_dict()
        tests = TestSuite(tests=[DataDriftTestPreset()], options=[options])
        tests.run(reference_data=frames["iris_ref"], current_data=frames["iris_cur"])
        out[f"tests_{name}"] = tests.as_dict()
        html = report.get_html()
        out[f"colored_{name}"] = options.get_current_data_color() in html or "#c292a1" in html
    return out

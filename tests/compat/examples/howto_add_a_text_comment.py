"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_add_a_text_comment_to_the_report.ipynb."""

from monitorflow.metrics import ColumnDriftMetric, ColumnValuePlot, Comment
from monitorflow.report import Report

DIFFERENCES = {}


def data():
    from tests.compat.compat_data import adult_split

    reference, current = adult_split(blank=0)
    return {"adult_ref": reference, "adult_cur": current}


def run(frames, workdir):
    text_example = """
  # Header H1
  Important paragraph!

  ## Header H2
  - point 1
  - point 2
  - point 3
"""
    report = Report(metrics=[ColumnDriftMetric("age"), Comment(text_example), ColumnValuePlot("age")])
    report.run(reference_data=frames["adult_ref"], current_data=frames["adult_cur"])
    return {"as_dict": report.as_dict()}

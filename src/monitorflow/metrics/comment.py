"""A text block among the metrics of a report (Evidently's ``Comment``): nothing is computed."""

from __future__ import annotations

from monitorflow.context import RunContext
from monitorflow.metrics.base import Metric, MetricResult


class CommentResults(MetricResult):
    text: str


class Comment(Metric[CommentResults]):
    """A note shown as text in the HTML report, in place, and kept in the snapshot.

    The text is shown as plain text (escaped; blank lines separate paragraphs), never as HTML.

    >>> import pandas as pd
    >>> from monitorflow import Report
    >>> note = Comment("Churn model v3, retrained on March data.")
    >>> report = Report(metrics=[note])
    >>> report.run(current_data=pd.DataFrame({"x": [1, 2]}))
    >>> report.result(note).text
    'Churn model v3, retrained on March data.'
    """

    result_type = CommentResults
    group = "other"

    text: str

    def calculate(self, ctx: RunContext) -> CommentResults:
        return CommentResults(text=self.text)


__all__ = ["Comment", "CommentResults"]

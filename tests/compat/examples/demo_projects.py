"""Re-creation of Evidently 0.4's Workspace demo projects that need no download: "Simple" and "Bikes"
(evidently/ui/demo_projects), the bikes data generated (its UCI columns) instead of fetched, five of its
28 days. Each day's report and test suite go into a workspace with the demo's dashboard panels; the
results, the stored projects and their panels are compared."""

from datetime import datetime, timedelta
from itertools import cycle

import pandas as pd

from monitorflow import metrics
from monitorflow.pipeline.column_mapping import ColumnMapping
from monitorflow.renderers.html_widgets import WidgetSize
from monitorflow.report import Report
from monitorflow.test_preset import DataDriftTestPreset
from monitorflow.test_suite import TestSuite
from monitorflow.ui.dashboards import (
    CounterAgg,
    DashboardPanelCounter,
    DashboardPanelPlot,
    PanelValue,
    PlotType,
    ReportFilter,
)
from monitorflow.ui.workspace import Workspace

DIFFERENCES = {
    "*.ColumnSummaryMetric[*].result.*_characteristics.most_common": (
        "ties for the most common value (113 and 130 each occur 12 times in the reference's cnt): Evidently "
        "takes the first of pandas' value_counts, an unstable order; monitorflow the smallest tied value "
        "(docs/evidently-compat.md, ties)"
    )
}
DAYS = 5
START = datetime(2023, 1, 29)
EVERYTHING = ReportFilter(metadata_values={}, tag_values=[])


def data():
    from tests.compat.compat_data import bikes_with_prediction

    reference, current = bikes_with_prediction()
    shift = pd.Timestamp(START) - current.index[0]  # the demo's dates
    reference.index, current.index = reference.index + shift, current.index + shift
    return {"reference": reference, "current": current}


def simple_project(ws):
    frame = pd.DataFrame({"a": [0, 1, 2], "b": [1, 2, 3]})
    project = ws.create_project("Demo project - Simple")
    project.description = "Simple demo project"
    project.dashboard.add_panel(DashboardPanelCounter(filter=EVERYTHING, agg=CounterAgg.NONE, title="Panels"))
    project.dashboard.add_panel(
        DashboardPanelCounter(
            title="Model Calls",
            filter=EVERYTHING,
            value=PanelValue(
                metric_id="ColumnDriftMetric",
                field_path=metrics.ColumnDriftMetric.fields.drift_detected,
                legend="count",
            ),
            text="count",
            agg=CounterAgg.SUM,
            size=WidgetSize.HALF,
        )
    )
    project.save()
    results = []
    for i in range(2):
        report = Report(metrics=[metrics.ColumnDriftMetric("a")], timestamp=START + timedelta(days=i + 1))
        report.set_batch_size("daily")
        report.run(reference_data=frame, current_data=frame, column_mapping=ColumnMapping())
        ws.add_report(project.id, report)
        results.append(report.as_dict())
    return project, results


def drift_values(column):
    return PanelValue(
        metric_id="ColumnDriftMetric",
        metric_args={"column_name.name": column},
        field_path=metrics.ColumnDriftMetric.fields.drift_score,
        legend=column,
    )


def bikes_panels(project):
    project.dashboard.add_panel(
        DashboardPanelCounter(filter=EVERYTHING, agg=CounterAgg.NONE, title="Bike Rental Demand Forecast")
    )
    project.dashboard.add_panel(
        DashboardPanelCounter(
            title="Model Calls",
            filter=EVERYTHING,
            value=PanelValue(
                metric_id="DatasetSummaryMetric",
                field_path=metrics.DatasetSummaryMetric.fields.current.number_of_rows,
                legend="count",
            ),
            text="count",
            agg=CounterAgg.SUM,
            size=WidgetSize.HALF,
        )
    )
    project.dashboard.add_panel(
        DashboardPanelPlot(
            title="Target and Prediction",
            filter=EVERYTHING,
            values=[
                PanelValue(
                    metric_id="ColumnSummaryMetric",
                    field_path="current_characteristics.mean",
                    metric_args={"column_name.name": column},
                    legend=legend,
                )
                for column, legend in (
                    ("cnt", "Target (daily mean)"),
                    ("prediction", "Prediction (daily mean)"),
                )
            ],
            plot_type=PlotType.LINE,
            size=WidgetSize.FULL,
        )
    )
    project.dashboard.add_panel(
        DashboardPanelPlot(
            title="MAE",
            filter=EVERYTHING,
            values=[
                PanelValue(
                    metric_id="RegressionQualityMetric",
                    field_path=metrics.RegressionQualityMetric.fields.current.mean_abs_error,
                    legend="MAE",
                )
            ],
            plot_type=PlotType.LINE,
            size=WidgetSize.HALF,
        )
    )
    project.dashboard.add_panel(
        DashboardPanelPlot(
            title="Features Drift (Wasserstein Distance)",
            filter=EVERYTHING,
            values=[drift_values(c) for c in ("temp", "atemp", "hum", "windspeed")],
            plot_type=PlotType.LINE,
            size=WidgetSize.FULL,
        )
    )


def bikes_project(ws, frames):
    reference, current = frames["reference"], frames["current"]
    mapping = ColumnMapping()
    mapping.target = "cnt"
    mapping.prediction = "prediction"
    mapping.numerical_features = ["temp", "atemp", "hum", "windspeed", "hr", "weekday"]
    mapping.categorical_features = ["season", "holiday", "workingday"]
    tags = cycle([["production_critical", "city_bikes_hourly"], [], ["tabular_data"]])
    project = ws.create_project("Demo project - Bikes")
    project.description = "A toy demo project using Bike Demand forecasting dataset"
    bikes_panels(project)
    project.save()
    results = []
    for i in range(DAYS):
        day = current.loc[START + timedelta(days=i) : START + timedelta(days=i + 1)]
        report = Report(
            metrics=[
                metrics.RegressionQualityMetric(),
                metrics.DatasetSummaryMetric(),
                metrics.DatasetDriftMetric(),
                *[
                    metrics.ColumnDriftMetric(column_name=c, stattest="wasserstein")
                    for c in ("cnt", "prediction", "temp", "atemp", "hum", "windspeed")
                ],
                metrics.ColumnSummaryMetric(column_name="cnt"),
                metrics.ColumnSummaryMetric(column_name="prediction"),
            ],
            timestamp=START + timedelta(days=i + 1),
            tags=next(tags),
        )
        report.set_batch_size("daily")
        report.run(reference_data=reference, current_data=day, column_mapping=mapping)
        ws.add_report(project.id, report)
        suite = TestSuite(
            tests=[DataDriftTestPreset()], timestamp=START + timedelta(days=i + 1), tags=next(tags)
        )
        suite.run(reference_data=reference, current_data=day, column_mapping=mapping)
        ws.add_test_suite(project.id, suite)
        results.append({"report": report.as_dict(), "tests": suite.as_dict()})
    return project, results


def run(frames, workdir):
    ws = Workspace.create(str(workdir / "workspace"))
    simple, simple_results = simple_project(ws)
    bikes, bikes_results = bikes_project(ws, frames)
    reopened = Workspace(str(workdir / "workspace"))
    return {
        "simple": simple_results,
        "bikes": bikes_results,
        "projects": sorted(p.name for p in reopened.list_projects()),
        "panels": {
            p.name: [
                (type(panel).__name__, panel.title) for panel in reopened.get_project(p.id).dashboard.panels
            ]
            for p in (simple, bikes)
        },
        "descriptions": sorted(reopened.get_project(p.id).description for p in (simple, bikes)),
    }

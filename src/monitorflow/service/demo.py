"""Demo data for ``monitorflow ui --demo``: a churn model monitored daily in two segments.

``ensure_demo_project(ws)`` adds (once; found again by name) a project with ``days`` daily batches
ending yesterday, per segment (tags ``segment:a`` / ``segment:b``) one Report (drift, missing
values, model quality, category shares) and one TestSuite, written through the Workspace API with
the batch date as timestamp, plus a dashboard with three tabs. The story it shows: from day 60 %
on, ``data_usage_gb`` drifts in segment b and the model's quality there drops; payment methods go
missing more often in segment a.

>>> import tempfile
>>> from monitorflow.workspace import Workspace
>>> project = ensure_demo_project(Workspace(tempfile.mkdtemp()), days=3)
>>> len(project.list_snapshots()), len(project.dashboard.panels) > 10
(12, True)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import (
    TestAccuracyScore,
    TestColumnDrift,
    TestColumnShareOfMissingValues,
    TestNumberOfRows,
    TestRocAuc,
    TestShareOfDriftedColumns,
)
from monitorflow.metrics import (
    ClassificationQualityMetric,
    ColumnDriftMetric,
    DataDriftTable,
    DatasetDriftMetric,
    DatasetMissingValuesMetric,
    DatasetSummaryMetric,
)
from monitorflow.panels import (
    CounterAgg,
    DashboardPanelCounter,
    DashboardPanelDistribution,
    DashboardPanelPlot,
    DashboardPanelTestSuite,
    DashboardPanelTestSuiteCounter,
    HistBarMode,
    PanelValue,
    PlotType,
    ReportFilter,
    TestFilter,
    TestSuitePanelType,
    WidgetSize,
)

NAME = "Demo: churn model"
DAYS = 45
SEGMENTS = ("a", "b")
ROWS_PER_DAY = 400
PLANS, PLAN_SHARES = ["basic", "standard", "premium"], [0.5, 0.35, 0.15]
PAYMENTS, PAYMENT_SHARES = ["card", "bank_transfer", "paypal"], [0.6, 0.25, 0.15]
MAPPING = ColumnMapping(
    target="churned",
    prediction="churn_proba",
    task="classification",
    numerical_features=["tenure_months", "monthly_charges", "data_usage_gb", "support_calls_30d"],
    categorical_features=["plan", "region", "payment_method"],
)


def batch(
    rng: np.random.Generator, n: int, usage_drift: float = 0.0, missing_payment: float = 0.02
) -> pd.DataFrame:
    """``n`` customers; ``usage_drift`` scales data usage up and makes the model's scores noisier."""
    plan = rng.choice(len(PLANS), n, p=PLAN_SHARES)
    tenure = np.minimum(rng.geometric(1 / 18, n), 72)
    calls = rng.poisson(0.6, n)
    payment = rng.choice(PAYMENTS, n, p=PAYMENT_SHARES).astype(object)
    payment[rng.random(n) < missing_payment] = None
    logit = -1.0 - 0.05 * tenure + 0.8 * calls - 0.4 * plan
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    score = logit + rng.normal(0, 0.4 + 2.5 * usage_drift, n)
    return pd.DataFrame({
        "plan": np.asarray(PLANS)[plan],
        "region": rng.choice(["north", "south", "east", "west"], n),
        "payment_method": payment,
        "tenure_months": tenure,
        "monthly_charges": (np.asarray([19.0, 45.0, 79.0])[plan] + rng.normal(0, 3, n)).round(2),
        "data_usage_gb": (rng.lognormal(1.6 + 0.3 * plan, 0.5) * (1 + usage_drift)).round(3),
        "support_calls_30d": calls,
        "churned": churned,
        "churn_proba": 1 / (1 + np.exp(-score)),
    })  # fmt: skip


def _metrics() -> list[Any]:
    return [DatasetSummaryMetric(), DatasetDriftMetric(), DataDriftTable(), ColumnDriftMetric(column_name="data_usage_gb"),
            DatasetMissingValuesMetric(), ClassificationQualityMetric()]  # fmt: skip


def _tests() -> list[Any]:
    return [TestNumberOfRows(gte=300), TestShareOfDriftedColumns(lt=0.3), TestColumnDrift(column_name="data_usage_gb"),
            TestColumnDrift(column_name="monthly_charges"),
            TestColumnShareOfMissingValues(column_name="payment_method", lte=0.08),
            TestAccuracyScore(gte=0.75), TestRocAuc(gte=0.7)]  # fmt: skip


def _value(metric: str, path: str, legend: str | None = None, **args: Any) -> PanelValue:
    return PanelValue(metric_id=metric, field_path=path, legend=legend, metric_args=args)


def add_dashboard(project: Any) -> None:
    """The demo's panels in three tabs: Overview, Data drift, Model & tests."""
    half = WidgetSize.HALF
    add = project.dashboard.add_panel
    overview, drift, model = "Overview", "Data drift", "Model & tests"
    add(
        DashboardPanelCounter(
            title="Monitoring churn-model inputs and quality",
            agg=CounterAgg.NONE,
            text="Daily batches per segment: reports and test suites",
            size=half,
        ),
        overview,
    )
    add(
        DashboardPanelTestSuiteCounter(
            title="Tests passed in the latest run", agg=CounterAgg.LAST, size=half
        ),
        overview,
    )
    add(
        DashboardPanelCounter(
            title="Share of drifted columns (latest)",
            agg=CounterAgg.LAST,
            split_by_tag="segment:",
            value=_value("DatasetDriftMetric", "share_of_drifted_columns"),
            size=half,
        ),
        overview,
    )
    add(
        DashboardPanelCounter(
            title="Rows evaluated",
            agg=CounterAgg.SUM,
            value=_value("DatasetSummaryMetric", "current.number_of_rows"),
            size=half,
        ),
        overview,
    )
    add(
        DashboardPanelPlot(
            title="Share of drifted columns by segment",
            split_by_tag="segment:",
            values=[_value("DatasetDriftMetric", "share_of_drifted_columns", "drift share")],
        ),
        overview,
    )
    add(
        DashboardPanelTestSuite(
            title="Test results per day",
            panel_type=TestSuitePanelType.AGGREGATE,
            time_agg="1D",
            filter=ReportFilter(include_test_suites=True),
        ),
        overview,
    )
    add(
        DashboardPanelPlot(
            title="Drift score per feature, segment b",
            plot_type=PlotType.LINE,
            filter=ReportFilter(tag_values=["segment:b"]),
            values=[_value("DataDriftTable", "drift_by_columns.*.drift_score")],
        ),
        drift,
    )
    add(
        DashboardPanelPlot(
            title="data_usage_gb drift score, segment b",
            plot_type=PlotType.BAR,
            size=half,
            filter=ReportFilter(tag_values=["segment:b"]),
            values=[_value("ColumnDriftMetric", "drift_score", "data_usage_gb", column_name="data_usage_gb")],
        ),
        drift,
    )
    add(
        DashboardPanelPlot(
            title="Distribution of daily drift shares",
            plot_type=PlotType.HISTOGRAM,
            size=half,
            split_by_tag="segment:",
            values=[_value("DatasetDriftMetric", "share_of_drifted_columns", "drift share")],
        ),
        drift,
    )
    add(
        DashboardPanelPlot(
            title="Share of missing payment methods",
            plot_type=PlotType.SCATTER,
            split_by_tag="segment:",
            values=[
                _value(
                    "DatasetMissingValuesMetric",
                    "current.share_of_missing_values_by_column.payment_method",
                    "missing share",
                )
            ],
        ),
        drift,
    )
    add(
        DashboardPanelDistribution(
            title="Missing values by column",
            barmode=HistBarMode.STACK,
            value=_value("DatasetMissingValuesMetric", "current.number_of_missing_values_by_column"),
        ),
        drift,
    )
    add(
        DashboardPanelPlot(
            title="Model quality by segment",
            split_by_tag="segment:",
            values=[
                _value("ClassificationQualityMetric", "current.accuracy", "accuracy"),
                _value("ClassificationQualityMetric", "current.roc_auc", "ROC AUC"),
            ],
        ),
        model,
    )
    add(
        DashboardPanelCounter(
            title="Mean accuracy",
            agg=CounterAgg.MEAN,
            split_by_tag="segment:",
            size=half,
            value=_value("ClassificationQualityMetric", "current.accuracy"),
        ),
        model,
    )
    add(
        DashboardPanelTestSuiteCounter(title="Failed tests over the range", statuses=["FAIL"], size=half),
        model,
    )
    add(
        DashboardPanelTestSuite(
            title="Every test, every day",
            panel_type=TestSuitePanelType.DETAILED,
            filter=ReportFilter(include_test_suites=True),
        ),
        model,
    )
    add(
        DashboardPanelTestSuite(
            title="Drift tests, segment b",
            panel_type=TestSuitePanelType.AGGREGATE,
            filter=ReportFilter(tag_values=["segment:b"], include_test_suites=True),
            test_filters=[TestFilter(test_id="TestColumnDrift")],
        ),
        model,
    )


def ensure_demo_project(ws: Any, days: int | None = None, end: datetime | None = None, seed: int = 7) -> Any:
    """The demo project of ``ws``, created with ``days`` (default :data:`DAYS`) daily batches ending
    at ``end`` (default: today 00:00 UTC) if no project is named :data:`NAME` yet."""
    existing = ws.search_project(NAME)
    if existing:
        return existing[0]
    days = DAYS if days is None else days
    rng = np.random.default_rng(seed)
    end = end or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    project = ws.create_project(NAME, description="Daily data drift, missing values, model quality and tests, "
                                                  "for two customer segments (generated demo data)")  # fmt: skip
    references = {s: batch(rng, 2000) for s in SEGMENTS}
    for day in range(days):
        when = end - timedelta(days=days - day)
        late = max(0.0, (day - 0.6 * days) / (0.4 * days))  # 0 until 60 % of the days, then up to 1
        for segment in SEGMENTS:
            drift = 0.6 * late if segment == "b" else 0.0
            missing = 0.02 + (0.15 * late if segment == "a" else 0.0)
            current = batch(
                rng, int(rng.normal(ROWS_PER_DAY, 30)), usage_drift=drift, missing_payment=missing
            )
            common = {"tags": [f"segment:{segment}", "demo"], "metadata": {"segment": segment, "model_version": "v3"},
                      "model_id": "churn", "batch_size": "daily"}  # fmt: skip
            report = Report(metrics=_metrics(), **common)
            report.run(
                reference_data=references[segment],
                current_data=current,
                column_mapping=MAPPING,
                timestamp=when,
            )
            ws.add_report(project.id, report)
            suite = TestSuite(tests=_tests(), **common)
            suite.run(
                reference_data=references[segment],
                current_data=current,
                column_mapping=MAPPING,
                timestamp=when,
            )
            ws.add_test_suite(project.id, suite)
    add_dashboard(project)
    project.save()
    return project

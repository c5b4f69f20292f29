"""The demo's monitors (one per model version) and how to run them without Prefect.

:func:`monitor_config` is what ``deployments/monitors/churn.yaml`` spells in YAML; :func:`fill` runs
the same monitors' windows in this process (``monitorflow ui --demo``), writing the same snapshots,
under the same ids, as the Prefect backfill of ``monitorflow demo``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pandas as pd

from monitorflow.demo.data import (
    CATEGORICAL,
    DAYS,
    MODEL_VERSIONS,
    NUMERICAL,
    REGIONS,
    START,
    DemoData,
    write_data,
)

PROJECT = "churn-monitoring"
#: p-value tests: a day's few hundred rows against a 28-day reference (distance tests flag noise there).
DRIFT_TESTS = {"num_stattest": "ks", "cat_stattest": "chisquare"}
#: The drift test fails where DatasetDriftMetric says "dataset drift" (half the columns or more): weekend
#: seasonality and v2's own scores make 1 to 4 of the 9 columns differ from the reference on ordinary
#: days, which a lower bound would flag on most days before the drift.
DRIFTED_SHARE_BELOW = 0.5
REFERENCE_NAME = "training-reference"
BOTH = ["segment", "model_version"]
#: The dashboard both monitors declare (the same panels: applying it twice changes nothing).
DASHBOARD: dict[str, Any] = {
    "tabs": [
        {
            "title": "Data drift",
            "panels": [
                {
                    "title": "Share of drifted columns",
                    "metric": "DatasetDriftMetric",
                    "field": "share_of_drifted_columns",
                    "split_by": BOTH,
                },
                {
                    "title": "Drifted columns",
                    "metric": "DataDriftTable",
                    "field": "number_of_drifted_columns",
                    "kind": "bar",
                    "split_by": "model_version",
                },
                {
                    "title": "Drift p-value by column (below 0.05: drift)",
                    "metric": "DataDriftTable",
                    "field": "drift_by_columns.*.drift_score",
                    "size": "full",
                },
            ],
        },
        {
            "title": "Data quality",
            "panels": [
                {
                    "title": "Rows per window",
                    "metric": "DatasetMissingValuesMetric",
                    "field": "current.number_of_rows",
                    "kind": "bar",
                    "split_by": "segment",
                    "agg": "sum",
                },
                {
                    "title": "Share of missing values",
                    "metric": "DatasetMissingValuesMetric",
                    "field": "current.share_of_missing_values",
                    "split_by": "segment",
                },
                {
                    "title": "Missing values by column",
                    "metric": "DatasetMissingValuesMetric",
                    "field": "current.number_of_missing_values_by_column.*",
                    "size": "full",
                },
            ],
        },
        {
            "title": "Tests",
            "panels": [
                {"title": "Test results per day", "kind": "tests", "size": "full"},
                {"title": "Each test per day", "kind": "test_grid", "size": "full"},
            ],
        },
        {
            "title": "Model quality",
            "panels": [
                {
                    "title": "ROC AUC from the delayed labels",
                    "metric": "ClassificationQualityMetric",
                    "field": "current.roc_auc",
                    "split_by": "model_version",
                    "tags": ["ground_truth"],
                },
                {
                    "title": "Log loss from the delayed labels",
                    "metric": "ClassificationQualityMetric",
                    "field": "current.log_loss",
                    "split_by": "model_version",
                    "tags": ["ground_truth"],
                },
                {
                    "title": "Labelled predictions",
                    "metric": "ClassificationQualityMetric",
                    "field": "current.number_of_rows",
                    "kind": "bar",
                    "split_by": "model_version",
                    "tags": ["ground_truth"],
                    "agg": "sum",
                },
            ],
        },
    ]
}


def monitor_config(data: DemoData, workspace: str, version: str, reference: dict[str, Any]) -> dict[str, Any]:
    """The monitor of one model version (what ``deployments/monitors/churn.yaml`` spells in YAML)."""
    return {
        "name": f"churn-{version}",
        "project": PROJECT,
        "workspace": workspace,
        "current": {
            "kind": "file",
            "path": str(data.events / "{start}.parquet"),
            "timestamp_column": "event_time",
            "filters": {"model_version": version},
            "missing_ok": True,
        },
        "reference": reference,
        "column_mapping": {
            "target": None,
            "prediction": "prediction",
            "id": "event_id",
            "datetime": "event_time",
            "numerical_features": NUMERICAL,
            "categorical_features": CATEGORICAL,
        },
        "metrics": [{"name": "DataDriftPreset", **DRIFT_TESTS}, "DatasetMissingValuesMetric"],
        "tests": [
            {"name": "TestNumberOfRows", "gte": 50},
            {"name": "TestShareOfDriftedColumns", "lt": DRIFTED_SHARE_BELOW, **DRIFT_TESTS},
            {"name": "TestColumnShareOfMissingValues", "column_name": "payment_method", "lte": 0.05},
        ],
        "window": "1d",
        "segments": {"columns": ["region"], "values": list(REGIONS)},
        "model_version": version,
        "include_data": True,
        "tags": ["demo"],
        "ground_truth": {
            "labels": {"kind": "file", "path": str(data.labels), "timestamp_column": "event_time"},
            "join_on": "event_id",
            "target": "churned",
            "task": "classification",
            "metrics": [
                "ClassificationQualityMetric",
                "ClassificationClassBalance",
                "ClassificationConfusionMatrix",
                "ClassificationRocCurve",
                "ClassificationPRCurve",
                "ClassificationQualityByClass",
            ],
        },
        "dashboard": DASHBOARD,
    }


def stored_reference(ws: Any, project_id: Any, path: Path) -> str:
    """The id of the reference dataset in the workspace (added on the first run)."""
    for info in ws.list_datasets(project_id):
        if info.name == REFERENCE_NAME:
            return str(info.id)
    return str(ws.add_dataset(project_id, pd.read_parquet(path), REFERENCE_NAME, "28 days before the period"))


def monitors(data: DemoData, workspace: str, reference: dict[str, Any]) -> list[Any]:
    """The parsed monitor of each model version."""
    from monitorflow.monitoring import parse_monitor  # lazy: light import

    return [
        parse_monitor(monitor_config(data, workspace, v, reference), f"demo monitor {v}")
        for v in MODEL_VERSIONS
    ]


def fill(workspace: Any, days: int = DAYS, progress: Callable[[str], None] | None = None) -> UUID:
    """Run the demo's monitors over ``days`` windows in this process (no Prefect): drift reports and
    test suites per window, segment and model version, then model quality from the labels known at
    the end. Idempotent: snapshots replace their earlier versions. ``workspace``: a URI or an open
    ``Workspace`` (its URI is what the monitors name). Returns the project id."""
    from monitorflow.monitoring.evaluate import evaluate_windows  # lazy: light import
    from monitorflow.monitoring.ground_truth import (  # lazy: light import
        evaluate_quality_windows,
        read_labels,
        read_predictions,
    )
    from monitorflow.monitoring.loading import read_reference, read_windows  # lazy: light import
    from monitorflow.monitoring.store import project_id, store  # lazy: light import
    from monitorflow.workspace import Workspace  # lazy: light import

    say = progress or (lambda _message: None)
    with tempfile.TemporaryDirectory(prefix="monitorflow-demo-") as tmp:
        data = write_data(Path(tmp), days)
        opened = workspace if isinstance(workspace, Workspace) else Workspace.create(workspace)
        with opened if opened is not workspace else nullcontext(workspace) as ws:
            uri = str(ws.uri)
            pid = project_id(ws, PROJECT)
            reference = {"kind": "dataset", "dataset_id": stored_reference(ws, pid, data.reference)}
            end = START + timedelta(days=days)
            declared = monitors(data, uri, reference)
            project_id(ws, PROJECT, declared[0].dashboard)
            for monitor in declared:
                windows = monitor.windows(START, end)
                version = monitor.model_version
                written = 0
                for evaluation in evaluate_windows(
                    monitor, read_windows(monitor, windows), read_reference(monitor), version
                ):
                    if evaluation.snapshot is not None:
                        store(ws, pid, evaluation)
                        written += 1
                say(f"{monitor.name}: {written} drift reports and test suites")
                labels = read_labels(monitor, windows[0].start, windows[-1].end)
                written = 0
                for evaluation in evaluate_quality_windows(
                    monitor, read_predictions(monitor, pid, windows, version), labels, version
                ):
                    if evaluation.snapshot is not None:
                        store(ws, pid, evaluation)
                        written += 1
                say(f"{monitor.name}: {written} model-quality reports from the labels")
    return pid

"""Estimation inside monitors without Prefect: stored states, signals of a snapshot, reconciliation
history and panels, and the alert automation files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from monitorflow import ColumnMapping, Report, TestSuite
from monitorflow.checks import TestConceptDrift, TestEstimatedAccuracy, TestNumberOfRows
from monitorflow.estimation import states
from monitorflow.metric_preset import DataDriftPreset, EstimatedClassificationPreset
from monitorflow.monitoring import parse_monitor
from monitorflow.monitoring.estimators import (
    load_state,
    save_state,
    save_states,
    state_dataset_id,
    state_keys,
    stored_states,
)
from monitorflow.monitoring.reconciliation import (
    drift_tests,
    estimation_panels,
    lookback,
    record,
    with_history,
)
from monitorflow.monitoring.results import Evaluation, WindowOutcome
from monitorflow.monitoring.signals import snapshot_signals
from monitorflow.monitoring.windows import Window
from monitorflow.workspace import Workspace
from tests.estimation.est_helpers import binary_rows
from tests.support.paths import REPO

MAPPING = {
    "target": "target",
    "prediction": "prediction",
    "task": "classification",
    "numerical_features": ["x"],
}


def monitor(tmp_path: Path, **overrides):
    config = {
        "name": "m",
        "project": "p",
        "workspace": str(tmp_path / "ws"),
        "current": {"kind": "file", "path": str(tmp_path / "{start}.parquet")},
        "reference": {"kind": "file", "path": str(tmp_path / "reference.parquet")},
        "column_mapping": MAPPING,
        "metrics": ["EstimatedClassificationPreset"],
        "segments": {"columns": ["region"]},
        "ground_truth": {
            "labels": {"kind": "file", "path": str(tmp_path / "labels.parquet")},
            "join_on": ["id"],
            "target": "target",
        },
    }
    config.update(overrides)
    return parse_monitor(config)


def reference_rows(seed: int = 0) -> pd.DataFrame:
    frame = binary_rows(np.random.default_rng(seed), 4000)
    return frame.assign(region=np.where(np.arange(len(frame)) % 2, "eu", "us"))


def test_states_are_stored_per_segment_reference_and_found_again(tmp_path):
    m = monitor(tmp_path)
    reference = reference_rows()
    keys = state_keys(m, reference)
    assert len(keys) == 2  # one per segment's reference rows
    with Workspace.create(str(tmp_path / "ws")) as ws:
        project = ws.create_project("p").id
        assert stored_states(ws, project, m, reference) == []
        for part in ("eu", "us"):  # fit as a window would
            report = Report(metrics=[EstimatedClassificationPreset()])
            rows = reference[reference.region == part].reset_index(drop=True)
            report.run(
                reference_data=rows,
                current_data=rows.drop(columns="target"),
                column_mapping=ColumnMapping(**MAPPING),
            )
        fitted = [states.remembered(k) for k in keys]
        assert save_states(ws, project, fitted + fitted) == 2  # each once
        assert save_state(ws, project, fitted[0]) is False  # already there
        found = stored_states(ws, project, m, reference)
        assert [s.fingerprint for s in found] == keys and found == fitted
        # a corrupt state is not used (the flows refit it)
        ws.add_dataset(
            project,
            pd.DataFrame({"state": ['{"kind": "classification"}']}),
            "x",
            dataset_id=state_dataset_id(project, keys[0]),
        )
        assert load_state(ws, project, keys[0]) is None
    assert (
        state_keys(monitor(tmp_path, metrics=["DataDriftPreset"]), reference) == []
    )  # no estimates: no state


def test_signals_of_a_snapshot():
    rng = np.random.default_rng(1)
    reference = binary_rows(rng, 3000)
    shifted = binary_rows(rng, 1500, shift=3.0)
    suite = TestSuite(
        tests=[
            TestEstimatedAccuracy(gte=0.99),
            TestNumberOfRows(gte=1),
            TestConceptDrift(score="roc_auc", history=[True]),
        ]
    )
    drifted = shifted.assign(target=1 - shifted.target)
    suite.run(
        reference_data=reference, current_data=drifted, column_mapping=ColumnMapping(task="classification")
    )
    signals = {(s.event, s.subject, s.severity) for s in snapshot_signals(suite.to_snapshot())}
    assert signals == {
        ("monitorflow.test.failed", "Estimated Accuracy", "critical"),
        ("monitorflow.quality.below_threshold", "Estimated Accuracy", "critical"),
        ("monitorflow.estimate.diverged", "roc_auc", "critical"),
        ("monitorflow.test.failed", "Concept Drift", "critical"),
    }
    report = Report(metrics=[DataDriftPreset()])
    report.run(
        reference_data=reference, current_data=shifted, column_mapping=ColumnMapping(task="classification")
    )
    (drift,) = snapshot_signals(report.to_snapshot())
    assert drift.event == "monitorflow.drift.detected" and drift.severity == "warning"
    assert drift.payload["dataset_drift"] is True and drift.payload["number_of_drifted_columns"] >= 2


def test_reconciliation_tests_history_and_panels(tmp_path):
    m = monitor(tmp_path, tests=["EstimatedClassificationTestPreset"])
    tests = drift_tests(m)
    assert [t.score for t in tests] == ["accuracy", "roc_auc"] and lookback(m) == 1
    custom = monitor(
        tmp_path,
        ground_truth={
            **m.ground_truth.model_dump(mode="json"),
            "concept_drift": {"scores": ["f1"], "consecutive": 3},
        },
    )
    assert [(t.score, t.consecutive) for t in drift_tests(custom)] == [("f1", 3)] and lookback(custom) == 2
    off = monitor(
        tmp_path, ground_truth={**m.ground_truth.model_dump(mode="json"), "concept_drift": {"enabled": False}}
    )
    assert drift_tests(off) == [] and lookback(off) == 0
    assert drift_tests(monitor(tmp_path, metrics=["DataDriftPreset"])) == []

    rng = np.random.default_rng(2)
    reference = binary_rows(rng, 3000)
    histories = {}
    window = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2026, 1, 2, tzinfo=UTC))
    for flip in (False, True, True):
        rows = binary_rows(rng, 1500)
        rows = rows.assign(target=1 - rows.target) if flip else rows
        suite = TestSuite(tests=with_history(tests, "eu", histories))
        suite.run(
            reference_data=reference, current_data=rows, column_mapping=ColumnMapping(task="classification")
        )
        outcome = WindowOutcome(window=window, kind="reconciliation", status="written")
        record(tests, "eu", Evaluation(outcome, suite.to_snapshot()), histories)
    assert histories == {("eu", t.fingerprint): [False, True, True] for t in tests}
    assert [r.status for r in suite.to_snapshot().tests] == ["FAIL", "FAIL"]

    (accuracy, auc) = estimation_panels(m, model_version="v2")
    assert accuracy.title == "m: estimated vs realized accuracy" and accuracy.split_by_tag == "segment:"
    assert [v.field_path for v in accuracy.values] == [
        "current.accuracy.value",
        "current.accuracy.lower",
        "current.accuracy.upper",
        "accuracy.realized",
    ]
    assert (
        accuracy.filter.tag_values == ["monitor:m", "model_version:v2"]
        and accuracy.filter.include_test_suites
    )


def test_alert_file_renders_into_valid_automations():
    from monitorflow.flows.alerts import PLACEHOLDER, automations, render

    block = "0b8a3bd6-2f6e-4a2c-9d5f-7b1c2e3a4f50"
    text = render(REPO / "deployments/automations/alerts.yaml", block)
    assert PLACEHOLDER not in text
    parsed = automations(text)
    assert {a.name for a in parsed} == {
        "monitorflow-test-failed",
        "monitorflow-drift-detected",
        "monitorflow-quality-below-threshold",
        "monitorflow-concept-drift",
        "monitorflow-window-skipped",
    }
    events = {next(iter(a.trigger.expect)) for a in parsed}
    assert events == {
        "monitorflow.test.failed",
        "monitorflow.drift.detected",
        "monitorflow.quality.below_threshold",
        "monitorflow.estimate.diverged",
        "monitorflow.window.skipped",
    }
    assert all(str(a.actions[0].block_document_id) == block for a in parsed)

"""What a window's snapshot says that someone should be told about: the signals behind alerts.

Each signal becomes one Prefect event (:mod:`monitorflow.flows.events`), with the monitor, project,
segment and model version as resource labels. Names (``monitorflow.<subject>.<what>``):

- ``monitorflow.test.failed``: a test ended FAIL (one signal per test);
- ``monitorflow.drift.detected``: dataset drift in a DatasetDriftMetric / DataDriftTable result;
- ``monitorflow.quality.below_threshold``: an estimated score failed its test (TestEstimated*);
- ``monitorflow.estimate.diverged``: realized quality outside the estimate's band (TestConceptDrift
  WARNING; FAIL when it persisted: ``concept_drift`` is true);
- ``monitorflow.window.skipped``: a window (or segment) had no rows or no labels (from the outcome).
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from monitorflow.snapshot import Snapshot

TEST_FAILED = "monitorflow.test.failed"
DRIFT_DETECTED = "monitorflow.drift.detected"
QUALITY_BELOW = "monitorflow.quality.below_threshold"
ESTIMATE_DIVERGED = "monitorflow.estimate.diverged"
WINDOW_SKIPPED = "monitorflow.window.skipped"
EVENTS = (TEST_FAILED, DRIFT_DETECTED, QUALITY_BELOW, ESTIMATE_DIVERGED, WINDOW_SKIPPED)

_DRIFT_METRICS = ("DatasetDriftMetric", "DataDriftTable")


class Signal(BaseModel):
    """One thing to alert on: the event name, what it is about (a test, a metric) and numbers."""

    model_config = ConfigDict(frozen=True)

    event: str
    subject: str
    payload: dict[str, Any] = {}
    #: Unique among the snapshot's signals of one event (a test's or metric's id).
    key: str = ""
    #: ``critical`` (a failed test, quality below its threshold, concept drift) or ``warning``.
    severity: Literal["critical", "warning"] = "critical"


def _scalars(values: dict[str, Any]) -> dict[str, Any]:
    """JSON scalars only (no nested conditions or lists); non-finite floats dropped."""
    out = {}
    for key, value in values.items():
        if isinstance(value, float) and not math.isfinite(value):
            continue
        if value is None or isinstance(value, bool | int | float | str):
            out[key] = value
    return out


def snapshot_signals(snapshot: Snapshot) -> list[Signal]:
    """The signals of one snapshot: failed tests, dataset drift, low estimates, diverging estimates."""
    signals = []
    for test in snapshot.tests:
        parameters = _scalars(test.parameters)
        if test.type == "TestConceptDrift" and test.status in ("FAIL", "WARNING"):
            payload = {**parameters, "concept_drift": test.status == "FAIL", "description": test.description}
            severity = "critical" if test.status == "FAIL" else "warning"
            subject = str(test.parameters.get("score", test.name))
            signals.append(
                Signal(
                    event=ESTIMATE_DIVERGED, subject=subject, payload=payload, severity=severity, key=test.id
                )
            )
        if test.status != "FAIL":
            continue
        payload = {**parameters, "status": str(test.status), "description": test.description}
        signals.append(Signal(event=TEST_FAILED, subject=test.name, payload=payload, key=test.id))
        if test.type.startswith("TestEstimated"):
            signals.append(Signal(event=QUALITY_BELOW, subject=test.name, payload=payload, key=test.id))
    for entry in snapshot.metrics:
        if entry.type in _DRIFT_METRICS and entry.result and entry.result.get("dataset_drift"):
            payload = _scalars(entry.result)
            signals.append(
                Signal(
                    event=DRIFT_DETECTED,
                    subject=entry.type,
                    payload=payload,
                    severity="warning",
                    key=entry.id,
                )
            )
            break
    return signals


__all__ = [
    "DRIFT_DETECTED",
    "ESTIMATE_DIVERGED",
    "EVENTS",
    "QUALITY_BELOW",
    "TEST_FAILED",
    "WINDOW_SKIPPED",
    "Signal",
    "snapshot_signals",
]

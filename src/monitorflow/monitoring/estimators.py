"""Estimator states in the workspace: fitted once per labelled reference, stored, reused by every window.

A state (calibrators, or error models) is content-addressed: its fingerprint hashes the estimator's
settings and the reference rows it was fitted on. It is stored as a one-row dataset of the project
whose id derives from the fingerprint, so a flow finds it without listing anything, and a new
reference (or new settings) gets a new state. Flows look the states up before computing windows
(:func:`stored_states`), the computation reuses or fits them in process, and the upload stores the
new ones (:func:`save_state`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pandas as pd

from monitorflow.column_mapping import ColumnMapping, build_definition
from monitorflow.context import RunContext
from monitorflow.errors import DatasetNotFound, EstimatorStateError, MonitoringError
from monitorflow.estimation.states import from_json, to_json
from monitorflow.ids import stable_uuid
from monitorflow.metrics.estimation import estimation_metrics
from monitorflow.monitoring.definition import Monitor
from monitorflow.monitoring.evaluate import segment_names
from monitorflow.workspace import Workspace

#: Name prefix of the datasets that hold estimator states.
STATE_DATASET = "estimator-state"


def state_dataset_id(project: UUID, key: str) -> UUID:
    return stable_uuid("monitorflow-estimator-state", project, key)


def save_state(ws: Workspace, project: UUID, state: Any) -> bool:
    """Store ``state`` in the project unless it is there; returns whether it was written."""
    dataset_id = state_dataset_id(project, state.fingerprint)
    try:
        ws.get_dataset_info(dataset_id)
        return False
    except DatasetNotFound:
        pass
    frame = pd.DataFrame(
        {"kind": [state.kind], "fingerprint": [state.fingerprint], "state": [to_json(state)]}
    )
    description = f"{state.kind} estimator fitted on {state.reference_rows} labelled reference rows"
    ws.add_dataset(project, frame, f"{STATE_DATASET} {state.fingerprint}", description, dataset_id=dataset_id)
    return True


def save_states(ws: Workspace, project: UUID, states: list[Any]) -> int:
    """Store the states not stored yet (each once); returns how many were written."""
    unique = {state.fingerprint: state for state in states}
    return sum(save_state(ws, project, state) for state in unique.values())


def load_state(ws: Workspace, project: UUID, key: str) -> Any | None:
    """The stored state with fingerprint ``key``; None if absent or unreadable (it is then refitted)."""
    try:
        frame = ws.load_dataset(state_dataset_id(project, key))
        return from_json(frame["state"].iloc[0])
    except (DatasetNotFound, EstimatorStateError, KeyError, IndexError):
        return None


def reference_context(reference: pd.DataFrame, mapping: ColumnMapping | None) -> RunContext:
    """A run context whose reference (and current) data is ``reference``: enough to prepare estimators."""
    definition, current, checked = build_definition(mapping, reference, reference)
    return RunContext(current, checked, definition, mapping)


def reference_parts(monitor: Monitor, reference: pd.DataFrame) -> list[pd.DataFrame]:
    """The reference rows each window is compared with: per segment when the reference has its columns."""
    segments = monitor.segments
    if segments is None or not all(c in reference.columns for c in segments.columns):
        return [reference]
    names = segment_names(reference, segments.columns)
    values = segments.values or sorted(names.unique())
    return [reference.loc[names == value].reset_index(drop=True) for value in values]


def estimates_quality(monitor: Monitor) -> bool:
    """Whether the monitor's metrics or tests estimate model quality (and so need estimator states)."""
    return bool(estimation_metrics([*monitor.build_metrics(), *monitor.build_tests()]))


def state_keys(monitor: Monitor, reference: pd.DataFrame | None) -> list[str]:
    """Fingerprints of the states the monitor's estimates need with this reference (refusals skipped:
    the window's evaluation reports them)."""
    metrics = estimation_metrics([*monitor.build_metrics(), *monitor.build_tests()])
    if reference is None or not metrics:
        return []
    keys = []
    for part in reference_parts(monitor, reference):
        try:
            ctx = reference_context(part, monitor.column_mapping)
        except MonitoringError:
            continue
        for metric in metrics:
            try:
                keys.append(metric.prepare(ctx).key)  # type: ignore[attr-defined]  # estimation metrics have it
            except MonitoringError:
                continue
    return list(dict.fromkeys(keys))


def stored_states(
    ws: Workspace, project: UUID, monitor: Monitor, reference: pd.DataFrame | None
) -> list[Any]:
    """The states already stored for the monitor's estimates with this reference."""
    return [
        state for key in state_keys(monitor, reference) if (state := load_state(ws, project, key)) is not None
    ]


__all__ = [
    "estimates_quality",
    "load_state",
    "reference_context",
    "reference_parts",
    "save_state",
    "save_states",
    "state_dataset_id",
    "state_keys",
    "stored_states",
]

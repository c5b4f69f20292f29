"""Delayed ground truth: join late labels to a window's predictions and evaluate model quality.

Pure computation and reads (no Prefect): :mod:`monitorflow.tasks.ground_truth` wraps these in tasks.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pandas as pd

from monitorflow.column_mapping import ColumnMapping
from monitorflow.errors import ColumnNotFoundError, MonitorConfigError, SourceError, StorageError
from monitorflow.estimation.states import remember
from monitorflow.metric_preset import ClassificationPreset, RegressionPreset
from monitorflow.monitoring.definition import GroundTruth, Monitor
from monitorflow.monitoring.evaluate import evaluate, segment_names, segment_reference_rows, split
from monitorflow.monitoring.reconciliation import Histories, drift_tests, labelled_share, record, with_history
from monitorflow.monitoring.results import Batch, Evaluation, OutcomeKey, WindowOutcome
from monitorflow.monitoring.sources import load_source
from monitorflow.monitoring.windows import Window
from monitorflow.workspace import Workspace


def ground_truth_of(monitor: Monitor) -> GroundTruth:
    if monitor.ground_truth is None:
        raise MonitorConfigError(
            f"monitor {monitor.name!r} has no ground_truth section; add one with labels, join_on and target"
        )
    return monitor.ground_truth


def read_labels(monitor: Monitor, start: Any, end: Any) -> pd.DataFrame:
    """The labels known now for predictions made in [start, end) (the last label per key wins)."""
    spec = ground_truth_of(monitor)
    labels = load_source(spec.labels, Window(start=start, end=end), workspace=monitor.workspace)
    if labels.empty:
        return pd.DataFrame(columns=[*spec.join_on, spec.target])
    missing = [c for c in (*spec.join_on, spec.target) if c not in labels.columns]
    if missing:
        raise ColumnNotFoundError(missing[0], "ground_truth (join_on, target)", "the labels", labels.columns)
    return labels[[*spec.join_on, spec.target]].drop_duplicates(spec.join_on, keep="last")


def stored_predictions(
    ws: Workspace, project: UUID, monitor: Monitor, window: Window, model_version: str | None
) -> pd.DataFrame | None:
    """The rows stored with the window's snapshots (``include_data``), or None when there are none."""
    tags = [f"monitor:{monitor.name}"] + ([f"model_version:{model_version}"] if model_version else [])
    infos = ws.list_snapshots(project, start=window.start, end=window.end, tags=tags)
    frames = []
    for info in infos:
        if info.datasets.current is None or "ground_truth" in info.tags:
            continue
        frame = ws.load_dataset(project, info.id, "current")
        frame.attrs = {}
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else None


def read_predictions(
    monitor: Monitor,
    project: UUID,
    windows: list[Window],
    model_version: str | None = None,
    optional: int = 0,
) -> list[Batch]:
    """Each window's predictions: stored with its snapshots, else read again from the current source.
    The first ``optional`` windows (history for the reconciliation) are empty when they cannot be read."""
    spec = ground_truth_of(monitor)
    batches = []
    with Workspace(monitor.workspace) as ws:
        for position, window in enumerate(windows):
            frame = None
            if spec.predictions == "workspace":
                try:
                    frame = stored_predictions(ws, project, monitor, window, model_version)
                except StorageError:
                    frame = None
            if frame is None:
                try:
                    frame = load_source(monitor.current, window, workspace=monitor.workspace)
                except SourceError:
                    if position >= optional:
                        raise
                    frame = pd.DataFrame()
            batches.append(Batch(window=window, current=frame))
    return batches


def quality_mapping(monitor: Monitor) -> ColumnMapping:
    spec = ground_truth_of(monitor)
    base = monitor.column_mapping.model_dump() if monitor.column_mapping else {}
    return ColumnMapping(**{**base, "target": spec.target, "task": spec.task})


def quality_metrics(monitor: Monitor) -> list[Any]:
    spec = ground_truth_of(monitor)
    if spec.metrics:
        return [m.build() for m in spec.metrics]
    return [ClassificationPreset() if spec.task == "classification" else RegressionPreset()]


def join_labels(predictions: pd.DataFrame, labels: pd.DataFrame, spec: GroundTruth) -> pd.DataFrame:
    """Predictions with a label (inner join on ``join_on``); a stale target column is replaced."""
    missing = [c for c in spec.join_on if c not in predictions.columns]
    if missing:
        raise ColumnNotFoundError(missing[0], "ground_truth.join_on", "the predictions", predictions.columns)
    left = predictions.drop(columns=[spec.target], errors="ignore")
    return left.merge(labels, on=spec.join_on, how="inner")


def evaluate_quality(
    monitor: Monitor,
    batch: Batch,
    labels: pd.DataFrame,
    model_version: str | None,
    only_segments: list[str] | None,
    reference: pd.DataFrame | None = None,
    histories: Histories | None = None,
    history_only: bool = False,
) -> list[Evaluation]:
    """A model-quality report per segment of one window, on its labelled predictions; with a reference
    and estimates in the monitor, also a reconciliation test suite (``history_only``: only extend
    ``histories``, return nothing)."""
    spec = ground_truth_of(monitor)
    base: OutcomeKey = {"window": batch.window, "model_version": model_version, "kind": "ground_truth"}
    if batch.current.empty:
        reason = f"no predictions in window {batch.window}"
        return [] if history_only else [Evaluation(WindowOutcome(**base, status="skipped", reason=reason))]
    joined = join_labels(batch.current, labels, spec)
    items, mapping = quality_metrics(monitor), quality_mapping(monitor)
    tests = drift_tests(monitor) if reference is not None else []
    histories = {} if histories is None else histories
    out = []
    for segment, predicted in split(batch.current, monitor.segments, only_segments):
        rows = joined
        if segment is not None and monitor.segments is not None:
            rows = joined.loc[segment_names(joined, monitor.segments.columns) == segment].reset_index(
                drop=True
            )
        if rows.empty:
            reason = f"no labels yet for the {len(predicted)} predictions of window {batch.window}"
            if not history_only:
                out.append(
                    Evaluation(
                        WindowOutcome(**(base | {"segment": segment}), status="skipped", reason=reason)
                    )
                )
            continue
        meta = labelled_share(rows, predicted)
        if not history_only:
            out.append(
                evaluate(
                    monitor,
                    "ground_truth",
                    batch.window,
                    segment,
                    model_version,
                    rows,
                    None,
                    items=items,
                    column_mapping=mapping,
                    metadata=meta,
                )
            )
        if tests:
            own_reference = segment_reference_rows(reference, monitor.segments, segment)
            reconciled = evaluate(
                monitor,
                "reconciliation",
                batch.window,
                segment,
                model_version,
                rows,
                own_reference,
                items=with_history(tests, segment, histories),
                column_mapping=mapping,
                metadata=meta,
            )
            record(tests, segment, reconciled, histories)
            if not history_only:
                out.append(reconciled)
    return out


def evaluate_quality_windows(
    monitor: Monitor,
    batches: list[Batch],
    labels: pd.DataFrame,
    model_version: str | None = None,
    segments: list[str] | None = None,
    reference: pd.DataFrame | None = None,
    states: list[Any] | None = None,
    history_windows: int = 0,
) -> list[Evaluation]:
    """Model-quality snapshots of a chunk of windows, stamped with each window's time, in window order;
    the first ``history_windows`` batches only give the reconciliation its history."""
    for state in states or []:
        remember(state)
    histories: Histories = {}
    return [
        e
        for i, batch in enumerate(batches)
        for e in evaluate_quality(
            monitor,
            batch,
            labels,
            model_version,
            segments,
            reference,
            histories,
            history_only=i < history_windows,
        )
    ]

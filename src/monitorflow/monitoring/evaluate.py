"""Evaluate windows: one Report and/or TestSuite per window and segment, stamped for idempotent upload.

Pure computation (no I/O, no Prefect): :mod:`monitorflow.tasks` wraps it in Prefect tasks.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pandas as pd

from monitorflow.column_mapping import ColumnMapping
from monitorflow.context import share_reference_stats
from monitorflow.errors import ColumnNotFoundError, MonitoringError, SourceError
from monitorflow.estimation.states import remember, remembered
from monitorflow.monitoring.definition import Monitor, Segments
from monitorflow.monitoring.lazy import (
    SEGMENT_SEPARATOR,
    count_rows,
    is_lazy,
    reference_of_segment,
    split_lazy,
)
from monitorflow.monitoring.results import Batch, Evaluation, Kind, OutcomeKey, WindowOutcome
from monitorflow.monitoring.signals import snapshot_signals
from monitorflow.monitoring.sources.base import EMPTY_BECAUSE
from monitorflow.monitoring.windows import Window, iso_length
from monitorflow.report import Report
from monitorflow.snapshot import Snapshot
from monitorflow.test_suite import TestSuite


def segment_names(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Each row's segment: the value of the column, or the values of several joined by ``/``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnNotFoundError(missing[0], "segments.columns", "the data", frame.columns)
    names = frame[columns[0]].astype(str)
    for column in columns[1:]:
        names = names + SEGMENT_SEPARATOR + frame[column].astype(str)
    return names


def split(frame: Any, segments: Segments | None, only: Sequence[str] | None) -> list[tuple[str | None, Any]]:
    """(segment, rows) pairs: every listed value (possibly with no rows), else every value present.
    A lazy source is split into the same source with each segment's value as a pushed-down filter."""
    if segments is None:
        return [(None, frame)]
    if is_lazy(frame):  # no segment present: the window as a whole (skipped for having no rows)
        parts: list[tuple[str | None, Any]] = [*split_lazy(frame, segments.columns, only or segments.values)]
        return parts or [(None, frame)]
    if frame.empty:  # every listed segment is skipped; with none listed, the window as a whole
        values = only or segments.values
        return [(value, frame) for value in values] if values else [(None, frame)]
    names = segment_names(frame, segments.columns)
    values = list(only or segments.values or sorted(names.unique()))
    return [(value, frame.loc[names == value].reset_index(drop=True)) for value in values]


def segment_reference_rows(reference: Any, segments: Segments | None, segment: str | None) -> Any:
    """The reference rows of the same segment when the reference has the segment columns."""
    if reference is None or segments is None or segment is None:
        return reference
    if is_lazy(reference):
        return reference_of_segment(reference, segments.columns, segment)
    if not all(c in reference.columns for c in segments.columns):
        return reference
    return reference.loc[segment_names(reference, segments.columns) == segment].reset_index(drop=True)


def evaluate(
    monitor: Monitor,
    kind: Kind,
    window: Window,
    segment: str | None,
    model_version: str | None,
    current: Any,
    reference: Any,
    *,
    items: list[Any] | None = None,
    column_mapping: ColumnMapping | None = None,
    metadata: dict[str, Any] | None = None,
) -> Evaluation:
    """Run one Report/TestSuite on ``current`` and stamp it: deterministic id, the window's time,
    tags ``segment:``/``model_version:`` and metadata. Errors become a failed outcome."""
    base: OutcomeKey = {"window": window, "segment": segment, "model_version": model_version, "kind": kind}
    try:
        rows = count_rows(current)  # a lazy source counts without reading a column
    except MonitoringError as exc:  # a lazy window's file that cannot be read fails this window only
        return Evaluation(WindowOutcome(**base, status="failed", reason=str(exc)))
    if rows == 0:
        where = f" for segment {segment!r}" if segment is not None else ""
        because = getattr(current, "attrs", {}).get(EMPTY_BECAUSE)
        reason = f"no rows in window {window}{where}" + (f": {because}" if because else "")
        return Evaluation(WindowOutcome(**base, status="skipped", reason=reason))
    extra_tags = {"ground_truth": ["ground_truth"], "reconciliation": ["ground_truth", "reconciliation"]}
    tags = monitor.snapshot_tags(segment, model_version) + extra_tags.get(kind, [])
    meta = {
        **monitor.metadata,
        "monitor": monitor.name,
        "window_start": window.start.isoformat(),
        "window_end": window.end.isoformat(),
        **({"segment": segment} if segment is not None else {}),
        **(metadata or {}),
    }
    common: dict[str, Any] = {
        "tags": tags,
        "metadata": meta,
        "model_id": model_version,
        "batch_size": iso_length(monitor.window),
        "name": " ".join(p for p in (monitor.name, segment, model_version, window.key, kind) if p),
    }
    suite: Report | TestSuite
    if kind in ("test_suite", "reconciliation"):
        suite = TestSuite(tests=items if items is not None else monitor.build_tests(), **common)
    else:
        suite = Report(metrics=items if items is not None else monitor.build_metrics(), **common)
    mapping = column_mapping if column_mapping is not None else monitor.column_mapping
    try:
        suite.run(
            reference_data=reference, current_data=current, column_mapping=mapping, timestamp=window.start
        )
    except MonitoringError as exc:
        return Evaluation(WindowOutcome(**base, status="failed", reason=str(exc), rows=rows))
    suite.id = monitor.snapshot_id(window, segment, model_version, kind)
    snapshot = suite.to_snapshot()
    tests: dict[str, int] = {}
    failed: list[str] = []
    if snapshot.summary is not None:
        tests = {str(status): n for status, n in snapshot.summary.by_status.items()}
        failed = [t.name for t in snapshot.tests if t.status == "FAIL"]
    outcome = WindowOutcome(
        **base,
        status="written",
        snapshot_id=snapshot.id,
        rows=rows,
        tests=tests,
        failed_tests=failed,
        signals=snapshot_signals(snapshot),
    )
    return Evaluation(outcome, snapshot, states=states_used(snapshot))


def states_used(snapshot: Snapshot) -> list[Any]:
    """The estimator states behind the snapshot's estimates (this process holds them: it computed them)."""
    keys = {entry.result.get("estimator") for entry in snapshot.metrics if entry.result}
    return [state for key in sorted(k for k in keys if isinstance(k, str)) if (state := remembered(key))]


def suite_kinds(monitor: Monitor) -> list[Kind]:
    """The snapshots a window gets: a report when the monitor has metrics, a test suite when it has tests."""
    kinds: list[Kind] = []
    if monitor.metrics:
        kinds.append("report")
    if monitor.tests:
        kinds.append("test_suite")
    return kinds


def evaluate_batch(
    monitor: Monitor,
    batch: Batch,
    reference: pd.DataFrame | None,
    model_version: str | None,
    only_segments: Sequence[str] | None,
) -> list[Evaluation]:
    """Every segment of one window: a report (``metrics``) and a test suite (``tests``) each."""
    kinds = suite_kinds(monitor)
    reference = batch.reference if batch.reference is not None else reference
    try:
        parts = split(batch.current, monitor.segments, only_segments)  # a missing column is bad input: raised
    except SourceError as exc:
        if not exc.transient:
            raise
        base = {
            "window": batch.window,
            "model_version": model_version,
            "status": "failed",
            "reason": str(exc),
        }
        return [Evaluation(WindowOutcome(**base, kind=k)) for k in kinds]
    out = []
    for segment, rows in parts:
        own_reference = segment_reference_rows(reference, monitor.segments, segment)
        if own_reference is not None and count_rows(own_reference) == 0 and count_rows(rows) > 0:
            reason = (
                f"the reference has no rows of segment {segment!r}; each segment is compared with its own "
                "reference rows when the reference has the segment columns"
            )
            keys: list[OutcomeKey] = [
                {"window": batch.window, "segment": segment, "model_version": model_version, "kind": k}
                for k in kinds
            ]
            out += [Evaluation(WindowOutcome(**key, status="failed", reason=reason)) for key in keys]
            continue
        for position, kind in enumerate(kinds):
            evaluation = evaluate(monitor, kind, batch.window, segment, model_version, rows, own_reference)
            if monitor.include_data and position == 0 and evaluation.snapshot is not None:
                evaluation.data = rows
            out.append(evaluation)
    return out


def evaluate_windows(
    monitor: Monitor,
    batches: list[Batch],
    reference: Any,
    model_version: str | None = None,
    segments: list[str] | None = None,
    states: list[Any] | None = None,
) -> list[Evaluation]:
    """Reports and test suites of a chunk of windows (the fixed reference profiled once for all;
    ``states``: stored estimator states to reuse)."""
    for state in states or []:
        remember(state)
    with profile_once(reference), executor_for(monitor):
        return [
            e for batch in batches for e in evaluate_batch(monitor, batch, reference, model_version, segments)
        ]


def profile_once(reference: Any) -> AbstractContextManager[Any]:
    """Make a fixed reference's statistics last across windows while the block runs: a DataFrame's
    column statistics are shared by every run on it; a lazy source's profile and sorted columns go to
    the content-keyed profile cache (``MONITORFLOW_PROFILE_CACHE``, else a folder in the temporary
    directory, used for this block only)."""
    if reference is None:
        return nullcontext()
    if isinstance(reference, pd.DataFrame):
        share_reference_stats(reference)
        return nullcontext()
    from monitorflow.scale.options import options, scoped_cache_dir  # lazy: scale layer only

    if options().cache_dir is not None:
        return nullcontext()
    return scoped_cache_dir(Path(tempfile.gettempdir()) / f"monitorflow-profiles-{os.getuid()}")


def executor_for(monitor: Monitor) -> AbstractContextManager[Any]:
    """Where lazy sources are profiled: Dask when the monitor says so (see ``Monitor.dask``)."""
    if monitor.dask is None:
        return nullcontext()
    from monitorflow.scale.executor import on_dask  # lazy: scale layer, lazy sources only

    return on_dask(monitor.dask.address, n_workers=monitor.dask.n_workers)

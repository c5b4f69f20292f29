"""Prefect events of a run: one per signal of each window (:mod:`monitorflow.monitoring.signals`).

The resource is the monitor's segment, labelled with the monitor, project, segment, model version,
window, kind and subject (a test or metric name), so automations match and group on them, e.g.
``match: {monitorflow.segment: eu}`` or ``for_each: [monitorflow.monitor, monitorflow.segment]``.
Event ids derive from the window, segment, subject and event, so a retried or re-run flow does not
alert twice for the same finding (Prefect drops a repeated id).
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from prefect.events import emit_event
from prefect.logging import get_run_logger

from monitorflow.flows.summary import RunSummary
from monitorflow.monitoring.results import WindowOutcome
from monitorflow.monitoring.signals import WINDOW_SKIPPED, Signal


def signals_of(outcome: WindowOutcome) -> list[Signal]:
    """The outcome's signals, and a skip as one."""
    if outcome.status == "skipped":
        payload = {"reason": outcome.reason}
        return [Signal(event=WINDOW_SKIPPED, subject=outcome.kind, payload=payload, severity="warning")]
    return list(outcome.signals)


def resource(summary: RunSummary, outcome: WindowOutcome, signal: Signal) -> dict[str, str]:
    segment = outcome.segment or ""
    return {
        "prefect.resource.id": f"monitorflow.monitor.{summary.monitor}.{segment or 'all'}",
        "prefect.resource.name": f"{summary.monitor}/{segment}" if segment else summary.monitor,
        "monitorflow.monitor": summary.monitor,
        "monitorflow.project": summary.project,
        "monitorflow.segment": segment,
        "monitorflow.model_version": outcome.model_version or "",
        "monitorflow.window": outcome.window.key,
        "monitorflow.kind": outcome.kind,
        "monitorflow.subject": signal.subject,
        "monitorflow.severity": signal.severity,
    }


def event_id(summary: RunSummary, outcome: WindowOutcome, signal: Signal) -> UUID:
    status = signal.payload.get("concept_drift", signal.payload.get("status", ""))
    parts = (
        summary.project,
        summary.monitor,
        outcome.window.start.isoformat(),
        outcome.segment or "",
        outcome.model_version or "",
        outcome.kind,
        signal.event,
        signal.key or signal.subject,
        str(status),
    )
    return uuid5(NAMESPACE_URL, "monitorflow-event:" + "/".join(parts))


def emit_signals(summary: RunSummary) -> int:
    """Emit one event per signal of the run's outcomes (skips logged too); returns how many."""
    logger = get_run_logger()
    related = [
        {
            "prefect.resource.id": f"monitorflow.project.{summary.project_id}",
            "prefect.resource.role": "project",
            "prefect.resource.name": summary.project,
        }
    ]
    count = 0
    for outcome in summary.outcomes:
        if outcome.status == "skipped":
            logger.warning(f"skipped {outcome.label}: {outcome.reason}")
        for signal in signals_of(outcome):
            payload: dict[str, Any] = {
                **signal.payload,
                "window_start": outcome.window.start.isoformat(),
                "window_end": outcome.window.end.isoformat(),
                "snapshot_id": str(outcome.snapshot_id) if outcome.snapshot_id else None,
                "workspace": summary.workspace,
            }
            event = emit_event(
                event=signal.event,
                resource=resource(summary, outcome, signal),
                related=related,
                payload=payload,
                id=event_id(summary, outcome, signal),
            )
            if event is None:
                logger.warning(f"could not emit {signal.event} for {outcome.label} (see the log above)")
            else:
                count += 1
    return count


__all__ = ["emit_signals", "event_id", "resource", "signals_of"]

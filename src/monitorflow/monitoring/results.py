"""What an evaluation passes along: a window's rows, a snapshot ready to upload, and the window's outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict
from uuid import UUID

import pandas as pd
from pydantic import BaseModel, ConfigDict

from monitorflow.monitoring.signals import Signal
from monitorflow.monitoring.windows import Window
from monitorflow.snapshot import Snapshot

Kind = Literal["report", "test_suite", "ground_truth", "reconciliation"]


@dataclass
class Batch:
    """The rows of one window (``reference`` only when it depends on the window): DataFrames, or
    lazy sources (``monitorflow.scale``) for sources read lazily."""

    window: Window
    current: Any
    reference: Any = None


class OutcomeKey(TypedDict):
    """What a :class:`WindowOutcome` is about (``WindowOutcome(**key, status=...)``)."""

    window: Window
    segment: NotRequired[str | None]
    model_version: str | None
    kind: Kind


class WindowOutcome(BaseModel):
    """What happened to one window, segment and kind: written, skipped (with the reason) or failed."""

    model_config = ConfigDict(frozen=True)

    window: Window
    segment: str | None = None
    model_version: str | None = None
    kind: Kind
    status: Literal["written", "skipped", "failed"]
    snapshot_id: UUID | None = None
    reason: str | None = None
    rows: int = 0
    #: Test statuses and counts (test suites only), e.g. ``{"SUCCESS": 12, "FAIL": 1}``.
    tests: dict[str, int] = {}
    failed_tests: list[str] = []
    #: What to alert on (failed tests, drift, estimates; see :mod:`monitorflow.monitoring.signals`).
    signals: list[Signal] = []

    @property
    def label(self) -> str:
        parts = [self.window.key, self.segment, self.model_version, self.kind]
        return " ".join(p for p in parts if p)


@dataclass
class Evaluation:
    """A computed snapshot (or a skip/failure) and, with ``include_data``, the rows to store beside it."""

    outcome: WindowOutcome
    snapshot: Snapshot | None = None
    data: pd.DataFrame | None = None
    #: Estimator states the snapshot's estimates used (stored once per reference by the upload).
    states: list[Any] = field(default_factory=list)

"""What a flow run did: its outcomes, a markdown summary (the run's artifact), and its errors."""

from __future__ import annotations

from collections import Counter
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

from monitorflow.errors import MonitoringError
from monitorflow.monitoring.results import WindowOutcome

#: Rows shown in the markdown table before it is cut (the counts above it stay complete).
MAX_ROWS = 200


#: The flows that write a run summary.
FlowKind = Literal["monitor", "backfill", "ground-truth"]


class RunSummary(BaseModel):
    """The outcome of every window, segment and kind of one flow run."""

    flow: FlowKind
    monitor: str
    project: str
    project_id: UUID
    workspace: str
    windows: int
    outcomes: list[WindowOutcome] = []
    ui_url: str | None = None

    def by_status(self, status: str) -> list[WindowOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def written(self) -> list[WindowOutcome]:
        return self.by_status("written")

    @property
    def skipped(self) -> list[WindowOutcome]:
        return self.by_status("skipped")

    @property
    def failed(self) -> list[WindowOutcome]:
        return self.by_status("failed")

    @property
    def failed_tests(self) -> list[WindowOutcome]:
        return [o for o in self.written if o.failed_tests]

    def counts(self) -> str:
        """``60 windows: 240 snapshots written, 2 skipped, 0 failed``."""
        return (
            f"{self.windows} window{'s' * (self.windows != 1)}: {len(self.written)} snapshots written, "
            f"{len(self.skipped)} skipped, {len(self.failed)} failed"
        )

    def link(self) -> str | None:
        if not self.ui_url:
            return None
        base = self.ui_url.rstrip("/")
        return (
            base.format(project_id=self.project_id)
            if "{project_id}" in base
            else f"{base}/projects/{self.project_id}"
        )

    def markdown(self) -> str:
        """The run's artifact: counts, test results, skips and failures, then one row per outcome."""
        tests: Counter[str] = Counter()
        for outcome in self.written:
            tests.update(outcome.tests)
        lines = [
            f"# {self.flow}: monitor `{self.monitor}`",
            "",
            f"Project **{self.project}** (`{self.project_id}`) in workspace `{self.workspace}`.",
            "",
            f"**{self.counts()}**.",
        ]
        if tests:
            lines.append("Tests: " + ", ".join(f"{status} {n}" for status, n in sorted(tests.items())) + ".")
        if link := self.link():
            lines.append(f"[Open the project in the monitorflow UI]({link})")
        lines += [
            "",
            "| window | segment | model version | kind | status | snapshot id | tests / reason |",
            "|---|---|---|---|---|---|---|",
        ]
        for o in self.outcomes[:MAX_ROWS]:
            detail = o.reason or ", ".join(f"{k} {v}" for k, v in sorted(o.tests.items()))
            if o.failed_tests:
                detail += "; failed: " + ", ".join(o.failed_tests[:5])
            detail = detail.replace("|", "\\|").replace("\n", " ")
            lines.append(
                f"| {o.window.key} | {o.segment or ''} | {o.model_version or ''} | {o.kind} | {o.status} "
                f"| `{o.snapshot_id or ''}` | {detail} |"
            )
        if len(self.outcomes) > MAX_ROWS:
            lines.append(f"\n{len(self.outcomes) - MAX_ROWS} more rows not shown.")
        return "\n".join(lines)


def _first_three(lines: list[str]) -> str:
    """``a; b; c (and 2 more)``."""
    more = f" (and {len(lines) - 3} more)" if len(lines) > 3 else ""
    return "; ".join(lines[:3]) + more


class RunFailed(MonitoringError):
    """Some windows could not be evaluated or stored; the others were. ``.summary`` has all outcomes."""

    def __init__(self, summary: RunSummary):
        self.summary = summary
        failed = summary.failed
        shown = _first_three([f"{o.label}: {o.reason}" for o in failed])
        super().__init__(f"{len(failed)} of {len(summary.outcomes)} evaluations failed: {shown}")


class TestsFailed(MonitoringError):
    """A test suite had FAIL results and the monitor has ``fail_on_test_failure``; snapshots were written."""

    __test__ = False

    def __init__(self, summary: RunSummary):
        self.summary = summary
        failing = summary.failed_tests
        shown = _first_three([f"{o.label}: {', '.join(o.failed_tests[:3])}" for o in failing])
        super().__init__(f"failed tests in {len(failing)} snapshot(s): {shown}")

"""Monitor: one monitoring job as a pydantic model (also written as YAML), and its time windows.

A monitor names a project in a workspace, where its data comes from (``current`` and an optional
``reference``), what to compute (metric and test presets, or single metrics and tests by name with
parameters), the batch ``window`` and the ``segments``. The Prefect flows in
:mod:`monitorflow.flows` take it as their parameter; this module imports no Prefect.

>>> from datetime import UTC, datetime
>>> m = Monitor.model_validate({
...     "name": "churn", "project": "churn", "window": "1d",
...     "current": {"kind": "file", "path": "data/{start}.parquet"},
...     "metrics": ["DataDriftPreset", {"name": "ColumnDriftMetric", "column_name": "age"}],
... })
>>> w = m.window_for(datetime(2026, 1, 5, 6, tzinfo=UTC))
>>> (w.start.isoformat(), w.end.isoformat())
('2026-01-04T00:00:00+00:00', '2026-01-05T00:00:00+00:00')
>>> len(m.windows(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 8, tzinfo=UTC)))
7
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from monitorflow.checks.base import Test, TestPreset
from monitorflow.column_mapping import ColumnMapping
from monitorflow.errors import MissingDependencyError, MonitorConfigError
from monitorflow.ids import stable_uuid
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.monitoring.dashboard import DashboardSpec
from monitorflow.monitoring.sources import Source, SQLSource
from monitorflow.monitoring.specs import MetricSpec, TestSpec
from monitorflow.monitoring.windows import (
    EPOCH,
    Duration,
    FixedPeriod,
    ShiftedWindow,
    Window,
    utc,
    window_ending_before,
    windows_starting_in,
)


class Segments(BaseModel):
    """One snapshot per value of ``columns`` (several columns: values joined by ``/``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = Field(
        min_length=1
    )
    #: Evaluate these values only (every one gets a snapshot or a recorded skip); default: the values present.
    values: list[str] | None = None


class GroundTruth(BaseModel):
    """Late labels: joined with stored predictions to write model-quality snapshots per window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: Source
    #: Column(s) present in both the predictions and the labels.
    join_on: Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = Field(
        min_length=1
    )
    #: The label column in ``labels`` (becomes the mapping's target).
    target: str
    task: Literal["classification", "regression"] = "classification"
    #: Default: ClassificationPreset or RegressionPreset.
    metrics: list[MetricSpec] = []
    #: Where the predictions come from: the rows stored with the snapshots (``include_data``), else the source.
    predictions: Literal["workspace", "source"] = "workspace"


class Monitor(BaseModel):
    """One monitoring job: where the data is, what to compute, per which window and segment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)
    project: str = Field(min_length=1)
    workspace: str = Field(
        "workspace", min_length=1, description="folder, sqlite:///, postgresql+psycopg://, s3://"
    )
    current: Source
    reference: Source | None = None
    #: How the reference source is read: whole (None), over a fixed period, or the current window shifted back.
    reference_window: FixedPeriod | ShiftedWindow | None = None
    column_mapping: ColumnMapping | None = None
    metrics: list[MetricSpec] = []
    tests: list[TestSpec] = []
    window: Duration = timedelta(days=1)
    #: Windows are aligned to this instant: anchor + k * window.
    window_anchor: AwareDatetime = EPOCH
    #: How long after a window's end its data is complete: a run at ``as_of`` evaluates the last window
    #: that ended at or before ``as_of - delay``.
    delay: Duration = timedelta(0)
    segments: Segments | None = None
    model_version: str | None = Field(None, min_length=1)
    #: Store each window's current rows with its snapshot (needed for ground truth from the workspace).
    include_data: bool = False
    #: A FAIL in a test suite fails the flow run (after every snapshot is written).
    fail_on_test_failure: bool = False
    tags: list[str] = []
    metadata: dict[str, Any] = {}
    ground_truth: GroundTruth | None = None
    #: Retries of a source read or upload (I/O), and the delay between them.
    retries: int = Field(2, ge=0, le=10)
    retry_delay_seconds: float = Field(2.0, ge=0, le=600)
    #: Base URL of the monitorflow UI for links in run artifacts (``{project_id}`` may appear in it).
    ui_url: str | None = None
    #: Panels the project's dashboard gets (added or updated by every run; see monitoring.dashboard).
    dashboard: DashboardSpec | None = None

    @field_validator("window")
    @classmethod
    def _positive_window(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be positive, e.g. 1d or 6h")
        return value

    @field_validator("delay")
    @classmethod
    def _non_negative_delay(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            raise ValueError("must not be negative")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Monitor:
        if not self.metrics and not self.tests:
            raise ValueError("give metrics, tests or both, e.g. metrics: [DataDriftPreset]")
        if isinstance(self.current, SQLSource) and not self.current.uses_window():
            names = f":{self.current.start_param} and :{self.current.end_param}"
            raise ValueError(f"current.query must use the window as bound parameters {names}")
        if self.reference_window is not None and self.reference is None:
            raise ValueError("reference_window is set but there is no reference source")
        return self

    # -------------------------------------------------------------------------- windows

    def window_for(self, as_of: datetime) -> Window:
        """The last complete window at logical time ``as_of`` (it ends at or before ``as_of - delay``)."""
        return window_ending_before(as_of, self.window, self.window_anchor, self.delay)

    def windows(self, start: datetime, end: datetime) -> list[Window]:
        """Every window whose start lies in [start, end)."""
        return windows_starting_in(start, end, self.window, self.window_anchor)

    def reference_period(self, window: Window) -> Window | None:
        """The period the reference source is read over for ``window`` (None: the whole source)."""
        spec = self.reference_window
        if isinstance(spec, FixedPeriod):
            return Window(start=utc(spec.start), end=utc(spec.end))
        if isinstance(spec, ShiftedWindow):
            return Window(start=window.start - spec.shift, end=window.end - spec.shift)
        return None

    # ------------------------------------------------------------------------ identity

    def snapshot_id(self, window: Window, segment: str | None, model_version: str | None, kind: str) -> UUID:
        """Deterministic: a re-run or retry of the same window replaces its snapshot."""
        return stable_uuid(
            self.project, self.name, window.start.isoformat(), segment or "", model_version or "", kind
        )

    def snapshot_tags(self, segment: str | None, model_version: str | None) -> list[str]:
        tags = [*self.tags, f"monitor:{self.name}"]
        if segment is not None:
            tags.append(f"segment:{segment}")
        if model_version is not None:
            tags.append(f"model_version:{model_version}")
        return list(dict.fromkeys(tags))

    def build_metrics(self) -> list[Metric[Any] | MetricPreset]:
        return [spec.build() for spec in self.metrics]

    def build_tests(self) -> list[Test | TestPreset]:
        return [spec.build() for spec in self.tests]


# ------------------------------------------------------------------------------ loading


def _field(loc: tuple[Any, ...]) -> str:
    """``('current', 'file', 'path')`` -> ``current.path`` (drops the union tag pydantic adds)."""
    parts = [
        str(p) for p in loc if p not in ("file", "sql", "python", "dataset", "FixedPeriod", "ShiftedWindow")
    ]
    return ".".join(parts) or "(monitor)"


def describe_errors(exc: ValidationError) -> str:
    """One ``field: problem (got value)`` per error, joined with ``; ``."""
    problems = []
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        got = error.get("input")
        shown = "" if isinstance(got, dict | list) or error["type"] == "missing" else f" (got {got!r})"
        problems.append(f"{_field(error['loc'])}: {message}{shown}")
    return "; ".join(problems)


def parse_monitor(data: Any, source: str = "monitor") -> Monitor:
    """Validate a dict as a Monitor; :class:`MonitorConfigError` names each bad field."""
    if not isinstance(data, dict):
        raise MonitorConfigError(f"{source}: expected a mapping of monitor fields, got {type(data).__name__}")
    try:
        return Monitor.model_validate(data)
    except ValidationError as exc:
        raise MonitorConfigError(f"{source}: invalid monitor: {describe_errors(exc)}") from None


def load_monitor(path: str | os.PathLike[str]) -> Monitor:
    """Read a monitor from a YAML file.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.yaml"
    >>> _ = p.write_text("name: m\\nproject: p\\ncurrent: {kind: file, path: x.csv}\\nmetrics: [DataDriftPrest]\\n")
    >>> try:
    ...     load_monitor(p)
    ... except MonitorConfigError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    invalid monitor: metrics.0: unknown metric 'DataDriftPrest'; did you mean 'DataDriftPreset'? (got 'DataDriftPrest')
    """
    try:
        import yaml
    except ImportError:  # pragma: no cover - pyyaml comes with the prefect extra
        raise MissingDependencyError("pyyaml", "prefect") from None
    where = os.fspath(path)
    try:
        with open(where, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise MonitorConfigError(f"cannot read monitor file {where!r}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise MonitorConfigError(f"{where} is not valid YAML: {' '.join(str(exc).split())}") from None
    return parse_monitor(data, where)


__all__ = [
    "GroundTruth",
    "Monitor",
    "Segments",
    "describe_errors",
    "load_monitor",
    "parse_monitor",
]

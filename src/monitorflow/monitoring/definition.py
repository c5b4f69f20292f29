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

import difflib
import os
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

from pydantic import (
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
from monitorflow.dashboard_spec import DashboardSpec
from monitorflow.errors import MissingDependencyError, MonitorConfigError
from monitorflow.ids import stable_uuid
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.monitoring.sources import Source, SQLSource
from monitorflow.monitoring.specs import MetricSpec, TestSpec
from monitorflow.monitoring.windows import (
    CalendarPeriod,
    Duration,
    FixedPeriod,
    Instant,
    Length,
    ShiftedWindow,
    Window,
    WindowLength,
    default_anchor,
    utc,
    window_ending_before,
    windows_before,
    windows_starting_in,
)


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Segments(BaseModel):
    """One snapshot per value of the segment columns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: Annotated[list[str], BeforeValidator(_listed)] = Field(
        min_length=1,
        description="Column (or columns) whose values name the segments. Several columns give segments "
        "such as eu/mobile.",
    )
    values: list[str] | None = Field(
        None,
        description="Evaluate only these segments; each gets a snapshot or a recorded skip. "
        "Leave empty to evaluate every value present in the window.",
    )


class ConceptDriftCheck(BaseModel):
    """Reconciliation of the monitor's quality estimates with the realized quality once labels arrive:
    one TestConceptDrift per score, which fails when the realized score stays outside the estimate's
    band for several windows in a row."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(True, description="Reconcile the estimates when labels arrive.")
    scores: list[Literal["accuracy", "precision", "recall", "f1", "roc_auc", "mae", "rmse"]] | None = Field(
        None,
        description="Scores to reconcile. Leave empty for accuracy and roc_auc (classification) or mae and "
        "rmse (regression).",
    )
    consecutive: int = Field(
        2, ge=1, le=10, description="Windows in a row outside the band that make concept drift."
    )


class GroundTruth(BaseModel):
    """Late labels, joined with the stored predictions to measure model quality per window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: Source = Field(description="Where the labels are read from.")
    join_on: Annotated[list[str], BeforeValidator(_listed)] = Field(
        min_length=1, description="Column (or columns) present in both the predictions and the labels."
    )
    target: str = Field(description="The label column in the labels (it becomes the target).")
    task: Literal["classification", "regression"] = Field("classification", description="The model's task.")
    metrics: list[MetricSpec] = Field(
        [], description="Model-quality metrics. Leave empty for ClassificationPreset or RegressionPreset."
    )
    predictions: Literal["workspace", "source"] = Field(
        "workspace",
        description="Read the predictions stored with the snapshots (needs include_data), or read the "
        "current source again.",
    )
    concept_drift: ConceptDriftCheck = Field(
        ConceptDriftCheck(),
        description="When the monitor estimates quality: compare each window's estimate with the realized "
        "quality, and flag concept drift.",
    )


class DaskSettings(BaseModel):
    """Where a monitor's lazy sources are profiled when not in one process."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    address: str | None = Field(
        None,
        description="Scheduler address (tcp://host:8786); none: the flow's DaskTaskRunner, else a "
        "LocalCluster.",
    )
    n_workers: int = Field(2, ge=1, le=256, description="Worker processes of a LocalCluster.")


class Monitor(BaseModel):
    """One monitoring job: where the data is, what to compute, per which window and segment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The common fields first: the Prefect form shows them in this order.
    name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        max_length=80,
        description="A short name for this monitor, used in snapshot names and tags (letters, digits, _.-).",
    )
    project: str = Field(min_length=1, description="The workspace project that receives the snapshots.")
    current: Source = Field(description="Where each window's data is read from.")
    reference: Source | None = Field(None, description="Where the reference data is read from, if any.")
    metrics: list[MetricSpec] = Field(
        [], description="Metrics and metric presets to compute for each window, by name."
    )
    tests: list[TestSpec] = Field([], description="Tests and test presets to run for each window, by name.")
    window: Length = Field(
        timedelta(days=1),
        description="The length of one window: 1h, 6h, 1d, 1w, 1mo or 1y, for example.",
        json_schema_extra={"default": "1d"},
    )
    segments: Segments | None = Field(None, description="Write one snapshot per segment of the data.")
    model_version: str | None = Field(
        None, min_length=1, description="The model version, stored as a tag and in the snapshot."
    )
    column_mapping: ColumnMapping | None = Field(
        None, description="Roles and types of the columns. Leave empty to infer them from the data."
    )
    workspace: str = Field(
        "workspace",
        min_length=1,
        description="Where snapshots are stored: a folder, sqlite:///..., postgresql+psycopg://... or "
        "s3://...",
    )
    # Specialised fields.
    reference_window: FixedPeriod | ShiftedWindow | None = Field(
        None,
        description="Read the reference over a fixed period, or over the current window shifted back. "
        "Leave empty to read the whole reference source.",
    )
    window_anchor: Instant | None = Field(
        None,
        description="Windows start at this instant plus whole windows. By default days start at midnight "
        "UTC, weeks on Monday, months on the 1st.",
    )
    delay: Duration = Field(
        timedelta(0),
        json_schema_extra={"default": "0s"},
        description="How long after a window ends its data is complete. A run evaluates the last window "
        "that ended at least this long ago.",
    )
    include_data: bool = Field(
        False, description="Store each window's rows with its snapshot (ground truth reads them back)."
    )
    fail_on_test_failure: bool = Field(
        False, description="Fail the flow run when a test fails, after every snapshot is written."
    )
    tags: list[str] = Field([], description="Tags added to every snapshot.")
    metadata: dict[str, Any] = Field({}, description="Metadata added to every snapshot.")
    ground_truth: GroundTruth | None = Field(
        None, description="Late labels: measure model quality per window when they arrive."
    )
    retries: int = Field(2, ge=0, le=10, description="How often a failed read or upload is retried.")
    retry_delay_seconds: float = Field(2.0, ge=0, le=600, description="Seconds between retries.")
    ui_url: str | None = Field(
        None, description="Base URL of the monitorflow UI, for links in run artifacts ({project_id} allowed)."
    )
    dask: DaskSettings | None = Field(
        None,
        description="Profile and sort lazy sources (kind: parquet, SQL pushdown) as Dask tasks: on the "
        "cluster a DaskTaskRunner runs the flow on, else on this address or a local cluster.",
    )
    dashboard: DashboardSpec | None = Field(
        None, description="Tabs of panels the project's dashboard gets; every run adds or updates them."
    )

    @field_validator("window")
    @classmethod
    def _positive_window(cls, value: WindowLength) -> WindowLength:
        if isinstance(value, CalendarPeriod) and value.months <= 0 or value == timedelta(0):
            raise ValueError("must be positive, e.g. 1d or 6h")
        if isinstance(value, timedelta) and value < timedelta(0):
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
        if self.include_data and self.current.reads_lazily():
            raise ValueError(
                "include_data stores each window's rows with its snapshot, and a lazy source (kind: parquet, "
                "SQL pushdown) never loads them: the rows stay where they are; set include_data: false "
                "(ground truth then reads predictions from the source: ground_truth.predictions: source)"
            )
        return self

    # -------------------------------------------------------------------------- windows

    @property
    def anchor(self) -> datetime:
        """Where windows are aligned: ``window_anchor``, else Monday for weeks, else 1970-01-01 UTC."""
        return self.window_anchor if self.window_anchor is not None else default_anchor(self.window)

    def window_for(self, as_of: datetime) -> Window:
        """The last complete window at logical time ``as_of`` (it ends at or before ``as_of - delay``)."""
        return window_ending_before(as_of, self.window, self.anchor, self.delay)

    def windows(self, start: datetime, end: datetime) -> list[Window]:
        """Every window whose start lies in [start, end)."""
        return windows_starting_in(start, end, self.window, self.anchor)

    def windows_before(self, end: datetime, count: int) -> list[Window]:
        """The ``count`` windows that end at or before ``end``, oldest first."""
        return windows_before(end, count, self.window, self.anchor)

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
        str(p)
        for p in loc
        if p not in ("file", "parquet", "sql", "python", "dataset", "FixedPeriod", "ShiftedWindow")
    ]
    return ".".join(parts) or "(monitor)"


def _field_names(model: Any, seen: set[Any] | None = None) -> set[str]:
    """Every field name a monitor may spell, nested models included (for "did you mean")."""
    seen = set() if seen is None else seen
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        pending = [info.annotation]
        while pending:
            kind = pending.pop()
            names |= _field_names(kind, seen)
            pending.extend(get_args(kind))
    return names


def describe_errors(exc: ValidationError) -> str:
    """One ``field: problem (got value)`` per error, joined with ``; ``; a misspelt field gets the
    closest real one."""
    problems = []
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            known = set(Monitor.model_fields) if len(error["loc"]) == 1 else _field_names(Monitor)
            close = difflib.get_close_matches(str(error["loc"][-1]), known, n=1)
            fix = f"did you mean {close[0]!r}?" if close else "every field is in docs/prefect.md"
            message = f"not a monitor field; {fix}"
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
    >>> _ = p.write_text(
    ...     "name: m\\nproject: p\\ncurrent: {kind: file, path: x.csv}\\nmetrics: [DataDriftPrest]\\n"
    ... )
    >>> try:
    ...     load_monitor(p)
    ... except MonitorConfigError as exc:
    ...     print(str(exc).split(": ", 1)[1].replace("; ", ";\\n"))
    invalid monitor: metrics.0: unknown metric 'DataDriftPrest';
    did you mean 'DataDriftPreset'? (got 'DataDriftPrest')
    """
    try:
        import yaml  # optional: prefect extra (pyyaml)
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

"""Monitor: one monitoring job as a pydantic model (also written as YAML), and its time windows.

A monitor names a project in a workspace, where its data comes from (``current`` and an optional
``reference``), what to compute (metric and test presets, or single metrics and tests by name with
parameters), the batch ``window`` and the ``segments``. The Prefect flows in
:mod:`monitorflow.flows` take it as their parameter; this module imports no Prefect.

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
import re
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Annotated, Any, ClassVar, Literal
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
from monitorflow.errors import ConfigurationError, MissingDependencyError, MonitorConfigError
from monitorflow.ids import stable_uuid
from monitorflow.metrics.base import Metric, MetricPreset
from monitorflow.timeutil import to_utc

_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_SHORT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([wdhms])\s*$")


def _duration(value: Any) -> Any:
    """``"1d"``, ``"6h"``, ``"30m"``, ``"1w"`` -> timedelta; ISO 8601 (``"P1D"``) and seconds pass on."""
    if isinstance(value, str) and (match := _SHORT.match(value)):
        return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    return value


#: A length of time: ``1d``, ``12h``, ``30m``, ``1w``, ``P1D`` or seconds.
Duration = Annotated[timedelta, BeforeValidator(_duration)]


def _utc(value: datetime) -> datetime:
    return to_utc(value).astimezone(UTC)


# --------------------------------------------------------------------------------- sources


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Keep rows whose column equals the value (a list: any of the values), e.g. ``{model_version: v2}``.
    filters: dict[str, Any] = {}


class _Timed(_Source):
    #: Column with each row's time: rows outside the window [start, end) are dropped after reading.
    timestamp_column: str | None = None
    #: Time zone of naive values in ``timestamp_column``.
    timezone: str = "UTC"


class FileSource(_Timed):
    """CSV or Parquet from a local path or ``s3://bucket/key``; ``{start}``/``{end}`` in the path are
    the window bounds (``YYYY-MM-DD`` at midnight, else ISO; ``{start:%Y/%m/%d}`` for other forms)."""

    kind: Literal["file"] = "file"
    path: str = Field(min_length=1)
    format: Literal["csv", "parquet"] | None = None
    #: Length of one file's period: the path is rendered for each period in the window, files concatenated.
    partition: Duration | None = None
    #: A missing file is an empty period (recorded as a skipped window) instead of an error.
    missing_ok: bool = False
    #: Keyword arguments for ``pandas.read_csv`` / ``read_parquet``.
    read_options: dict[str, Any] = {}
    #: S3 endpoint (default: ``AWS_ENDPOINT_URL`` / the AWS configuration).
    endpoint_url: str | None = None

    @model_validator(mode="after")
    def _known_format(self) -> FileSource:
        if self.format is None and self.file_format is None:
            raise ValueError(
                f"cannot tell the format of {self.path!r} from its extension; set format: csv or parquet"
            )
        return self

    @property
    def file_format(self) -> str | None:
        """``format``, else from the extension (``.csv``, ``.csv.gz``, ``.parquet``, ``.pq``)."""
        if self.format:
            return self.format
        name = self.path.lower()
        if name.endswith((".csv", ".csv.gz", ".csv.bz2", ".csv.zip")):
            return "csv"
        if name.endswith((".parquet", ".pq")):
            return "parquet"
        return None


class SQLSource(_Timed):
    """A SQL query through SQLAlchemy; the window is bound as parameters ``:start`` and ``:end``
    (never formatted into the SQL text)."""

    kind: Literal["sql"] = "sql"
    url: str = Field(min_length=1, description="SQLAlchemy URL, e.g. sqlite:///data.db")
    query: str = Field(min_length=1)
    #: Other bound parameters of the query.
    params: dict[str, Any] = {}
    start_param: str = "start"
    end_param: str = "end"
    #: How the window bounds are bound: aware datetimes, naive UTC datetimes, ISO strings or Unix seconds.
    bind_as: Literal["datetime", "naive_utc", "iso", "epoch"] = "datetime"

    def uses_window(self) -> bool:
        return all(re.search(rf":{p}\b", self.query) for p in (self.start_param, self.end_param))


class PythonSource(_Timed):
    """A callable ``load(start, end, **kwargs) -> DataFrame`` given by import path ``"pkg.mod:func"``."""

    kind: Literal["python"] = "python"
    function: str = Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
    kwargs: dict[str, Any] = {}


class DatasetSource(_Timed):
    """A dataset stored in the monitor's workspace (``workspace.add_dataset``), by id."""

    kind: Literal["dataset"] = "dataset"
    dataset_id: UUID


Source = Annotated[FileSource | SQLSource | PythonSource | DatasetSource, Field(discriminator="kind")]


# ----------------------------------------------------------------------- what to compute


@cache
def _registry(kind: str) -> dict[str, type]:
    """Names usable in ``metrics:`` (metrics and metric presets) or ``tests:``."""
    from monitorflow import checks, metric_preset, metrics, test_preset  # noqa: F401 (fills the registries)

    if kind == "metric":
        presets = {n: getattr(metric_preset, n) for n in metric_preset.__all__}
        return {**metrics.METRICS, **presets}
    return {**checks.TESTS, **{n: getattr(test_preset, n) for n in test_preset.__all__}}


def _split_spec(value: Any) -> Any:
    """``"Name"``, ``{name: Name, param: ...}`` or ``{Name: {param: ...}}`` -> ``{name, params}``."""
    if isinstance(value, str):
        return {"name": value}
    if isinstance(value, dict) and "params" not in value:
        if "name" in value:
            return {"name": value["name"], "params": {k: v for k, v in value.items() if k != "name"}}
        if len(value) == 1:
            ((name, params),) = value.items()
            return {"name": name, "params": params or {}}
    return value


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str]

    name: str
    params: dict[str, Any] = {}

    @model_validator(mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return _split_spec(value)

    @model_validator(mode="after")
    def _resolves(self) -> _Spec:
        self.build()
        return self

    def build(self) -> Any:
        """The configured metric/test (or preset); ValueError names the problem."""
        kind = self.kind
        registry = _registry(kind)
        cls = registry.get(self.name)
        if cls is None:
            close = difflib.get_close_matches(self.name, registry, n=1)
            hint = (
                f"did you mean {', '.join(repr(c) for c in close)}?" if close else f"see monitorflow.{kind}s"
            )
            raise ValueError(f"unknown {kind} {self.name!r}; {hint}")
        try:
            return cls(**self.params)
        except ConfigurationError as exc:
            raise ValueError(str(exc)) from None


class MetricSpec(_Spec):
    """A metric or metric preset by class name, with its parameters."""

    kind: ClassVar[str] = "metric"

    def build(self) -> Metric[Any] | MetricPreset:
        return super().build()


class TestSpec(_Spec):
    """A test or test preset by class name, with its parameters."""

    __test__ = False
    kind: ClassVar[str] = "test"

    def build(self) -> Test | TestPreset:
        return super().build()


# ---------------------------------------------------------------------------- windows


class Window(BaseModel):
    """A half-open time interval [start, end) in UTC."""

    model_config = ConfigDict(frozen=True)

    start: AwareDatetime
    end: AwareDatetime

    @property
    def key(self) -> str:
        """``2026-01-05`` for a day at midnight UTC, else the ISO start."""
        return _stamp(self.start)

    def __str__(self) -> str:
        return f"[{_stamp(self.start)}, {_stamp(self.end)})"


def _stamp(value: datetime) -> str:
    return (
        value.date().isoformat()
        if value == value.replace(hour=0, minute=0, second=0, microsecond=0)
        else value.isoformat()
    )


class FixedPeriod(BaseModel):
    """The reference is the source read over one fixed period."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: AwareDatetime
    end: AwareDatetime


class ShiftedWindow(BaseModel):
    """The reference is the source read over the current window moved back by ``shift`` (e.g. 7d)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    shift: Duration


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


# ------------------------------------------------------------------------------ monitor


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
    window_anchor: AwareDatetime = datetime(1970, 1, 1, tzinfo=UTC)
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
        steps = (_utc(as_of) - self.delay - self.window_anchor) // self.window
        end = self.window_anchor + steps * self.window
        return Window(start=_utc(end - self.window), end=_utc(end))

    def windows(self, start: datetime, end: datetime) -> list[Window]:
        """Every window whose start lies in [start, end)."""
        start, end = _utc(start), _utc(end)
        if end <= start:
            raise ConfigurationError(
                f"end ({end.isoformat()}) must be after start ({start.isoformat()})", argument="end"
            )
        first = -((self.window_anchor - start) // self.window)  # ceil((start - anchor) / window)
        out: list[Window] = []
        at = self.window_anchor + first * self.window
        while at < end:
            out.append(Window(start=_utc(at), end=_utc(at + self.window)))
            at += self.window
        if not out:
            raise ConfigurationError(
                f"no {self.window} window starts in [{start.isoformat()}, {end.isoformat()}); windows start at "
                f"{self.window_anchor.isoformat()} + k * {self.window}: widen the range",
                argument="start",
            )
        return out

    def reference_period(self, window: Window) -> Window | None:
        """The period the reference source is read over for ``window`` (None: the whole source)."""
        spec = self.reference_window
        if isinstance(spec, FixedPeriod):
            return Window(start=_utc(spec.start), end=_utc(spec.end))
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
    "DatasetSource",
    "Duration",
    "FileSource",
    "FixedPeriod",
    "GroundTruth",
    "MetricSpec",
    "Monitor",
    "MonitorConfigError",
    "PythonSource",
    "SQLSource",
    "Segments",
    "ShiftedWindow",
    "Source",
    "TestSpec",
    "Window",
    "describe_errors",
    "load_monitor",
    "parse_monitor",
]

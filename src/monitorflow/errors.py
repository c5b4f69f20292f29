"""Errors raised by monitorflow.

Every error the library raises on purpose derives from :class:`MonitoringError`, so callers can
catch one type. Messages name the thing, the bad value and the fix. Subclasses carry the offending
item as attributes (``.column``, ``.argument``, ``.project_id`` ...).

::

    MonitoringError
    ├── InputDataError                  bad frames passed to run()
    │   ├── NotADataFrameError          current_data / reference_data is not a pandas DataFrame
    │   ├── EmptyDataError              a frame with 0 rows where rows are needed
    │   ├── ColumnNotFoundError         a column named in the mapping or a metric is absent
    │   ├── DuplicateColumnsError       a frame has the same column name twice
    │   ├── ColumnTypeError             a column's values do not fit its declared type
    │   └── InvalidTimestampError       a timestamp that is not a datetime
    ├── ConfigurationError              invalid arguments to a metric, test, preset or mapping
    │   ├── UnknownStatTestError        a stattest name that is not registered
    │   ├── StatTestColumnTypeError     a stattest for a column type it does not accept (stattests)
    │   └── MonitorConfigError          an invalid monitor definition (names each bad field)
    ├── MetricError                     a metric could not be computed (wraps the cause)
    │   ├── StatTestComputationError    a stattest failed on a column (stattests)
    │   └── NotComputableLazily         a metric needs rows in memory; the source is lazy (scale)
    ├── SourceError                     a data source could not be read (names the path or URL)
    │   └── SchemaMismatchError         a partition's column is missing or of another type
    ├── SnapshotError                   a snapshot file cannot be read or has an unknown schema
    ├── StorageError                    a storage backend failed (wraps the cause)
    │   ├── ProjectNotFound
    │   ├── SnapshotNotFound
    │   ├── DatasetNotFound
    │   ├── SnapshotExists
    │   └── SnapshotTooLarge
    ├── EstimationError                 quality cannot be estimated as asked (monitorflow.estimation)
    │   ├── NoProbabilitiesError        the predictions are labels, not probabilities
    │   ├── LabelledReferenceRequired   no reference, or a reference without labels
    │   ├── ReferenceTooSmall           too few labelled reference rows for calibration and bands
    │   ├── NotProbabilitiesError       scores outside [0, 1], or rows not summing to 1
    │   ├── UnseenClassError            a class without labelled reference rows
    │   └── EstimatorStateError         a stored estimator state that does not fit the data
    ├── MissingDependencyError          an optional extra is not installed
    └── RunFailed, TestsFailed          a flow run's evaluations failed (monitorflow.flows.summary)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class MonitoringError(Exception):
    """Root of every error monitorflow raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other arguments than their message: rebuild from the message and attributes,
        # so an error crosses a process boundary intact (Dask workers, Prefect results).
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[MonitoringError], args: tuple[Any, ...], state: dict[str, Any]) -> MonitoringError:
    error = Exception.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


def is_bad_input(error: BaseException) -> bool:
    """Whether ``error`` comes from the input or configuration (the same for every window, not worth
    retrying) rather than from a failure of one read or one window."""
    if isinstance(error, SourceError):
        return not error.transient
    return isinstance(error, InputDataError | ConfigurationError)


class InputDataError(MonitoringError, ValueError):
    """The data passed to ``run()`` cannot be evaluated as given."""


class NotADataFrameError(InputDataError, TypeError):
    def __init__(self, argument: str, value: Any):
        self.argument = argument
        got = "nothing (None)" if value is None else f"a {type(value).__name__}"
        super().__init__(
            f"{argument} must be a pandas DataFrame, got {got}; pass e.g. {argument}=pd.read_csv('batch.csv')"
        )


class EmptyDataError(InputDataError):
    def __init__(self, argument: str, what: str = "rows"):
        self.argument = argument
        super().__init__(f"{argument} has 0 {what}; pass a frame with at least one row to evaluate")


def _preview(columns: Iterable[Any], limit: int = 20) -> str:
    cols = list(columns)
    shown = ", ".join(repr(c) for c in cols[:limit])
    more = f", ... ({len(cols) - limit} more)" if len(cols) > limit else ""
    return f"[{shown}{more}]"


class ColumnNotFoundError(InputDataError, KeyError):
    def __init__(self, column: Any, where: str, dataset: str, available: Iterable[Any]):
        self.column = column
        self.where = where
        self.dataset = dataset
        self.available = list(available)
        super().__init__(
            f"column {column!r} is in {where} but not in {dataset}; available columns: "
            f"{_preview(self.available)}"
        )

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class DuplicateColumnsError(InputDataError):
    def __init__(self, dataset: str, columns: list[Any]):
        self.dataset = dataset
        self.columns = columns
        super().__init__(
            f"{dataset} has duplicate column names {_preview(columns)}; "
            "rename or drop them so that each name appears once (df.loc[:, ~df.columns.duplicated()])"
        )


class ColumnTypeError(InputDataError, TypeError):
    def __init__(self, column: Any, dataset: str, expected: str, example: Any = None, fix: str = ""):
        self.column = column
        self.dataset = dataset
        self.expected = expected
        bad = f" (e.g. {example!r})" if example is not None else ""
        hint = fix or (
            f"convert it with pd.to_numeric(df[{column!r}], errors='coerce'), "
            "or list it in categorical_features"
        )
        super().__init__(
            f"column {column!r} in {dataset} should hold {expected} values but has others{bad}; {hint}"
        )


class InvalidTimestampError(InputDataError, TypeError):
    def __init__(self, value: Any, argument: str = "timestamp"):
        self.argument = argument
        super().__init__(
            f"{argument} must be a datetime, got {type(value).__name__} {value!r}; "
            "pass e.g. datetime(2026, 1, 1, tzinfo=timezone.utc)"
        )


class ConfigurationError(MonitoringError, ValueError):
    """An argument of a metric, test, preset or mapping is invalid."""

    def __init__(self, message: str, argument: str | None = None):
        self.argument = argument
        super().__init__(message)


class UnknownStatTestError(ConfigurationError):
    def __init__(self, name: str, available: Iterable[str]):
        self.name = name
        super().__init__(
            f"unknown stattest {name!r}; registered: {sorted(available)}; pass one of these names, a "
            "StatTest, or a callable (reference, current, column_type, threshold) -> (score, drifted)",
            argument="stattest",
        )


class MetricError(MonitoringError):
    """A metric could not be computed on the given data."""

    def __init__(self, message: str, metric: str | None = None, column: Any = None):
        self.metric = metric
        self.column = column
        super().__init__(message)


class SnapshotError(MonitoringError):
    """A snapshot cannot be read, written or understood."""


class StorageError(MonitoringError):
    """A storage backend failed; the cause is chained."""


class ProjectNotFound(StorageError, KeyError):
    def __init__(self, project_id: Any):
        self.project_id = project_id
        super().__init__(
            f"project {project_id!s} not found; list existing ones with workspace.list_projects()"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class SnapshotNotFound(StorageError, KeyError):
    def __init__(self, snapshot_id: Any, project_id: Any = None):
        self.snapshot_id = snapshot_id
        self.project_id = project_id
        where = f" in project {project_id!s}" if project_id is not None else ""
        super().__init__(
            f"snapshot {snapshot_id!s} not found{where}; list them with workspace.list_snapshots(project_id)"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class DatasetNotFound(StorageError, KeyError):
    def __init__(self, dataset_id: Any):
        self.dataset_id = dataset_id
        super().__init__(
            f"dataset {dataset_id!s} not found; list them with workspace.list_datasets(project_id)"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class SnapshotExists(StorageError):
    def __init__(self, snapshot_id: Any, project_id: Any):
        self.snapshot_id = snapshot_id
        self.project_id = project_id
        super().__init__(
            f"another snapshot with id {snapshot_id!s} already exists in project {project_id!s}; "
            "pass replace=True to overwrite it"
        )


class SnapshotTooLarge(StorageError):
    def __init__(self, size: int, limit: int):
        self.size = size
        self.limit = limit
        super().__init__(
            f"snapshot is {size:,} bytes, above the workspace limit of {limit:,} bytes; nothing was written. "
            "Raise it with Workspace(uri, max_snapshot_bytes=...) or drop large metrics"
        )


class MissingDependencyError(MonitoringError, ImportError):
    """An optional extra (or, for a broken install, a core dependency: ``extra=None``) is missing."""

    def __init__(self, package: str, extra: str | None):
        self.package = package
        self.extra = extra
        command = f"pip install 'monitorflow[{extra}]'" if extra else f"pip install {package}"
        super().__init__(f"{package} is required for this feature; install it with: {command}")


class MonitorConfigError(ConfigurationError):
    """A monitor definition (YAML or dict) is invalid; the message names each bad field."""


class SourceError(MonitoringError):
    """A data source could not be read; ``.source`` names the path, URL or function.

    ``transient`` errors (I/O) are worth retrying; the others (bad configuration) are not.
    """

    def __init__(self, message: str, source: str, transient: bool = True):
        self.source = source
        self.transient = transient
        super().__init__(message)


class SchemaMismatchError(SourceError):
    """A partition of a lazy source lacks a column or stores it as another type than the source's."""

    def __init__(self, where: str, column: Any, expected: str, actual: str | None):
        self.column = column
        self.expected = expected
        self.actual = actual
        got = "has no such column" if actual is None else f"stores it as {actual}"
        super().__init__(
            f"{where}: column {column!r} is {expected} in the source's schema but this file {got}; "
            "rewrite the file with the same schema, or leave it out of the source",
            where,
            transient=False,
        )


class NotComputableLazily(MetricError):
    """A metric needs the rows in memory, which a lazy source never loads."""

    def __init__(self, metric: str, instead: str, source: str):
        super().__init__(
            f"{metric} needs the rows of {source} in memory, which a lazy source does not load (nothing is "
            f"sampled); {instead}",
            metric=metric,
        )


class EstimationError(MonitoringError):
    """Model quality cannot be estimated without labels as asked (see :mod:`monitorflow.estimation`)."""


class NoProbabilitiesError(EstimationError, ConfigurationError):
    """Confidence-based estimation needs predicted probabilities, not predicted labels."""


class LabelledReferenceRequired(EstimationError, InputDataError):
    """Estimation calibrates on a labelled reference: none was given, or it has no labels."""


class ReferenceTooSmall(EstimationError, InputDataError):
    """The labelled reference has too few rows (or rows of a class) for calibration and bands."""


class NotProbabilitiesError(EstimationError, InputDataError):
    """Scores that are not probabilities: outside [0, 1], or class columns not summing to 1."""


class UnseenClassError(EstimationError, InputDataError):
    """A class the estimate needs has no labelled row in the reference (or the reference has a class
    without a probability column)."""


class EstimatorStateError(EstimationError):
    """A stored estimator state cannot be used: corrupt, of another version, or for other columns."""

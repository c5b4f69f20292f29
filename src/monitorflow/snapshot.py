"""Snapshot: the versioned JSON record of one Report or TestSuite run.

A snapshot holds configs and aggregated results, never rows: its size does not grow with the data.
Rows travel only through ``include_data`` as Parquet beside it (see the workspace).

>>> import monitorflow.snapshot as snapshot_module
>>> callable(snapshot_module.load)
True
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitorflow.column_mapping import DataDefinition
from monitorflow.errors import SnapshotError
from monitorflow.ids import uuid7
from monitorflow.records import TestResult, TestStatus
from monitorflow.timeutil import to_utc, utc_now

#: Bumped on every incompatible change; fixtures of each released version live in tests/data/snapshots/.
SCHEMA_VERSION = 1
#: Metadata keys that Report/TestSuite set from their constructor arguments.
METADATA_KEYS = ("model_id", "reference_id", "batch_size", "dataset_id")


class MetricEntry(BaseModel):
    """A metric's config and result (or the error it raised), keyed by its stable id."""

    model_config = ConfigDict(frozen=True)

    id: str
    type: str
    params: dict[str, Any] = {}
    result: dict[str, Any] | None = None
    error: str | None = None


class TestSummary(BaseModel):
    __test__ = False
    model_config = ConfigDict(frozen=True)

    all_passed: bool
    total_tests: int
    success_tests: int
    failed_tests: int
    by_status: dict[TestStatus, int]

    @classmethod
    def of(cls, results: list[TestResult]) -> TestSummary:
        by_status = {status: 0 for status in TestStatus}
        for result in results:
            by_status[result.status] += 1
        return cls(
            all_passed=all(r.is_passed() for r in results),
            total_tests=len(results),
            success_tests=by_status[TestStatus.SUCCESS],
            failed_tests=by_status[TestStatus.FAIL],
            by_status={k: v for k, v in by_status.items() if v},
        )


class DatasetLinks(BaseModel):
    """Ids of the datasets stored with the snapshot (``include_data=True``)."""

    model_config = ConfigDict(frozen=True)

    current: str | None = None
    reference: str | None = None


class Snapshot(BaseModel):
    """One run of a Report or a TestSuite, as stored and reloaded."""

    model_config = ConfigDict(frozen=True)

    schema_version: int = SCHEMA_VERSION
    id: UUID = Field(default_factory=uuid7)
    kind: Literal["report", "test_suite"]
    name: str | None = None
    timestamp: AwareDatetime
    created_at: AwareDatetime = Field(default_factory=utc_now)
    tags: list[str] = []
    metadata: dict[str, Any] = {}
    data_definition: DataDefinition | None = None
    metrics: list[MetricEntry] = []
    #: ids of the metrics the user asked for, in order (others were dependencies of tests).
    top_level_metrics: list[str] = []
    tests: list[TestResult] = []
    summary: TestSummary | None = None
    datasets: DatasetLinks = DatasetLinks()

    @field_validator("timestamp", "created_at", mode="before")
    @classmethod
    def _aware_utc(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        try:
            return to_utc(value)
        except OverflowError:
            raise ValueError(f"{value} is out of the range of dates in UTC (years 1 to 9999)") from None

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise ValueError(
                f"snapshot schema_version {value} is newer than this monitorflow ({SCHEMA_VERSION}); "
                "upgrade monitorflow"
            )
        if value < 1:
            raise ValueError(f"snapshot schema_version must be 1 to {SCHEMA_VERSION}, got {value}")
        return value

    @property
    def is_report(self) -> bool:
        return self.kind == "report"

    def metric(self, fingerprint: str) -> MetricEntry:
        """The metric entry whose ``id`` (the metric's fingerprint) is ``fingerprint``."""
        for entry in self.metrics:
            if entry.id == fingerprint:
                return entry
        raise SnapshotError(f"snapshot {self.id} has no metric with id (fingerprint) {fingerprint!r}")

    def json_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    def same_content(self, other: Snapshot) -> bool:
        """Whether ``other`` is this snapshot (the same JSON) apart from its dataset links: a retried or
        repeated add of the same run, with or without its data."""
        if other.id != self.id:
            return False
        mine, theirs = json.loads(self.json_bytes()), json.loads(other.json_bytes())
        mine.pop("datasets", None)
        theirs.pop("datasets", None)
        return bool(mine == theirs)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the JSON atomically (a temp file renamed into place)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.json_bytes())
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; a snapshot is an ordinary readable file
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def loads(cls, data: str | bytes, source: str = "<string>") -> Snapshot:
        try:
            raw = json.loads(data)
            _check_depth(raw, source)
            version = raw.get("schema_version") if isinstance(raw, dict) else None
            if isinstance(version, int) and version > SCHEMA_VERSION:
                raise SnapshotError(
                    f"{source} has snapshot schema_version {version}, newer than this monitorflow reads "
                    f"({SCHEMA_VERSION}); upgrade monitorflow (pip install -U monitorflow) to load it"
                )
            return cls.model_validate(raw)
        except (ValueError, RecursionError) as exc:  # JSON syntax, bad UTF-8, a 5,000-digit number, nesting
            if isinstance(exc, ValidationError):
                raise SnapshotError(f"{source} is not a valid monitorflow snapshot: {exc}") from exc
            raise SnapshotError(
                f"{source} is not valid JSON ({exc}); is it a monitorflow snapshot?"
            ) from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Snapshot:
        """Read a snapshot JSON file.

        Raises :class:`SnapshotError` when the file is missing, not JSON or not a snapshot.
        """
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise SnapshotError(f"cannot read snapshot {os.fspath(path)!r}: {exc.strerror}") from exc
        return cls.loads(data, source=os.fspath(path))


#: Deepest nesting of lists and objects a snapshot may have (results are a few levels deep).
MAX_DEPTH = 64


def _check_depth(value: Any, source: str) -> None:
    """SnapshotError if ``value`` nests deeper than :data:`MAX_DEPTH` (walked without recursion)."""
    level = [value]
    for _ in range(MAX_DEPTH + 1):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return
    raise SnapshotError(
        f"{source} nests lists or objects deeper than {MAX_DEPTH} levels; it is not a snapshot"
    )


def load(path: str | os.PathLike[str]) -> Snapshot:
    """``monitorflow.snapshot.load(path)``: read a snapshot JSON file."""
    return Snapshot.load(path)

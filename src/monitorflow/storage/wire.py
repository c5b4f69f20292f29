"""The HTTP protocol the service and its client (:mod:`monitorflow.storage.http`) both import, without
FastAPI: errors, multi-part bodies, request bodies and the encodings of index reads.

- Errors travel as ``{"error": <class name>, "detail": <message>, "attrs": {...}}`` with an HTTP
  status from :data:`STATUS`; :func:`error_from_payload` rebuilds the same ``MonitoringError``
  subclass with the same message and attributes.
- A snapshot with its datasets (or a dataset with its description) is one request whose body is
  :data:`PARTS_TYPE`: a JSON header line ``{"parts": [[name, length], ...]}`` then the bytes.
- Rows (series, test statuses, status counts) travel as JSON columns; traces as objects of arrays.
- Versions (:data:`WIRE_VERSION`): a series or test-status request says which version it speaks
  (``wire_version`` in its body; absent: 1). Version 1 named the fingerprint columns of the answer
  ``metric_id`` and ``test_id`` (the names panels use for a class name); version 2 names them
  ``metric_fingerprint`` and ``test_fingerprint``. A version 1 request gets both names; a client
  reads either, so old clients and old services keep working.

>>> body = encode_parts([("snapshot", b"{}"), ("current", b"PAR1")])
>>> decode_parts(body)
{'snapshot': b'{}', 'current': b'PAR1'}
>>> from monitorflow.errors import ProjectNotFound
>>> status, payload = error_payload(ProjectNotFound("p1"))
>>> status, type(error_from_payload(status, payload)).__name__
(404, 'ProjectNotFound')
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import numpy as np
from pydantic import AliasChoices, AwareDatetime, BaseModel, ConfigDict, Field

from monitorflow import errors
from monitorflow.errors import MonitoringError
from monitorflow.storage.base import SnapshotKind
from monitorflow.storage.reads import Span, StatusCount, Trace

PARTS_TYPE = "application/x-monitorflow-parts"
#: A MonitoringError class -> HTTP status; the first matching base class wins.
STATUS: list[tuple[type[MonitoringError], int]] = [
    (errors.ProjectNotFound, 404),
    (errors.SnapshotNotFound, 404),
    (errors.DatasetNotFound, 404),
    (errors.SnapshotExists, 409),
    (errors.SnapshotTooLarge, 413),
    (errors.MissingDependencyError, 501),
    (errors.StorageError, 500),
    (errors.ConfigurationError, 422),
    (errors.InputDataError, 422),
    (errors.SnapshotError, 422),
    (errors.MetricError, 422),
    (MonitoringError, 400),
]
_MAX_HEADER = 64 * 1024


def status_of(exc: MonitoringError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def _plain(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def error_payload(exc: MonitoringError) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) of a MonitoringError."""
    attrs = {k: _plain(v) for k, v in vars(exc).items() if not k.startswith("_")}
    return status_of(exc), {"error": type(exc).__name__, "detail": str(exc), "attrs": attrs}


def _error_class(name: Any) -> type[MonitoringError]:
    cls = getattr(errors, name, None) if isinstance(name, str) else None
    return cls if isinstance(cls, type) and issubclass(cls, MonitoringError) else MonitoringError


def error_from_payload(status: int, payload: Any) -> MonitoringError:
    """The MonitoringError a service response describes (same class, message and attributes)."""
    if not isinstance(payload, dict) or "error" not in payload:
        detail = payload.get("detail") if isinstance(payload, dict) else payload
        kind: type[MonitoringError] = errors.ConfigurationError if status == 422 else errors.StorageError
        return kind(f"monitorflow service answered {status}: {detail}")
    cls = _error_class(payload["error"])
    exc = cls.__new__(cls)
    Exception.__init__(exc, str(payload.get("detail", "")))
    for key, value in (payload.get("attrs") or {}).items():
        if isinstance(key, str) and not key.startswith("_"):
            setattr(exc, key, value)
    return exc


def encode_parts(parts: list[tuple[str, bytes]]) -> bytes:
    """One body from named byte strings (see the module docstring)."""
    header = json.dumps({"parts": [[name, len(data)] for name, data in parts]}).encode()
    return b"".join([header, b"\n", *(data for _, data in parts)])


def decode_parts(body: bytes) -> dict[str, bytes]:
    """The named byte strings of :func:`encode_parts`; ConfigurationError if the body does not add up."""
    end = body.find(b"\n", 0, _MAX_HEADER)
    try:
        if end < 0:
            raise ValueError("no header line")
        spec = json.loads(body[:end])["parts"]
        out, offset = {}, end + 1
        for name, length in spec:
            if not isinstance(name, str) or not isinstance(length, int) or length < 0:
                raise ValueError(f"bad part {name!r}")
            out[name] = body[offset : offset + length]
            offset += length
        if offset != len(body):
            raise ValueError(f"parts add up to {offset - end - 1} bytes, body has {len(body) - end - 1}")
    except (ValueError, KeyError, TypeError) as exc:
        raise errors.ConfigurationError(
            f"malformed {PARTS_TYPE} body: {exc}; send a JSON header line then the parts", argument="body"
        ) from None
    return out


#: The protocol version this side speaks (see the module docstring).
WIRE_VERSION = 2
#: Column names of version 2 -> their version 1 names.
VERSION_1_NAMES = {"metric_fingerprint": "metric_id", "test_fingerprint": "test_id"}


def rows_to_columns(
    rows: Sequence[tuple[Any, ...]], names: list[str], wire_version: int = WIRE_VERSION
) -> dict[str, list[Any]]:
    """Index rows -> JSON columns (``{"ts": [...], ...}``); timestamps stay integer microseconds. A
    ``wire_version`` 1 answer also carries the renamed columns under their version 1 names."""
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    if wire_version < 2:
        columns.update({VERSION_1_NAMES[n]: columns[n] for n in names if n in VERSION_1_NAMES})
    return columns


def columns_to_rows(columns: dict[str, list[Any]], names: list[str]) -> list[tuple[Any, ...]]:
    """JSON columns -> rows; a column missing under its name is read under its version 1 name (from
    a service of an older version)."""
    if not columns:
        return []
    found = [columns[n] if n in columns else columns[VERSION_1_NAMES.get(n, n)] for n in names]
    return list(zip(*found, strict=True))


#: Column names of series and test-status rows on the wire.
SERIES_ROW = ["ts", "snapshot_id", "value", "metric_fingerprint"]
STATUS_ROW = ["ts", "snapshot_id", "test_fingerprint", "test_type", "test_name", "status", "column"]
STATUS_COUNT_ROW = list(StatusCount._fields)


class FiltersIn(BaseModel):
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    tags: list[str] = []
    metadata: dict[str, Any] = {}


class RowsIn(FiltersIn):
    """A request answered with rows: ``wire_version`` is the protocol version the client speaks."""

    wire_version: int = Field(default=1, ge=1)

    def query_fields(self) -> dict[str, Any]:
        """The fields of the read query (all but ``wire_version``)."""
        return self.model_dump(exclude={"wire_version"})


def documents_old_name(old: str, new: str) -> ConfigDict:
    """A model config whose JSON schema also lists ``old``, the version 1 name the body accepts for
    ``new`` (so the API's schema describes every field the server reads)."""

    def extra(schema: dict[str, Any]) -> None:
        properties = schema["properties"]
        properties[old] = {**properties[new], "deprecated": True, "title": old}

    return ConfigDict(json_schema_extra=extra)


class SeriesIn(RowsIn):
    """Body of ``POST /api/projects/{id}/series``: ``metric_type`` is a class name,
    ``metric_fingerprint`` one configured metric (also accepted as ``metric_id``); ``metric_args``
    equal its parameters."""

    model_config = documents_old_name("metric_id", "metric_fingerprint")

    metric_type: str | None = None
    metric_fingerprint: str | None = Field(
        default=None, validation_alias=AliasChoices("metric_fingerprint", "metric_id")
    )
    metric_args: dict[str, Any] = {}
    field_path: str
    kinds: list[SnapshotKind] = ["report", "test_suite"]


class TestStatusIn(RowsIn):
    """Body of ``POST /api/projects/{id}/test_statuses`` (``test_fingerprint`` also accepted as
    ``test_id``)."""

    __test__ = False
    model_config = documents_old_name("test_id", "test_fingerprint")

    test_type: str | None = None
    test_fingerprint: str | None = Field(
        default=None, validation_alias=AliasChoices("test_fingerprint", "test_id")
    )
    test_args: dict[str, Any] = {}
    statuses: list[str] = []


def span_to_json(span: Span) -> dict[str, int]:
    return span._asdict()


def span_from_json(data: dict[str, Any]) -> Span:
    return Span(int(data["first"]), int(data["last"]), int(data["count"]))


def traces_to_json(traces: list[Trace]) -> list[dict[str, Any]]:
    return [
        {
            "split": list(t.split),
            "field_path": t.field_path,
            "metric_fingerprint": t.metric_fingerprint,
            "ts": t.ts.tolist(),
            "values": t.values.tolist(),
            "n": int(t.n),
            "bucketed": bool(t.bucketed),
            "snapshots": t.snapshots,
        }
        for t in traces
    ]


def traces_from_json(items: list[dict[str, Any]]) -> list[Trace]:
    return [
        Trace(
            tuple(item["split"]),
            item["field_path"],
            item["metric_fingerprint"],
            np.array(item["ts"], dtype=np.int64),
            np.array(item["values"], dtype=float),
            int(item["n"]),
            bool(item["bucketed"]),
            item.get("snapshots"),
        )
        for item in items
    ]


def status_counts_from_columns(columns: dict[str, list[Any]]) -> list[StatusCount]:
    return [StatusCount(*row) for row in columns_to_rows(columns, STATUS_COUNT_ROW)]

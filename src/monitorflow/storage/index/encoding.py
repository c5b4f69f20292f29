"""How values are stored in the index: times as integer microseconds (UTC), parameters and metadata
as canonical JSON, numeric results flattened to dotted paths, series ids as 64-bit hashes.

>>> sorted(flatten_numeric({"current": {"number_of_rows": 3, "ok": True, "name": "x"}, "edges": [1, 2]}))
[('current.number_of_rows', 3.0), ('current.ok', 1.0)]
>>> canonical({"b": 1.0, "a": [1, "x"]})
'{"a":[1,"x"],"b":1}'
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(value: datetime) -> int:
    """Aware datetime -> integer microseconds since the epoch (UTC)."""
    delta = value.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    return datetime.fromtimestamp(value // 1_000_000, UTC).replace(microsecond=value % 1_000_000)


def micros_or_none(value: datetime | None) -> int | None:
    return None if value is None else micros(value)


def _normalize(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalize(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return _normalize(value.model_dump(mode="json"))
    return str(value)


def canonical(value: Any) -> str:
    """Canonical JSON of a parameter or metadata value: equal values give equal text (1.0 == 1)."""
    return json.dumps(_normalize(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def flatten_numeric(result: dict[str, Any]) -> list[tuple[str, float]]:
    """Every finite number (bools as 0/1) under nested dicts, with its dotted path.

    Lists (histogram bins, quantile arrays) are distributions, not scalars over time: they stay in
    the snapshot and are not indexed.
    """
    out: list[tuple[str, float]] = []
    stack: list[tuple[str, dict[str, Any]]] = [("", result)]
    while stack:
        prefix, node = stack.pop()
        for key, value in node.items():
            if isinstance(value, dict):
                stack.append((f"{prefix}{key}.", value))
            elif isinstance(value, bool):
                out.append((f"{prefix}{key}", 1.0 if value else 0.0))
            elif isinstance(value, int | float):
                try:
                    number = float(value)
                except OverflowError:
                    continue
                if math.isfinite(number):
                    out.append((f"{prefix}{key}", number))
    return out


def flatten_params(params: dict[str, Any], scalars_only: bool = False) -> dict[str, str]:
    """``{"a": {"b": 1}, "c": [1, 2]}`` -> ``{"a.b": "1", "c": "[1,2]"}`` (values as canonical JSON).

    With ``scalars_only`` (test parameters), only strings, ints and bools are kept: floats there are
    measured values, not arguments.
    """
    out: dict[str, str] = {}
    stack: list[tuple[str, dict[str, Any]]] = [("", params)]
    while stack:
        prefix, node = stack.pop()
        for key, value in node.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                stack.append((path + ".", value))
            elif not scalars_only or isinstance(value, str | int):  # bool is an int
                out[path] = canonical(value)
    return out


def column_name(value: str | None) -> str:
    """A test's stored ``column_name`` parameter (canonical JSON) as text; ``""`` when it has none."""
    return "" if value is None else str(json.loads(value))


def series_key(project_id: str, metric_fingerprint: str, field_path: str) -> int:
    """Deterministic signed 64-bit id of a series: concurrent writers agree without a sequence."""
    text = f"{project_id}\0{metric_fingerprint}\0{field_path}"
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)

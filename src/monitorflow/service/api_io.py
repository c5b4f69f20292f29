"""What the API routes share: query parameter types, compact JSON answers, and the parsing of
metadata filters and query-string times."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import BeforeValidator

from monitorflow.errors import ConfigurationError

TagQ = Annotated[list[str], Query(alias="tag", description="all of these tags (repeat the parameter)")]
MetaQ = Annotated[str | None, Query(description='JSON object of metadata values, e.g. {"segment": "eu"}')]


def _iso_time(value: Any) -> Any:
    """A query-string time is ISO 8601, as the schema says (pydantic would read "0" as the epoch)."""
    if isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError(f"{value!r} is not an ISO 8601 time (e.g. 2026-01-05T00:00:00Z)")
    return value


#: A time in a query string: ISO 8601 only (naive is UTC: :func:`naive_is_utc`).
TimeQ = Annotated[datetime | None, BeforeValidator(_iso_time)]


try:  # optional: about 10x faster on dashboard answers (~250 KB of floats); installed with prefect
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None  # type: ignore[assignment]  # checked before use


def json_answer(data: Any) -> Response:
    """Compact JSON of plain dicts and lists, without FastAPI's per-element encoder (slow on long
    series): orjson when installed, else the standard library (the same text for finite numbers)."""
    if orjson is not None:
        try:
            return Response(orjson.dumps(data), media_type="application/json")
        except TypeError:  # a type orjson does not know (e.g. a numpy scalar): the slow path decides
            pass
    return Response(json.dumps(data, separators=(",", ":")).encode(), media_type="application/json")


def metadata_filter(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ConfigurationError(f"metadata must be a JSON object, got {text!r}", argument="metadata")
    return value


def naive_is_utc(value: datetime | None) -> datetime | None:
    """Times in query strings: naive ones are UTC (clients send aware times)."""
    return None if value is None else (value.replace(tzinfo=UTC) if value.tzinfo is None else value)

"""Identifiers: time-ordered UUIDs (version 7) and stable fingerprints of configs."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from typing import Any


def uuid7(timestamp_ms: int | None = None) -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits; sorts by creation time."""
    ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return uuid.UUID(int=value)


def fingerprint(kind: str, params: dict[str, Any]) -> str:
    """A stable short id for a (type, parameters) pair: equal configs get equal ids."""
    payload = json.dumps({"type": kind, "params": params}, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha1(payload.encode()).hexdigest()[:16]


def stable_uuid(*parts: object) -> uuid.UUID:
    """A deterministic UUID derived from ``parts`` (for idempotent re-runs)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "monitorflow:" + "/".join(str(p) for p in parts))

"""Request bodies read with a cap: refused from Content-Length first, then while streaming."""

from __future__ import annotations

from typing import Any

from monitorflow.errors import ConfigurationError, SnapshotTooLarge


def too_large(size: int, limit: int, read: bool) -> SnapshotTooLarge:
    """SnapshotTooLarge (HTTP 413) with a message about the service's upload limit."""
    exc = SnapshotTooLarge(size, limit)
    seen = "at least " if read else ""
    exc.args = (
        f"upload is {seen}{size:,} bytes, above the service's limit of {limit:,} bytes; nothing was written. "
        "Start the service with a larger --max-upload-mb, or drop large metrics / include_data",
    )
    return exc


async def read_capped(request: Any, limit: int) -> bytes:
    """The whole body of ``request`` if it is at most ``limit`` bytes; SnapshotTooLarge otherwise,
    raised before reading when Content-Length says so, or as soon as the stream passes the limit."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ConfigurationError(f"bad Content-Length {declared!r}", argument="content-length") from None
        if size > limit:
            raise too_large(size, limit, read=False)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(size, limit, read=True)
        chunks.append(chunk)
    return b"".join(chunks)

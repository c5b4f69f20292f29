"""Request bodies read with caps, as they stream: refused from Content-Length first, then as soon as
the stream passes a limit. Multi-part bodies (:data:`~monitorflow.storage.wire.PARTS_TYPE`) are split
while they arrive: small parts (the snapshot JSON, a dataset's description) into memory up to their
own limit, dataset parts into temporary files, so a 200 MiB upload never sits in memory."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from monitorflow.errors import ConfigurationError, SnapshotTooLarge
from monitorflow.storage.wire import PARTS_TYPE

_MAX_HEADER = 64 * 1024


def too_large(size: int, limit: int, read: bool, what: str = "upload") -> SnapshotTooLarge:
    """SnapshotTooLarge (HTTP 413) with a message about the service's upload limit."""
    exc = SnapshotTooLarge(size, limit)
    seen = "at least " if read else ""
    exc.args = (
        f"{what} is {seen}{size:,} bytes, above the service's limit of {limit:,} bytes; nothing was written. "
        "Start the service with a larger --max-upload-mb, or drop large metrics / include_data",
    )
    return exc


def _declared(request: Any, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is None:
        return
    try:
        size = int(declared)
    except ValueError:
        raise ConfigurationError(f"bad Content-Length {declared!r}", argument="content-length") from None
    if size > limit:
        raise too_large(size, limit, read=False)


async def read_capped(request: Any, limit: int) -> bytes:
    """The whole body of ``request`` if it is at most ``limit`` bytes; SnapshotTooLarge otherwise,
    raised before reading when Content-Length says so, or as soon as the stream passes the limit."""
    _declared(request, limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(size, limit, read=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _malformed(reason: str) -> ConfigurationError:
    return ConfigurationError(
        f"malformed {PARTS_TYPE} body: {reason}; send a JSON header line then the parts", argument="body"
    )


class _Stream:
    """Pulls exact byte counts out of a chunked stream."""

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self._chunks, self._buffer = chunks, b""

    async def line(self, cap: int) -> bytes:
        while b"\n" not in self._buffer:
            if len(self._buffer) > cap:
                raise _malformed(f"no header line in the first {cap:,} bytes")
            chunk = await anext(self._chunks, None)
            if chunk is None:
                raise _malformed("no header line")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    async def pieces(self, length: int) -> AsyncIterator[bytes]:
        """The next ``length`` bytes, in the pieces they arrive in."""
        while length > 0:
            if not self._buffer:
                chunk = await anext(self._chunks, None)
                if chunk is None:
                    raise _malformed("the body ends before its parts do")
                self._buffer = chunk
            piece, self._buffer = self._buffer[:length], self._buffer[length:]
            length -= len(piece)
            yield piece

    async def at_end(self) -> bool:
        while not self._buffer:
            chunk = await anext(self._chunks, None)
            if chunk is None:
                return True
            self._buffer = chunk
        return False


def _spec(header: bytes, small: dict[str, int], files: set[str]) -> list[tuple[str, int]]:
    """The parts a header line announces; each name known and given once."""
    try:
        spec = json.loads(header)["parts"]
        parts = [
            (str(name), int(length))
            for name, length in spec
            if isinstance(name, str) and isinstance(length, int)
        ]
        if len(parts) != len(spec):
            raise ValueError("each part is [name, length]")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise _malformed(f"the header line is not {{'parts': [[name, length], ...]}} ({exc})") from None
    names = [name for name, _ in parts]
    unknown = sorted(set(names) - set(small) - files)
    if unknown or len(set(names)) != len(names) or any(length < 0 for _, length in parts):
        raise _malformed(f"parts {names} (known: {sorted([*small, *files])}, each once, lengths >= 0)")
    return parts


@contextmanager
def spool_dir() -> Iterator[Path]:
    """A temporary folder for the dataset parts of one request, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="monitorflow-upload-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def read_parts(
    request: Any, folder: Path, *, small: dict[str, int], files: set[str], file_limit: int
) -> dict[str, bytes | Path]:
    """The parts of a multi-part body: ``small`` names (with their limits) as bytes, ``files`` names
    streamed to files in ``folder`` (together at most ``file_limit`` bytes). Limits are checked against
    the declared sizes before anything is read, and again while reading."""
    _declared(request, sum(small.values()) + file_limit + _MAX_HEADER)
    stream = _Stream(request.stream().__aiter__())
    parts = _spec(await stream.line(_MAX_HEADER), small, files)
    for name, length in parts:
        if name in small and length > small[name]:
            raise too_large(length, small[name], read=False, what=f"the {name!r} part")
    total = sum(length for name, length in parts if name in files)
    if total > file_limit:
        raise too_large(total, file_limit, read=False, what="the data")
    out: dict[str, bytes | Path] = {}
    for name, length in parts:
        if name in small:
            out[name] = b"".join([piece async for piece in stream.pieces(length)])
            continue
        path = folder / f"{name}.part"
        with open(path, "wb") as handle:
            async for piece in stream.pieces(length):
                handle.write(piece)
        out[name] = path
    if not await stream.at_end():
        raise _malformed("the body is longer than its parts")
    return out

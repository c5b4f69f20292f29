"""schemathesis hooks (``SCHEMATHESIS_HOOKS=st_hooks``): how to send the multi-part uploads.

The schema describes a ``application/x-monitorflow-parts`` body as bytes; schemathesis generates the
bytes and this serializer frames them as the parts the operation expects (see
``monitorflow.storage.wire``): a dataset upload gets a valid ``meta`` and the bytes as its ``data``
part, a snapshot upload the bytes as its ``snapshot`` and ``current`` parts. So the fuzzing reaches
the part checks (Parquet footer, snapshot JSON) rather than stopping at the framing.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from monitorflow.storage.wire import PARTS_TYPE, encode_parts


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    data = getattr(value, "data", None)  # schemathesis' Binary
    return data if isinstance(data, bytes) else str(value).encode()


@schemathesis.serializer(PARTS_TYPE)
def parts(ctx: Any, value: Any) -> bytes:
    data = _bytes(value)
    if ctx.case.operation.path.endswith("/datasets"):
        return encode_parts([("meta", b'{"name": "fuzzed"}'), ("data", data)])
    return encode_parts([("snapshot", data), ("current", data)])

"""Hand memory the process freed back to the system (Arrow's pool and, on glibc, malloc's heap).

Allocators keep freed blocks for reuse, so a process's resident memory stays at the high-water
mark of whatever it did before (loading frames, an earlier pass). Runs call this at their start
and the out-of-core engine after each pass; it costs a few milliseconds.
"""

from __future__ import annotations

import ctypes
import ctypes.util


def release_memory() -> None:
    """Return unused memory of Arrow's pool and glibc's heap to the system (no-op elsewhere)."""
    import pyarrow as pa  # lazy: heavy, needed rarely

    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)

"""Settings of out-of-core runs: memory budget, spill folder, worker threads.

Defaults come from the environment (``MONITORFLOW_MEMORY_BUDGET``, e.g. ``1GB``;
``MONITORFLOW_SPILL_DIR``; ``MONITORFLOW_WORKERS``) and can be changed in code:

>>> from monitorflow.scale import configure
>>> configure(memory_budget="512MB").memory_budget
536870912
>>> _ = configure(memory_budget="1GB")
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from monitorflow.errors import ConfigurationError

_UNITS = {"": 1, "B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}


def parse_bytes(value: int | str) -> int:
    """``1073741824``, ``"1GB"``, ``"512 MB"`` -> bytes (binary units)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?B?)\s*", str(value).upper())
    if not match:
        raise ConfigurationError(
            f"memory_budget must be a number of bytes or a size like '1GB', got {value!r}",
            argument="memory_budget",
        )
    return int(float(match.group(1)) * _UNITS[match.group(2) if match.group(2) != "K" else "KB"])


@dataclass(frozen=True)
class ScaleOptions:
    """``memory_budget``: bytes of column values a run may hold at once to sort (the process also holds
    one partition being read, the interpreter and libraries). ``spill_dir``: where sorted columns go
    (a fresh temporary folder per run when None). ``workers``: threads reading partitions.
    ``cache_dir``: where profiled references and their sorted columns are kept, by content
    (:mod:`monitorflow.scale.cache`); None: no cache. ``spill_budget``: bytes of sorted columns a
    run keeps on disk (the least recently used are deleted beyond it and sorted again if needed)."""

    memory_budget: int = 1 << 30
    spill_dir: Path | None = None
    workers: int = 2
    cache_dir: Path | None = None
    spill_budget: int | None = 8 << 30


def _from_environment() -> ScaleOptions:
    budget = os.environ.get("MONITORFLOW_MEMORY_BUDGET")
    spill = os.environ.get("MONITORFLOW_SPILL_DIR")
    workers = os.environ.get("MONITORFLOW_WORKERS")
    cache = os.environ.get("MONITORFLOW_PROFILE_CACHE")
    spill_budget = os.environ.get("MONITORFLOW_SPILL_BUDGET")
    return ScaleOptions(
        memory_budget=parse_bytes(budget) if budget else 1 << 30,
        spill_dir=Path(spill) if spill else None,
        workers=int(workers) if workers else min(4, os.cpu_count() or 1),
        cache_dir=Path(cache) if cache else None,
        spill_budget=parse_bytes(spill_budget) if spill_budget else 8 << 30,
    )


_current = _from_environment()
#: Settings of the block running in this thread or task (:func:`scoped_cache_dir`); None: the process's.
_scoped: ContextVar[ScaleOptions | None] = ContextVar("monitorflow_scale_options", default=None)


def options() -> ScaleOptions:
    return _scoped.get() or _current


@contextmanager
def scoped_cache_dir(cache_dir: Path) -> Iterator[ScaleOptions]:
    """Use ``cache_dir`` as the profile cache inside the block only (this thread or task); the settings
    of the process and of other runs are left as they are."""
    token = _scoped.set(replace(options(), cache_dir=Path(cache_dir)))
    try:
        yield options()
    finally:
        _scoped.reset(token)


_UNSET: Any = object()


def configure(
    *,
    memory_budget: int | str | None = None,
    spill_dir: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    cache_dir: Any = _UNSET,
    spill_budget: int | str | None = None,
) -> ScaleOptions:
    """Change the settings of later out-of-core runs (``cache_dir=None`` turns the cache off); returns
    them."""
    global _current
    if workers is not None and workers < 1:
        raise ConfigurationError(f"workers must be at least 1, got {workers}", argument="workers")
    now = _current
    _current = replace(
        now,
        memory_budget=now.memory_budget if memory_budget is None else parse_bytes(memory_budget),
        spill_dir=now.spill_dir if spill_dir is None else Path(spill_dir),
        workers=now.workers if workers is None else workers,
        cache_dir=now.cache_dir if cache_dir is _UNSET else None if cache_dir is None else Path(cache_dir),
        spill_budget=now.spill_budget if spill_budget is None else parse_bytes(spill_budget),
    )
    return _current

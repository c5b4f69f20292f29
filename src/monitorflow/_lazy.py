"""Package attributes that import their defining module on first use (PEP 562 ``__getattr__``).

A package lists ``{module: names}``; reading one of the names imports only its module, so a run
holds the modules it uses (the memory of a process is its imports as much as its data).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, namespace: dict[str, Any], exports: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: each exported name loads its module and is cached
    in ``namespace``; any other name is tried as a submodule (``package.name``)."""
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(where[name]), name)
        elif not name.startswith("__"):
            try:
                value = importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__


def import_all(exports: Mapping[str, tuple[str, ...]]) -> None:
    """Import every module of ``exports`` (for lookups that need the complete registry)."""
    for module in exports:
        importlib.import_module(module)

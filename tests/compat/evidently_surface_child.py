"""Child script of the compatibility audit: runs in Evidently's interpreter, never in ours.

Usage: ``<evidently python> evidently_surface_child.py OUT.json``. Walks every module of
``evidently.legacy`` (Evidently 0.4's public API, kept under ``legacy`` in 0.7) and writes its public
surface: per module, the public classes and functions; per class, its constructor parameters, the
public methods it defines, and its fields (pydantic fields of models and results, members of enums).
Module names are written without the ``evidently.legacy.`` prefix (``metrics.base_metric``).
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import pkgutil
import sys
import warnings

PREFIX = "evidently.legacy"


def _public(name: str) -> bool:
    return not name.startswith("_")


def _own_pydantic_fields(cls: type) -> list[str]:
    fields = getattr(cls, "__fields__", None)
    if not isinstance(fields, dict):
        return []
    inherited: set[str] = set()
    for base in cls.__bases__:
        inherited |= set(getattr(base, "__fields__", None) or {})
    return [f for f in fields if f not in inherited and _public(f)]


def _params(cls: type) -> list[str]:
    """What a user passes to the constructor: an ``__init__`` written in Evidently, else the fields."""
    for klass in cls.__mro__:
        if klass.__module__.startswith("evidently") and "__init__" in vars(klass):
            try:
                signature = inspect.signature(klass.__init__)
            except (TypeError, ValueError):
                break
            names = [
                p.name
                for p in list(signature.parameters.values())[1:]
                if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and _public(p.name)
            ]
            return names
        if klass.__module__.startswith("pydantic") or klass is object:
            break
    fields = getattr(cls, "__fields__", None)
    if isinstance(fields, dict):
        return [f for f in fields if _public(f) and f != "type"]
    if "__init__" in vars(cls):
        return []
    return []


def _methods(cls: type) -> list[str]:
    names = []
    for name, value in vars(cls).items():
        if not _public(name) or name in getattr(cls, "__fields__", {}):
            continue
        if isinstance(value, staticmethod | classmethod | property) or inspect.isfunction(value):
            names.append(name)
    return sorted(names)


def _kind(cls: type) -> str:
    names = {k.__name__ for k in cls.__mro__}
    if issubclass(cls, enum.Enum):
        return "enum"
    if "MetricResult" in names:
        return "result"
    if "Metric" in names:
        return "metric"
    if "Test" in names and "TestPreset" not in names:
        return "test"
    if "MetricPreset" in names or "TestPreset" in names:
        return "preset"
    return "class"


def _class_entry(cls: type) -> dict:
    entry = {"kind": _kind(cls), "params": _params(cls), "methods": _methods(cls)}
    if issubclass(cls, enum.Enum):
        entry["fields"] = [m for m in cls.__members__ if _public(m)]
        entry["params"] = []
    elif entry["kind"] == "result" or hasattr(cls, "__fields__"):
        entry["fields"] = _own_pydantic_fields(cls)
    else:
        entry["fields"] = []
    return entry


def _module_entry(module) -> dict:
    is_package = hasattr(module, "__path__")
    exported = getattr(module, "__all__", None)
    names = {}
    for name, value in sorted(vars(module).items()):
        if not _public(name) or not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        origin = getattr(value, "__module__", "") or ""
        if not origin.startswith("evidently"):
            continue
        defined_here = origin == module.__name__
        if not (defined_here or is_package or (exported is not None and name in exported)):
            continue
        if inspect.isclass(value):
            names[name] = {"origin": origin.replace(PREFIX + ".", ""), **_class_entry(value)}
        else:
            params = [p for p in inspect.signature(value).parameters if _public(p)]
            names[name] = {
                "origin": origin.replace(PREFIX + ".", ""),
                "kind": "function",
                "params": params,
                "methods": [],
                "fields": [],
            }
    return names


def _root_of_0_4():
    """0.4's ``evidently/__init__.py`` exported ColumnMapping, TaskType and ColumnType; 0.7 moved the rest
    under ``legacy`` but not these three, so the root is rebuilt from them."""
    import types

    from evidently.legacy.core import ColumnType
    from evidently.legacy.pipeline.column_mapping import ColumnMapping, TaskType

    root = types.ModuleType(PREFIX)
    root.__path__ = []
    root.ColumnMapping, root.TaskType, root.ColumnType = ColumnMapping, TaskType, ColumnType
    return root


def main(out: str) -> None:
    warnings.simplefilter("ignore")
    package = importlib.import_module(PREFIX)
    modules: dict[str, dict] = {}
    for info in sorted(pkgutil.walk_packages(package.__path__, PREFIX + "."), key=lambda i: i.name):
        short = info.name[len(PREFIX) + 1 :]
        if any(part.startswith("_") for part in short.split(".")):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception as exc:  # an optional dependency (pyspark, openai, ...) is missing
            modules[short] = {"import_error": f"{type(exc).__name__}: {exc}"[:200], "names": {}}
            continue
        modules[short] = {"names": _module_entry(module)}
    modules[""] = {"names": _module_entry(_root_of_0_4())}
    with open(out, "w") as handle:
        json.dump(
            {"evidently": importlib.import_module("evidently").__version__, "modules": modules},
            handle,
            indent=1,
            sort_keys=True,
        )


if __name__ == "__main__":
    main(sys.argv[1])

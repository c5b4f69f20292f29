"""The Evidently compatibility audit: Evidently's legacy surface against monitorflow's, as a table.

``evidently_surface.json`` (beside this file) is what ``evidently_surface_child.py`` found in Evidently's
interpreter: every public module of ``evidently.legacy``, its classes and functions, and per class its
constructor parameters, methods and fields. This module looks each one up under ``monitorflow`` and
classifies it:

- **same**: present under the same module path and name;
- **alias**: present, as a thin re-export (a module that defines nothing itself, or another name for the
  same object);
- **different**: deliberately not provided, or provided differently, for the reason in
  ``compat_differences.DIFFERENT`` (shown in the table); a pattern there applies to names monitorflow does
  not have (a name it has is same or alias), and to every name of a module it matches;
- **missing**: none of the above.

``python -m tests.compat.compat_surface`` rewrites ``docs/evidently-compat.md``; ``--counts`` prints the
counts only. The test ``test_compat_surface.py`` fails when the document is stale.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from tests.compat.compat_differences import DIFFERENT
from tests.support.paths import REPO

HERE = Path(__file__).resolve().parent
SURFACE = HERE / "evidently_surface.json"
DOC = REPO / "docs" / "evidently-compat.md"
BEHAVIOUR = HERE / "compat_behaviour.md"  # the hand-written part: results and behaviour
STATUSES = ("same", "alias", "different", "missing")


@dataclass
class Row:
    """One public name of one Evidently module, with the verdict on it and on its members."""

    module: str
    name: str
    kind: str
    status: str
    reason: str | None = None
    members: dict[str, list[str]] = field(default_factory=dict)  # status -> ["param x", ...]


@dataclass
class Audit:
    modules: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # module -> (status, reason)
    rows: list[Row] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=dict)


def _difference(key: str) -> str | None:
    for pattern, reason in DIFFERENT.items():
        if fnmatchcase(key, pattern):
            return reason
    return None


def _our_module(path: str) -> Any:
    try:
        return importlib.import_module("monitorflow" + ("." + path if path else ""))
    except ImportError:
        return None


def _defines_nothing(module: Any) -> bool:
    """A re-export module: none of its public classes or functions is defined in it."""
    own = [
        v
        for k, v in vars(module).items()
        if not k.startswith("_")
        and (inspect.isclass(v) or inspect.isfunction(v))
        and getattr(v, "__module__", None) == module.__name__
    ]
    return not own and not hasattr(module, "__path__")


def _accepts(obj: Any, kind: str, member: str) -> bool:
    if kind == "params":
        fields = getattr(obj, "model_fields", None)
        if isinstance(fields, dict) and (member in fields or any(f.alias == member for f in fields.values())):
            return True
        if member in getattr(obj, "evidently_params", ()):
            return True
        try:
            signature = inspect.signature(obj)
        except (TypeError, ValueError):
            return False
        return member in signature.parameters
    if kind == "fields":
        if isinstance(obj, type) and issubclass(obj, Enum):
            return member in obj.__members__
        fields = getattr(obj, "model_fields", None)
        if isinstance(fields, dict) and member in fields:
            return True
        return hasattr(obj, member)
    return hasattr(obj, member)


def audit(surface: dict[str, Any] | None = None) -> Audit:
    surface = surface or json.loads(SURFACE.read_text())
    result = Audit(counts={level: Counter() for level in ("modules", "names", "members")})
    audited: set[str] = set()  # origin "module:Name" whose members were audited
    listed: dict[str, list[str]] = {}  # origin "module:Name" -> modules that list it
    for module_path, entry in sorted(surface["modules"].items()):
        for name, info in entry["names"].items():
            listed.setdefault(f"{info['origin']}:{name}", []).append(module_path)
    for module_path, entry in sorted(surface["modules"].items()):
        reason = _difference(module_path)
        ours = _our_module(module_path)
        if reason is not None:
            status = "different"
        elif ours is None:
            status = "missing"
        else:
            status = "alias" if _defines_nothing(ours) else "same"
        result.modules[module_path] = (status, reason)
        result.counts["modules"][status] += 1
        for name, info in sorted(entry["names"].items()):
            key = f"{module_path}:{name}"
            obj = getattr(ours, name, None) if ours is not None else None
            row_reason = reason or (_difference(key) if obj is None else None)  # what we have is ours
            if row_reason is not None:
                row_status = "different"
            elif obj is None:
                row_status = "missing"
            elif getattr(obj, "__name__", name) != name or status == "alias":
                row_status = "alias"
            else:
                row_status = "same"
            row = Row(module_path, name, info["kind"], row_status, row_reason)
            result.counts["names"][row_status] += 1
            origin = f"{info['origin']}:{name}"
            home = info["origin"] if info["origin"] in surface["modules"] else module_path
            if origin in audited or home != module_path:
                result.rows.append(row)
                continue
            audited.add(origin)
            if obj is None:  # our class may live elsewhere: look where Evidently re-exports it too
                found = (getattr(_our_module(m), name, None) for m in listed[origin])
                obj = next((o for o in found if o is not None), None)
            for kind in ("params", "methods", "fields"):
                for member in info[kind]:
                    label = f"{kind[:-1]} {member}"
                    if row_reason is not None:
                        member_status = "different"
                    elif obj is not None and _accepts(obj, kind, member):
                        member_status = "same"
                    elif _difference(f"{key}.{member}") is not None:
                        member_status = "different"
                    else:
                        member_status = "missing"
                    result.counts["members"][member_status] += 1
                    if member_status != "same":
                        row.members.setdefault(member_status, []).append(label)
            result.rows.append(row)
    return result


def _count_table(result: Audit) -> list[str]:
    lines = ["| level | " + " | ".join(STATUSES) + " | total |", "|---|" + "---|" * (len(STATUSES) + 1)]
    for level, counts in result.counts.items():
        values = [str(counts[s]) for s in STATUSES]
        lines.append(f"| {level} | " + " | ".join(values) + f" | {sum(counts.values())} |")
    return lines


def preset_coverage() -> list[str]:
    """The data sets and cases of the preset parity tests (``preset_cases.py``), as a section."""
    from tests.compat import preset_cases

    lines = [
        "### Whole presets on real data sets",
        "",
        "`tests/compat/test_compat_presets.py` runs every case below under both libraries (Evidently once "
        "per data set) and compares the whole `as_dict()` to 1e-9 and every test status, tests matched by "
        "name and column. The data sets are scikit-learn's bundled ones and a generated Adult-like frame, "
        "split into reference and current with a shift (a row goes to current with a probability rising "
        "along one feature); each has a `category` column, a few-valued integer column and NaN (the "
        "Adult-like frame: `category` columns with missing values). Explicit feature lists in ColumnMapping, "
        "except the `inferred` cases. Stat tests (each on two data sets, once with its default threshold and "
        "once with "
        f"`*_threshold={preset_cases.THRESHOLD}`): both types via `stattest=` "
        f"({', '.join(preset_cases.BOTH_TYPES)}), "
        f"`num_stattest=` ({', '.join(preset_cases.NUMERICAL_ONLY)}), "
        f"`cat_stattest=` ({', '.join(preset_cases.CATEGORICAL_ONLY)}). Deliberate differences: "
        + (", ".join(f"`{k}` ({v})" for k, v in preset_cases.DIFFERENCES.items()) or "none")
        + ".",
        "",
    ]
    names = {name: [case for case, _, _ in preset_cases.cases(name)] for name in preset_cases.DATASETS}
    common = [case for case in names["iris"] if all(case in cases for cases in names.values())]
    lines += [
        "On every data set: " + "; ".join(f"`{case}`" for case in common) + ".",
        "",
        "| data set | task | numerical features | categorical features | its own cases |",
        "|---|---|---|---|---|",
    ]
    for name, roles in preset_cases.DATASETS.items():
        own = "; ".join(f"`{case}`" for case in names[name] if case not in common)
        numerical, categorical = (", ".join(roles[k]) for k in ("numerical", "categorical"))
        lines.append(f"| {name} | {roles['task']} | {numerical} | {categorical} | {own} |")
    return lines


def render(result: Audit, version: str) -> str:
    lines = [
        "# Evidently compatibility audit",
        "",
        "<!-- generated by `python -m tests.compat.compat_surface`; do not edit by hand "
        "(tests/compat/test_compat_surface.py checks it) -->",
        "",
        f"Every public module, class, function, constructor parameter, method and field of Evidently "
        f"{version}'s legacy API (`evidently.legacy`, the 0.4 line's `evidently.*`), looked up under "
        "`monitorflow` with the same path: `evidently.metrics.base_metric` is "
        "`monitorflow.metrics.base_metric`. Statuses: **same** (present), **alias** (a thin re-export: a "
        "module that defines nothing itself, or another name for the same object), **different** (on "
        "purpose, for the reason given) and **missing**. Members (parameters, methods, fields) are counted "
        "once, where their class is defined; a class re-exported by a package counts as a name there.",
        "",
        *_count_table(result),
        "",
        BEHAVIOUR.read_text().rstrip(),
        "",
        *preset_coverage(),
        "",
        "## Deliberate differences of the surface",
        "",
        "| pattern (`module[:Name[.member]]`) | reason |",
        "|---|---|",
        *[f"| `{pattern}` | {reason} |" for pattern, reason in DIFFERENT.items()],
        "",
        "## By module",
        "",
    ]
    by_module: dict[str, list[Row]] = {}
    for row in result.rows:
        by_module.setdefault(row.module, []).append(row)
    for module_path, (status, reason) in result.modules.items():
        title = f"`{module_path or '(root)'}`: {status}"
        lines.append(f"### {title}")
        lines.append("")
        if reason is not None:
            lines += [f"Different: {reason}", ""]
            continue
        rows = by_module.get(module_path, [])
        if not rows:
            lines += ["(no public classes or functions)", ""]
            continue
        lines += ["| name | kind | status | members not the same |", "|---|---|---|---|"]
        for row in rows:
            notes = "; ".join(f"{s}: {', '.join(m)}" for s, m in row.members.items())
            if row.reason and row.status == "different":
                notes = row.reason
            lines.append(f"| `{row.name}` | {row.kind} | {row.status} | {notes} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    surface = json.loads(SURFACE.read_text())
    result = audit(surface)
    if "--counts" in argv:
        print("\n".join(_count_table(result)))
        return
    if "--missing" in argv:
        for row in result.rows:
            if row.status == "missing" or "missing" in row.members:
                print(f"{row.module}:{row.name} {row.status} {row.members.get('missing', '')}")
        for module_path, (status, _) in result.modules.items():
            if status == "missing":
                print("module", module_path)
        return
    DOC.write_text(render(result, surface["evidently"]) + "\n")
    print("\n".join(_count_table(result)))


if __name__ == "__main__":
    main(sys.argv[1:])

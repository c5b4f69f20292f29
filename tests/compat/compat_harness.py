"""Running an example re-creation under both libraries and comparing what it returns.

An example module (``tests/compat/examples/*.py``) is written as Evidently 0.4 code with the import
prefix ``monitorflow``. It defines ``data() -> {name: DataFrame}`` (run here only; it may use
scikit-learn to make the data) and ``run(frames, workdir) -> dict`` (the example's own code; its
return value is what is compared). Its frames go to Parquet; ``evidently_examples_child.py`` runs the
same source with the prefix ``evidently.legacy`` in Evidently's interpreter, all examples in one
process. Documented differences are declared by the example in ``DIFFERENCES`` (``{path glob:
reason}``, the path left out) and ``ROUNDED`` (``{path glob: digits}``: ours is rounded first, where
Evidently rounds and we keep full precision).
"""

from __future__ import annotations

import collections
import importlib.util
import json
import math
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from tests.compat.compat_io import jsonable

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "examples"
CHILD = HERE / "evidently_examples_child.py"
REL_TOL, ABS_TOL = 1e-9, 1e-12


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.py") if not p.stem.startswith("_"))


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"compat_example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def prepare(name: str, root: Path) -> Path:
    """The case folder of one example: its source and its frames as Parquet."""
    folder = root / name
    (folder / "frames").mkdir(parents=True)
    shutil.copy(EXAMPLES / f"{name}.py", folder / "example.py")
    for key, frame in load(name).data().items():
        frame.to_parquet(folder / "frames" / f"{key}.parquet")
    return folder


def frames_of(folder: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in sorted((folder / "frames").glob("*.parquet"))}


def run_ours(name: str, folder: Path) -> Any:
    workdir = folder / "ours"
    workdir.mkdir(exist_ok=True)
    return jsonable(load(name).run(frames_of(folder), workdir))


def read_theirs(folder: Path) -> Any:
    result = json.loads((folder / "result.json").read_text())
    if "error" in result:
        raise AssertionError(f"Evidently failed on {folder.name}: {result['error']}\n{result['traceback']}")
    return result["ok"]


# ------------------------------------------------------------------------------------ comparison


def _entry_name(item: dict[str, Any]) -> str:
    if "metric" in item:
        name, details = item.get("metric"), item.get("result")
    else:  # a test: its name and the column in its parameters (or in Evidently's **column** markup)
        name, details = item.get("name"), item.get("parameters")
    column = details.get("column_name", details.get("label")) if isinstance(details, dict) else None
    if column is None and "status" in item:
        marked = re.search(r"\*\*(.+?)\*\*", str(item.get("description", "")))
        column = marked.group(1) if marked else None
    return str(name) + (f"[{column}]" if column is not None else "")


def _is_entry(item: Any) -> bool:
    return isinstance(item, dict) and ("metric" in item or {"name", "status"} <= set(item))


def _named_pairs(value: dict[str, Any]) -> bool:
    x, y = value.get("x"), value.get("y")
    return (
        set(value) == {"x", "y"}
        and isinstance(x, list)
        and isinstance(y, list)
        and len(x) == len(y)
        and all(isinstance(v, str) for v in x)
    )


def _normalised(value: Any) -> Any:
    """Lists of report entries (and of test results) become dicts keyed by metric (test) name and column,
    so that paths name them (``metrics.ColumnSummaryMetric[age].result.current_characteristics.mean``)
    and the order of inferred columns, which Evidently takes from a set, does not matter. The order of
    tests is compared separately (:func:`_test_order`)."""
    if isinstance(value, dict):
        if _named_pairs(value):  # correlations {x: names, y: values}: Evidently orders names by hash
            pairs = sorted(zip(value["x"], value["y"], strict=True), key=lambda p: p[0])
            return {"x": [p[0] for p in pairs], "y": [p[1] for p in pairs]}
        return {k: _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_normalised(v) for v in value]
        if items and all(_is_entry(v) for v in items):
            keyed: dict[str, Any] = {}
            for entry in items:
                name = _entry_name(entry)
                key, n = name, 1
                while key in keyed:
                    n += 1
                    key = f"{name}#{n}"
                keyed[key] = entry
            return keyed
        return items
    return value


@dataclass
class Comparison:
    problems: list[str] = field(default_factory=list)
    documented: dict[str, int] = field(default_factory=dict)
    additions: list[str] = field(default_factory=list)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _glob(pattern: str) -> re.Pattern[str]:
    """``*`` matches anything; every other character (brackets included) matches itself."""
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


def _matches(path: str, patterns: dict[str, Any]) -> str | None:
    return next((p for p in patterns if _glob(p).match(path)), None)


def _walk(theirs: Any, ours: Any, path: str, rules: dict[str, Any], out: Comparison) -> None:
    documented = _matches(path, rules["differences"])
    if documented is None and isinstance(theirs, dict) and theirs.get("metric") in PLACEHOLDERS:
        field, empty = PLACEHOLDERS[theirs["metric"]]
        if (theirs.get("result") or {}).get(field) == empty:
            documented = f"{theirs['metric']} placeholder without raw_data"
    if documented is not None:
        out.documented[documented] = out.documented.get(documented, 0) + 1
        return
    if theirs is None and isinstance(ours, dict) and path.endswith(".parameters"):
        out.documented["test parameters Evidently leaves empty"] = (
            out.documented.get("test parameters Evidently leaves empty", 0) + 1
        )
        return
    if isinstance(theirs, dict) and isinstance(ours, dict):
        for key in theirs:
            if key not in ours:
                if theirs[key] is None:  # an empty field Evidently lists carries nothing to compare
                    out.documented["empty Evidently field"] = (
                        out.documented.get("empty Evidently field", 0) + 1
                    )
                elif (pattern := _matches(f"{path}.{key}", rules["differences"])) is not None:
                    out.documented[pattern] = out.documented.get(pattern, 0) + 1
                else:
                    out.problems.append(f"{path}.{key}: missing in ours (Evidently: {str(theirs[key])[:80]})")
                continue
            _walk(theirs[key], ours[key], f"{path}.{key}", rules, out)
        out.additions += [f"{path}.{k}" for k in ours if k not in theirs]
        return
    if isinstance(theirs, list) and isinstance(ours, list):
        if len(theirs) != len(ours):
            out.problems.append(f"{path}: {len(theirs)} items in Evidently, {len(ours)} in ours")
            return
        for i, (a, b) in enumerate(zip(theirs, ours, strict=True)):
            _walk(a, b, f"{path}[{i}]", rules, out)
        return
    if _is_number(theirs) and _is_number(ours):
        digits = rules["rounded"].get(_matches(path, rules["rounded"]) or "")
        mine = float(np.round(ours, digits)) if digits is not None else ours  # np.round: Evidently's rounding
        if not math.isclose(theirs, mine, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            out.problems.append(f"{path}: Evidently {theirs!r}, ours {ours!r}")
        return
    if theirs != ours:
        out.problems.append(f"{path}: Evidently {str(theirs)[:100]!r}, ours {str(ours)[:100]!r}")


#: Tests whose reference-derived condition monitorflow makes one-sided (``lte``/``gte`` instead of
#: ``eq approx``: an improvement passes), documented in docs/tests.md and docs/model-quality.md. Their
#: statuses are still compared; only the condition's shape is documented.
ONE_SIDED = (
    "Number of Constant Columns",
    "Number of Duplicate Columns",
    "Number of Duplicate Rows",
    "Number of Empty Rows",
    "Number of Empty Columns",
    "The Number of Missing Values",
    "Share of Missing Values",
    "The Number of Columns With Missing Values",
    "The Share of Columns With Missing Values",
    "The Number Of Rows With Missing Values",
    "The Share of Rows With Missing Values",
    "Different Types of Missing Values",
    "The Number of Missing Values in a Column",
    "The Share of Missing Values in a Column",
    "Different Types of Missing Values in a Column",
    "RegExp Match",
    "Accuracy Score",
    "Precision Score",
    "Recall Score",
    "F1 Score",
    "ROC AUC Score",
    "Logarithmic Loss",
    "True Positive Rate",
    "True Negative Rate",
    "False Positive Rate",
    "False Negative Rate",
    "Precision Score by Class",
    "Recall Score by Class",
    "F1 Score by Class",
    "Mean Absolute Error (MAE)",
    "Root Mean Square Error (RMSE)",
    "Mean Absolute Percentage Error (MAPE)",
    "Max Absolute Error",
    "R2 Score",
)
#: Differences of every example, documented in docs/evidently-compat.md ("Numbers").
GLOBAL_DIFFERENCES = {
    **{
        f"*.tests.{name}*.parameters.condition*": "one-sided reference condition (docs/tests.md)"
        for name in ONE_SIDED
    },
    "*.tests.*.description": "a test's description is free text (its numbers are in parameters)",
    "*.error_normality.order_statistic_medians_*": "Q-Q points: Evidently keeps one per row, monitorflow 100",
    "*.version": "json() names the library version: monitorflow's, not Evidently's",
    "*.timestamp": "the run's time: Evidently writes local time without zone, monitorflow UTC with it",
}
#: Evidently leaves these metrics' results empty unless ``options={"render": {"raw_data": True}}``
#: (their tables need raw rows); monitorflow computes them from the rows, keeping aggregates only.
PLACEHOLDERS = {
    "RegressionErrorBiasTable": ("top_error", -1.0),
    "ClassificationQualityByFeatureTable": ("target_name", ""),
}
#: Evidently rounds these; monitorflow keeps full precision (compared after rounding ours the same way).
GLOBAL_ROUNDED = {
    **{
        f"*.tests.{name}*.parameters.{field}": 2
        for name in (
            "Min Value",
            "Max Value",
            "Mean Value",
            "Median Value",
            "Standard Deviation (SD)",
            "Quantile Value",
        )
        for field in ("value", "condition.*.value", "condition.*")
    },
    **{f"*.tests.Share of Unique Values*.parameters.{field}": 4 for field in ("value", "condition.*.value")},
    "*.tests.Drift per Column*.parameters.score": 3,
    "*.tests.*Drift*.parameters.features.*.score": 3,
    "*.tests.Share of the Most Common Value*.parameters.value": 4,
    "*.tests.Share of the Most Common Value*.parameters.condition.*.value": 4,
    **{
        f"*.tests.Mean Value Stability*.parameters.{name}": 2
        for name in ("current_mean", "reference_mean", "reference_std")
    },
    **{f"*_characteristics.{name}": 2 for name in ("mean", "std", "min", "max", "p25", "p50", "p75")},
    "*_characteristics.*_percentage": 2,
}


def _blocks(entries: list[Any]) -> list[tuple[str, list[str]]]:
    """Runs of consecutive tests of one name, with their columns: ``[(name, [column, ...]), ...]``."""
    blocks: list[tuple[str, list[str]]] = []
    for entry in entries:
        name, _, column = _entry_name(entry).partition("[")
        if not blocks or blocks[-1][0] != name:
            blocks.append((name, []))
        blocks[-1][1].append(column.removesuffix("]"))
    return blocks


def _same_columns(ours: list[str], theirs: list[str]) -> bool:
    """The same columns in any order; Evidently names no column for a test that errored (``""``),
    so there any of ours stands (its status and values are compared elsewhere)."""
    named = collections.Counter(c for c in theirs if c)
    return len(ours) == len(theirs) and not named - collections.Counter(ours)


def _test_order(theirs: Any, ours: Any, path: str, out: Comparison) -> None:
    """The tests of each list come in Evidently's order: the same runs of test names (plain tests, then
    presets', then generators'), each run over the same columns. Within a run the columns may come in
    another order: Evidently orders the inferred columns of a kind by a set of names, which changes from
    one process to the next (the unit tests hold monitorflow's order of kinds to Evidently's)."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        for key in theirs.keys() & ours.keys():
            _test_order(theirs[key], ours[key], f"{path}.{key}", out)
    elif isinstance(theirs, list) and isinstance(ours, list) and len(theirs) == len(ours):
        if theirs and all(_is_entry(v) and "status" in v for v in [*theirs, *ours]):
            mine, evidently = _blocks(ours), _blocks(theirs)
            same = [n for n, _ in mine] == [n for n, _ in evidently] and all(
                _same_columns(a, b) for (_, a), (_, b) in zip(mine, evidently, strict=True)
            )
            if not same:
                out.problems.append(f"{path}: tests in another order: Evidently {evidently}, ours {mine}")
        else:
            for i, (a, b) in enumerate(zip(theirs, ours, strict=True)):
                _test_order(a, b, f"{path}[{i}]", out)


def compare(theirs: Any, ours: Any, module: ModuleType) -> Comparison:
    rules = {
        "differences": {**GLOBAL_DIFFERENCES, **getattr(module, "DIFFERENCES", {})},
        "rounded": {**GLOBAL_ROUNDED, **getattr(module, "ROUNDED", {})},
    }
    out = Comparison()
    _walk(_normalised(theirs), _normalised(ours), "", rules, out)
    _test_order(theirs, ours, "", out)
    return out

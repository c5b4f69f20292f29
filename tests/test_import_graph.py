"""The package's import graph follows the layers of docs/developing.md.

Module-level imports (outside ``if TYPE_CHECKING``) form a graph with no cycle, and no edge points up
the layers; every deferred (function-level) import says why in a word: ``lazy:``, ``optional:`` or
``cycle:``.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from tests.support.paths import REPO

SRC = REPO / "src" / "monitorflow"

#: The layers, bottom to top, by the first name under ``monitorflow`` (a module or a subpackage).
#: A module may import its own layer and the layers below it.
LAYERS: list[tuple[str, str]] = [
    (
        "core",
        "errors _types ids version config timeutil conditions column_stats sorted_values moments _memory "
        "_lazy class_labels",
    ),
    ("models", "column_mapping data_definition column_inference input_frames dataset_columns core"),
    ("records", "records snapshot"),
    ("context", "context frame_checks"),
    ("statistics", "stattests descriptors estimation"),
    ("scale", "scale"),
    ("engine", "metrics checks tests metric_preset test_preset report test_suite _suite options utils"),
    ("render", "render"),
    ("evidently paths", "base_metric metric_results suite model pipeline calculations renderers"),
    ("storage", "storage"),
    ("dashboards", "panels panel_match dashboards dashboard_spec default_dashboard panel_data panel_traces"),
    ("workspace", "workspace remote project workspace_reads"),
    ("monitoring", "monitoring monitors sources"),
    ("tasks and flows", "tasks flows"),
    ("demo", "demo"),
    ("service", "service ui"),
    ("cli", "cli"),
]
#: Modules whose layer is not their folder's: the fault scenarios write through a Workspace.
PLACED = {"monitorflow.storage.faults": "workspace"}
RANK = {name: rank for rank, (_, names) in enumerate(LAYERS) for name in names.split()}
LAYER_RANK = {layer: rank for rank, (layer, _) in enumerate(LAYERS)}
REASON = re.compile(r"#.*\b(lazy|optional|cycle):")


def _modules() -> dict[str, Path]:
    modules = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


MODULES = _modules()


def _known(name: str) -> str:
    """The module an imported name lives in (``monitorflow.a.b.Name`` -> ``monitorflow.a.b``)."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        inner = node.body if isinstance(node, (ast.Try, ast.If)) else [node]
        found += [n for n in inner if isinstance(n, (ast.Import, ast.ImportFrom))]
    return found


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        return {_known(a.name) for a in node.names if a.name.split(".")[0] == "monitorflow"}
    base = node.module or ""
    if node.level:
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*parts, *([base] if base else [])])
    if base.split(".")[0] != "monitorflow":
        return set()
    return {_known(f"{base}.{a.name}") if f"{base}.{a.name}" in MODULES else _known(base) for a in node.names}


@cache
def import_graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges = set().union(*(_targets(module, path, n) for n in _module_level_imports(tree)))
        graph[module] = edges - {module}
    return graph


def layer_rank(module: str) -> int | None:
    """The layer of a module; None for the package root, which loads its names lazily."""
    if module in PLACED:
        return LAYER_RANK[PLACED[module]]
    parts = module.split(".")
    return RANK[parts[1]] if len(parts) > 1 else None


def test_every_module_has_a_layer() -> None:
    unplaced = sorted({m.split(".")[1] for m in MODULES if "." in m and m.split(".")[1] not in RANK})
    assert unplaced == [], f"add these to LAYERS (and to docs/developing.md): {unplaced}"


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert sum(len(edges) for edges in graph.values()) > 500  # the scan sees the imports
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_no_import_points_up_the_layers() -> None:
    upward = []
    for module, edges in import_graph().items():
        for target in edges:
            ours, theirs = layer_rank(module), layer_rank(target)
            if ours is not None and theirs is not None and theirs > ours:
                upward.append(f"{module} ({LAYERS[ours][0]}) -> {target} ({LAYERS[theirs][0]})")
    assert sorted(upward) == []


def deferred_imports_without_reason() -> tuple[int, list[str]]:
    count, missing = 0, []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for function in ast.walk(ast.parse(text)):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in function.body:
                for sub in ast.walk(node):
                    if isinstance(sub, (ast.Import, ast.ImportFrom)):
                        count += 1
                        said = lines[sub.lineno - 2 : sub.end_lineno]  # the line above and the statement
                        if not any(REASON.search(line) for line in said):
                            missing.append(f"{path.relative_to(REPO)}:{sub.lineno}: {lines[sub.lineno - 1]}")
    return count, missing


def test_every_deferred_import_says_why() -> None:
    count, missing = deferred_imports_without_reason()
    assert count > 50  # the scan sees the deferred imports
    assert missing == [], "say why (# lazy: / # optional: / # cycle:) at:\n" + "\n".join(missing)


def test_scipy_is_imported_lazily_only_where_it_is_used() -> None:
    """The stat tests import scipy themselves: no caller defers a stattests import for scipy's sake."""
    deferred = []
    for path in SRC.rglob("*.py"):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(function):
                    if isinstance(sub, ast.ImportFrom) and "stattests" in (sub.module or ""):
                        deferred.append(f"{path.relative_to(REPO)}:{sub.lineno}")
    assert deferred == []

"""The docs as a new user reads them: every command and flag exists (checked against the CLI's own --help),
the README's Python and monitor run as written, docs snippets import and docs monitor YAML validates."""

from __future__ import annotations

import ast
import json
import re
import textwrap
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from monitorflow.cli import app
from monitorflow.demo import START, write_data
from monitorflow.monitoring import load_monitor
from monitorflow.monitoring.definition import parse_monitor
from monitorflow.monitoring.evaluate import evaluate_windows
from monitorflow.monitoring.loading import read_reference, read_windows
from monitorflow.workspace import Workspace
from tests.support.paths import REPO

DOCS = [
    REPO / "README.md",
    *sorted((REPO / "docs").glob("*.md")),
    *sorted((REPO / "deployments").rglob("*.y*ml")),
]
COMMAND = re.compile(
    r"(?<!from )(?<!import )(?<![\w.])monitorflow ([a-z][a-z-]*)((?:[ \t]+(?:\[[^\]\n`|]*\]|[^\s`|#\]]+))*)"
)


def help_of(command: str) -> str:
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
    return result.output if result.exit_code == 0 else ""


def code_of(path: Path) -> str:
    """What a reader would type: fenced blocks and inline code of Markdown; YAML files whole."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".md":
        return text
    fenced = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.DOTALL)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    return "\n".join([*fenced, *inline])


def uses() -> list[tuple[str, str, list[str]]]:
    """(file, command, flags) for every ``monitorflow <command> ...`` written in the docs."""
    found = []
    for path in DOCS:
        for match in COMMAND.finditer(code_of(path)):
            command, rest = match.group(1), match.group(2)
            flags = re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])\b", rest)
            found.append((str(path.relative_to(REPO)), command, flags))
    return found


def test_the_scan_finds_the_documented_commands() -> None:
    commands = {command for _, command, _ in uses()}
    assert {"run", "backfill", "ui", "demo"} <= commands


@pytest.mark.parametrize("where", sorted({where for where, _, _ in uses()}))
def test_documented_commands_and_flags_exist(where: str) -> None:
    problems = []
    for path, command, flags in uses():
        if path != where:
            continue
        text = help_of(command)
        if not text:
            problems.append(f"monitorflow {command}: no such command")
            continue
        problems += [f"monitorflow {command} {flag}: not in --help" for flag in flags if flag not in text]
    assert problems == []


def test_flags_named_alone_exist_somewhere() -> None:
    """A flag written on its own (a table of options, a sentence) belongs to a command or a bench script."""
    commands = {command for _, command, _ in uses()}
    known = CliRunner().invoke(app, ["--help"]).output + "".join(help_of(c) for c in commands)
    known += "".join(p.read_text(encoding="utf-8") for p in (REPO / "bench").glob("*.py"))
    missing = []
    for path in DOCS:
        if path.suffix != ".md":
            continue
        prose = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        for flag in re.findall(r"`(--[a-z][a-z-]*)[^`]*`", prose):
            if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", known):
                missing.append(f"{path.relative_to(REPO)}: {flag}")
    assert missing == []


def fenced(path: Path, language: str) -> list[str]:
    """The ``language`` code blocks of a Markdown file, dedented (blocks inside list items are indented)."""
    text = path.read_text(encoding="utf-8")
    pattern = rf"^([ \t]*)```{language}[^\n]*\n(.*?)^[ \t]*```"
    return [textwrap.dedent(code) for _, code in re.findall(pattern, text, flags=re.DOTALL | re.MULTILINE)]


def readme_monitor() -> dict[str, Any]:
    (monitor,) = [yaml.safe_load(block) for block in fenced(REPO / "README.md", "yaml")]
    return monitor


def test_the_readme_python_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user pastes the README's Python into a file and runs it: it writes what the comments say."""
    (code,) = fenced(REPO / "README.md", "python")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert json.loads(Path("snapshot.json").read_text(encoding="utf-8"))["metrics"]
    assert Path("report.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    with Workspace("workspace") as ws:
        (project,) = ws.list_projects()
        assert len(ws.list_snapshots(project.id)) == 1  # the saved snapshot is the report itself: one id


def test_the_readme_monitor_runs_on_the_demo_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved as churn.yaml where ``make demo`` ran, the README's monitor evaluates the demo's days."""
    monkeypatch.chdir(tmp_path)
    write_data(Path("demo-output/data"), days=2)
    Path("churn.yaml").write_text(yaml.safe_dump(readme_monitor()), encoding="utf-8")
    monitor = load_monitor("churn.yaml")
    windows = monitor.windows(START, START + timedelta(days=2))
    evaluations = evaluate_windows(monitor, read_windows(monitor, windows), read_reference(monitor))
    outcomes = [e.outcome for e in evaluations]
    assert [o.reason for o in outcomes if o.status != "written"] == []
    events = pd.read_parquet("demo-output/data/events")
    assert len(outcomes) == 2 * events["region"].nunique() * 2  # windows x regions x (report, test suite)
    # the demo's drift starts in February: its first days give a new user's monitor no false alarm
    statuses = [t.status.value for e in evaluations if e.snapshot for t in e.snapshot.tests]
    assert statuses and set(statuses) == {"SUCCESS"}


def test_every_docs_python_block_parses_and_its_imports_resolve() -> None:
    """Names drift: every ``import`` a docs snippet writes still imports (optional extras installed here)."""
    problems = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for code in fenced(path, "python"):
            try:
                tree = ast.parse(code)
            except SyntaxError as exc:
                problems.append(f"{path.name}: {exc}")
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom) and "monitorflow" in ast.unparse(node):
                    try:
                        exec(ast.unparse(node), {})
                    except ImportError as exc:
                        problems.append(f"{path.name}: {ast.unparse(node)}: {exc}")
    assert problems == []


@pytest.mark.parametrize(
    "path", [p for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))] if fenced(p, "yaml")]
)
def test_docs_monitor_yaml_validates(path: Path) -> None:
    """Each docs YAML block is a monitor, or a part of one: added to the README's monitor, it validates."""
    for block in fenced(path, "yaml"):
        part = yaml.safe_load(block)
        monitor = part if {"name", "current"} <= part.keys() else {**readme_monitor(), **part}
        parse_monitor(monitor, f"{path.name} block")


def test_validate_checks_the_readme_monitor_and_names_a_typo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``monitorflow validate``: the README's monitor is valid, its window evaluates on the demo data (nothing
    stored); a misspelt field exits 2 naming it and the right one; a missing window file exits 2 naming it."""
    monkeypatch.chdir(tmp_path)
    write_data(Path("demo-output/data"), days=1)
    monitor = readme_monitor()
    Path("churn.yaml").write_text(yaml.safe_dump(monitor), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["validate", "churn.yaml", "--as-of", "2026-01-06"], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert f"monitor {monitor['name']!r} is valid" in result.output
    assert result.output.count("ok (not stored) 2026-01-05") == 4  # eu, us x report, test suite
    assert not Path("workspace").exists()
    result = runner.invoke(app, ["validate", "churn.yaml", "--as-of", "2026-01-08"], terminal_width=300)
    assert result.exit_code == 2 and "2026-01-07.parquet: no such file" in result.output
    typo = {**monitor, "model_verison": monitor["model_version"]}
    Path("typo.yaml").write_text(yaml.safe_dump(typo), encoding="utf-8")
    result = runner.invoke(app, ["validate", "typo.yaml"], terminal_width=300)
    assert result.exit_code == 2 and "did you mean 'model_version'?" in result.output


def test_validate_says_why_a_test_could_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test naming a column the data lacks parses (columns are known only with the data) but ERRORs on
    the window: ``validate --as-of`` prints the test's reason, naming the column, and exits 1."""
    monkeypatch.chdir(tmp_path)
    write_data(Path("demo-output/data"), days=1)
    wrong = {"name": "TestColumnShareOfMissingValues", "column_name": "paymnt_method", "lte": 0.05}
    Path("churn.yaml").write_text(yaml.safe_dump({**readme_monitor(), "tests": [wrong]}), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "churn.yaml", "--as-of", "2026-01-06"], terminal_width=300)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.strip().startswith("ERROR ")]
    assert len(errors) == 2  # one per region's test suite
    assert all("'paymnt_method'" in line and "'payment_method'" in line for line in errors), errors
    assert "Traceback" not in result.output


def test_an_empty_window_says_why_it_is_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first-hour mistake leaves a window without rows: ``validate --as-of`` skips it, naming the filter
    and the values the data has, or the times the rows do have (and the zone naive times were read in)."""
    monkeypatch.chdir(tmp_path)
    write_data(Path("demo-output/data"), days=2)
    monitor = readme_monitor()
    wrong_version = {**monitor, "current": {**monitor["current"], "filters": {"model_version": "v9"}}}
    Path("churn.yaml").write_text(yaml.safe_dump(wrong_version), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["validate", "churn.yaml", "--as-of", "2026-01-06"], terminal_width=400)
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if line.strip().startswith("skipped")]
    assert skipped and all("filter model_version: 'v9' kept none" in line for line in skipped), result.output
    assert all("['v1', 'v2']" in line for line in skipped)
    # the second day's file holds the first day's times, without a zone: the window as a whole is skipped
    # (report and test suite; no segment is listed, so none is known without rows)
    events = pd.read_parquet("demo-output/data/events/2026-01-05.parquet")
    events["event_time"] = events["event_time"].dt.tz_localize(None)
    events.to_parquet("demo-output/data/events/2026-01-06.parquet")
    Path("churn.yaml").write_text(yaml.safe_dump(monitor), encoding="utf-8")
    result = runner.invoke(app, ["validate", "churn.yaml", "--as-of", "2026-01-07"], terminal_width=400)
    skipped = [line for line in result.output.splitlines() if line.strip().startswith("skipped")]
    first, last = (
        t.tz_localize("UTC").isoformat() for t in (events["event_time"].min(), events["event_time"].max())
    )
    assert len(skipped) == 2 and all(f"from {first} to {last}" in line for line in skipped), result.output
    assert all(
        f"none of the {len(events)} rows" in line and "naive times read in 'UTC'" in line for line in skipped
    )

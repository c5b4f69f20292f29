"""Every command and flag the docs name exists: checked against the CLI's own --help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitorflow.cli import app
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

"""Every install hint the code and the docs give names an extra that pyproject.toml defines."""

from __future__ import annotations

import re
import tomllib

from tests.support.paths import REPO

EXTRAS = set(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"])


def hints() -> list[tuple[str, str]]:
    """(where, extra) for every ``MissingDependencyError(package, extra)`` and ``monitorflow[...]``."""
    found = []
    texts = [*(REPO / "src").rglob("*.py"), *(REPO / "docs").rglob("*.md"), REPO / "README.md"]
    for path in texts:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"MissingDependencyError\(\s*[^,()]+,\s*\"([\w-]+)\"", text):
            found.append((f"{path.relative_to(REPO)}", match.group(1)))
        for match in re.finditer(r"monitorflow\[([\w,-]+)\]", text):
            found += [(f"{path.relative_to(REPO)}", extra) for extra in match.group(1).split(",")]
    return found


def test_install_hints_name_existing_extras() -> None:
    found = hints()
    assert len(found) > 10  # the scan sees the hints
    unknown = sorted({(where, extra) for where, extra in found if extra not in EXTRAS})
    assert unknown == [], f"extras not in pyproject.toml {sorted(EXTRAS)}: {unknown}"


def test_the_all_extra_holds_every_other_extra_but_the_model_libraries() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    (listed,) = [re.fullmatch(r"monitorflow\[([\w,-]+)\]", s).group(1).split(",") for s in extras["all"]]
    assert set(listed) == EXTRAS - {"all", "test", "models"}  # models pulls in torch: asked for by name
    assert any("monitorflow[all,models]" in s for s in extras["test"])

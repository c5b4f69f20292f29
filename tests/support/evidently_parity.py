"""Running Evidently 0.7.23's legacy API beside us, for the parity tests.

Evidently cannot be imported next to pandas 3, so it runs in its own interpreter: the session fixture
``evidently_python`` (``tests/support/real_components.py``: ``<repo>/.venv-evidently`` from
``make evidently-venv``, or ``MONITORFLOW_EVIDENTLY_PYTHON``), which a parity test requests. Each case is a
folder with ``current.parquet``, optionally ``reference.parquet``, and ``config.json``; a child script (see
``evidently_child_io.py``) runs Evidently on every folder in one process and writes ``result.json``. A child
is a module of the ``tests`` package, started with ``-m`` from the repository, so that it imports
``tests.support`` with no path set up.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.support.paths import REPO


def write_case(
    folder: Path, current: pd.DataFrame, reference: pd.DataFrame | None, config: dict[str, Any]
) -> Path:
    """One case for the child: the frames as parquet and its config."""
    folder.mkdir(parents=True)
    current.to_parquet(folder / "current.parquet")
    if reference is not None:
        reference.to_parquet(folder / "reference.parquet")
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def run_evidently(python: Path, child: Path, folders: list[Path], timeout: float = 600) -> dict[str, dict]:
    """Run ``child`` in Evidently's interpreter ``python`` (the ``evidently_python`` fixture) on every
    case; results by folder name. Fails with the child's stderr when it breaks."""
    module = ".".join(child.resolve().relative_to(REPO).with_suffix("").parts)
    run = subprocess.run(
        [str(python), "-m", module, *map(str, folders)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if run.returncode != 0:
        pytest.fail(f"the Evidently child failed ({run.returncode}):\n{run.stderr[-4000:]}")
    return {folder.name: json.loads((folder / "result.json").read_text()) for folder in folders}

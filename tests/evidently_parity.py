"""Running Evidently 0.7.23's legacy API beside us, for the parity tests.

Evidently cannot be imported next to pandas 3, so it runs in its own interpreter: ``<repo>/.venv-evidently``
(``make evidently-venv``) or the one named by ``MONITORFLOW_EVIDENTLY_PYTHON``. Each case is a folder with
``current.parquet``, optionally ``reference.parquet``, and ``config.json``; a child script (see
``evidently_child_io.py``) runs Evidently on every folder in one process and writes ``result.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
EVIDENTLY_PYTHON = Path(
    os.environ.get("MONITORFLOW_EVIDENTLY_PYTHON") or REPO / ".venv-evidently" / "bin" / "python"
)
HOW_TO_INSTALL = (
    "create it with `make evidently-venv` (= python3 bench/setup_evidently.py: a venv at .venv-evidently with "
    "evidently==0.7.23, 'pandas<3' and pyarrow), or set MONITORFLOW_EVIDENTLY_PYTHON to such an interpreter"
)


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


def run_evidently(child: Path, folders: list[Path], timeout: float = 600) -> dict[str, dict]:
    """Run ``child`` in Evidently's interpreter on every case; results by folder name.

    Skips (saying how to install it) when the interpreter or one of its packages is missing; fails
    with the child's stderr when it breaks otherwise.
    """
    if not EVIDENTLY_PYTHON.exists():
        pytest.skip(f"Evidently interpreter not found at {EVIDENTLY_PYTHON}; {HOW_TO_INSTALL}")
    pytest.importorskip(
        "pyarrow", reason="pyarrow is needed to hand the frames to Evidently: pip install pyarrow"
    )
    run = subprocess.run(
        [str(EVIDENTLY_PYTHON), str(child), *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if run.returncode != 0:
        missing = [line for line in run.stderr.splitlines() if line.startswith("ModuleNotFoundError")]
        if missing:  # the interpreter exists but lacks evidently, pandas or pyarrow
            pytest.skip(f"{EVIDENTLY_PYTHON}: {missing[-1]}; {HOW_TO_INSTALL}")
        pytest.fail(f"the Evidently child failed ({run.returncode}):\n{run.stderr[-4000:]}")
    return {folder.name: json.loads((folder / "result.json").read_text()) for folder in folders}

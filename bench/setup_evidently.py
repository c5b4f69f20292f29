"""Create the side-by-side Evidently virtualenv used as the benchmark peer.

Evidently is never a dependency of monitorflow: it lives in ``<repo>/.venv-evidently``
(gitignored) with ``pandas<3``, because ``import evidently`` fails under pandas 3.

Usage: ``python bench/setup_evidently.py [--force]``. Idempotent: does nothing when the
venv already imports Evidently's legacy API.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".venv-evidently"
PACKAGES = ["evidently==0.7.23", "pandas<3", "pyarrow"]
CHECK = (
    "from evidently.legacy.report import Report; "
    "from evidently.legacy.test_suite import TestSuite; "
    "from evidently.legacy.pipeline.column_mapping import ColumnMapping; "
    "from evidently.legacy.metric_preset import DataQualityPreset, DataDriftPreset, "
    "ClassificationPreset, RegressionPreset; "
    "from evidently.legacy.test_preset import DataStabilityTestPreset, DataQualityTestPreset; "
    "import evidently; print(evidently.__version__)"
)


def python_in(venv: Path) -> Path:
    return venv / "bin" / "python"


def works(venv: Path) -> bool:
    """True when the venv imports every legacy entry point the bench uses."""
    py = python_in(venv)
    if not py.exists():
        return False
    return subprocess.run([py, "-c", CHECK], capture_output=True).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="recreate the venv from scratch")
    args = parser.parse_args()
    if args.force and VENV.exists():
        shutil.rmtree(VENV)
    if not args.force and works(VENV):
        print(f"{VENV} is ready")
        return 0
    if not python_in(VENV).exists():
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    pip = [python_in(VENV), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, *PACKAGES], check=True)
    subprocess.run([python_in(VENV), "-c", CHECK], check=True)
    print(f"{VENV} is ready")
    return 0


if __name__ == "__main__":
    sys.exit(main())

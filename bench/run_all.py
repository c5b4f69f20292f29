"""Run every ``bench/bench_*.py`` in turn; arguments are passed through (e.g. ``--quick --repeats 3``)."""

import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    failed = []
    for script in sorted(Path(__file__).resolve().parent.glob("bench_*.py")):
        if subprocess.run([sys.executable, str(script), *sys.argv[1:]]).returncode:
            failed.append(script.name)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")

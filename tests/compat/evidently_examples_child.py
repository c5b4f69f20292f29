"""Child of the example parity tests: runs example re-creations in Evidently's interpreter.

Usage: ``<evidently python> -m tests.compat.evidently_examples_child CASE [CASE ...]``. Each CASE folder holds
``example.py`` (the re-creation, written with ``monitorflow`` imports), ``frames/*.parquet`` (its data)
and gets ``result.json``. The example's source is run with the import prefix ``monitorflow`` replaced
by ``evidently.legacy`` and nothing else changed; 0.4's root exports (``from evidently import
ColumnMapping``), which 0.7 dropped, are put back first.
"""

from __future__ import annotations

import re
import sys
import traceback
import types
import warnings
from pathlib import Path

import pandas as pd

from tests.compat.compat_io import dump

PREFIX = re.compile(r"\bmonitorflow\b")


def _restore_0_4_root() -> None:
    import evidently.legacy as legacy
    from evidently.legacy.core import ColumnType
    from evidently.legacy.pipeline.column_mapping import ColumnMapping, TaskType

    legacy.ColumnMapping, legacy.TaskType, legacy.ColumnType = ColumnMapping, TaskType, ColumnType


def _notebook_display() -> None:
    """The examples are notebooks: ``show()`` draws through ``IPython.display``, absent from Evidently's
    venv, so a stand-in that draws nothing is put in its place (what is compared is never drawn)."""
    if "IPython" in sys.modules:
        return
    ipython, display = types.ModuleType("IPython"), types.ModuleType("IPython.display")
    display.HTML = lambda *args, **kwargs: None
    display.display = lambda *args, **kwargs: None
    ipython.display = display
    sys.modules["IPython"], sys.modules["IPython.display"] = ipython, display


def run_case(folder: Path) -> None:
    source = PREFIX.sub("evidently.legacy", (folder / "example.py").read_text())
    module = types.ModuleType(f"example_{folder.name}")
    module.__file__ = str(folder / "example.py")
    sys.modules[module.__name__] = module
    frames = {p.stem: pd.read_parquet(p) for p in sorted((folder / "frames").glob("*.parquet"))}
    workdir = folder / "work"
    workdir.mkdir(exist_ok=True)
    try:
        exec(compile(source, str(folder / "example.py"), "exec"), module.__dict__)
        result = {"ok": module.run(frames, workdir)}
    except Exception as exc:  # reported to the parent, which shows it
        result = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-3000:]}
    (folder / "result.json").write_text(dump(result))


def main() -> None:
    warnings.simplefilter("ignore")
    _restore_0_4_root()
    _notebook_display()
    for arg in sys.argv[1:]:
        run_case(Path(arg))


if __name__ == "__main__":
    main()

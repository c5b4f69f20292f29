"""Whole presets on real data sets (``preset_cases.py``) under both libraries: the same ``as_dict()``
to 1e-9 and the same test statuses, except the differences documented in ``preset_cases.DIFFERENCES``
and ``compat_harness``. Tests are matched by name and column, never by position.

Evidently runs once per data set, all its cases in one child process, started when the data set's test
asks (with the next one's); the children run two at a time while our side computes.
"""

from __future__ import annotations

import shutil
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from tests.compat import preset_cases
from tests.compat.compat_harness import CHILD, HERE, compare
from tests.compat.compat_io import jsonable
from tests.support.evidently_parity import run_evidently

DATASETS = list(preset_cases.DATASETS)


@pytest.fixture(scope="module")
def children(tmp_path_factory, evidently_python):
    """``evidently(name)`` -> the future of Evidently's results for a data set. Its child starts on first
    request, with the next data set's (two children at a time, while our side computes)."""
    from tests.compat.compat_data import preset_datasets

    root = tmp_path_factory.mktemp("compat_presets")
    folders = {}
    for name, (reference, current) in preset_datasets().items():
        reference, current = reference[preset_cases.columns(name)], current[preset_cases.columns(name)]
        folder = folders[name] = root / name
        (folder / "frames").mkdir(parents=True)
        shutil.copy(HERE / "preset_cases.py", folder / "example.py")
        reference.to_parquet(folder / "frames" / "reference.parquet")
        current.to_parquet(folder / "frames" / "current.parquet")
    futures: dict[str, Future] = {}

    def start(name: str) -> Future:
        if name not in futures:
            futures[name] = pool.submit(run_evidently, evidently_python, CHILD, [folders[name]], 900)
        return futures[name]

    def evidently(name: str) -> Future:
        pending = start(name)
        for following in DATASETS[DATASETS.index(name) + 1 :][:1]:
            start(following)
        return pending

    with ThreadPoolExecutor(max_workers=2) as pool:
        yield folders, evidently


def _frames(folder):
    import pandas as pd

    return {p.stem: pd.read_parquet(p) for p in sorted((folder / "frames").glob("*.parquet"))}


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("dataset", DATASETS)
def test_presets_give_evidentlys_results(children, dataset):
    folders, evidently = children
    folder = folders[dataset]
    pending = evidently(dataset)
    (folder / "ours").mkdir()
    ours = jsonable(preset_cases.run(_frames(folder), folder / "ours"))
    result = pending.result()[dataset]
    assert "ok" in result, f"Evidently failed on {dataset}: {result.get('error')}\n{result.get('traceback')}"
    theirs = result["ok"]
    assert set(theirs) == set(ours)
    comparison = compare(theirs, ours, preset_cases)
    assert not comparison.problems, f"{len(comparison.problems)} differences:\n" + "\n".join(
        comparison.problems[:80]
    )

"""Evidently 0.4's sample notebooks, how-to guides, data stories and demo projects, re-created in
``examples/`` and run under both libraries with only the import prefix changed: the same statuses and
the same values (to 1e-9), except the differences each example documents.

Every example runs in one Evidently child process (importing Evidently takes seconds); see
``harness.py``.
"""

from __future__ import annotations

import pytest

from tests.compat.compat_harness import CHILD, compare, example_names, load, prepare, read_theirs, run_ours
from tests.support.evidently_parity import run_evidently

NAMES = example_names()


@pytest.fixture(scope="module")
def cases(tmp_path_factory, evidently_python):
    root = tmp_path_factory.mktemp("compat_examples")
    folders = {name: prepare(name, root) for name in NAMES}
    run_evidently(evidently_python, CHILD, list(folders.values()), timeout=900)
    return folders


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", NAMES)
def test_example_gives_evidentlys_results(cases, name):
    folder = cases[name]
    theirs = read_theirs(folder)
    ours = run_ours(name, folder)
    comparison = compare(theirs, ours, load(name))
    assert not comparison.problems, f"{len(comparison.problems)} differences:\n" + "\n".join(
        comparison.problems[:60]
    )
    for pattern in getattr(load(name), "DIFFERENCES", {}):
        assert pattern in comparison.documented, f"documented difference {pattern!r} no longer occurs"

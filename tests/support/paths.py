"""Where things are, found once from this file: a test module that moves to another folder keeps them."""

from __future__ import annotations

from pathlib import Path

#: The ``tests`` folder, the repository holding it, and the data files tests in several folders share.
TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
DATA = TESTS / "data"

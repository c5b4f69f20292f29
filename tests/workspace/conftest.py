"""Fixtures of the workspace contract (the backends themselves come from the root conftest)."""

from tests.workspace.contract_frames import frames  # noqa: F401 - a fixture

"""Record types stored in a snapshot beside the metric results: a test's status and result.

They live apart from the engine so that reading a snapshot does not import the checks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel


class TestStatus(StrEnum):
    __test__ = False

    SUCCESS = "SUCCESS"
    FAIL = "FAIL"
    WARNING = "WARNING"
    ERROR = "ERROR"
    SKIPPED = "SKIPPED"


class TestResult(BaseModel):
    """What a test concluded; stored in the snapshot."""

    __test__ = False

    id: str
    type: str
    name: str
    description: str
    status: TestStatus
    group: str
    parameters: dict[str, Any] = {}

    def is_passed(self) -> bool:
        return self.status in (TestStatus.SUCCESS, TestStatus.WARNING, TestStatus.SKIPPED)

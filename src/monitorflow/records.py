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

    @property
    def exception(self) -> BaseException | None:
        """Evidently's accessor, which Evidently never sets (always None); neither does monitorflow: a test's
        error is its status ERROR and its description."""
        return None

    def set_status(self, status: TestStatus, description: str | None = None) -> None:
        """Set the status (and the description, when given), as a custom test's ``check`` may."""
        self.status = TestStatus(status)
        if description is not None:
            self.description = description

    def mark_as_fail(self, description: str | None = None) -> None:
        self.set_status(TestStatus.FAIL, description)

    def mark_as_error(self, description: str | None = None) -> None:
        self.set_status(TestStatus.ERROR, description)

    def mark_as_success(self, description: str | None = None) -> None:
        self.set_status(TestStatus.SUCCESS, description)

    def mark_as_warning(self, description: str | None = None) -> None:
        self.set_status(TestStatus.WARNING, description)

"""schemathesis against the running service (issue 15): every operation of ``/api/openapi.json``
fuzzed with all checks, bounded (a few examples per operation, a fixed seed): no server error, no
response outside the schema, no documented auth that is not enforced (or the reverse).

The multi-part uploads are framed by ``st_hooks.py``. Their generated parts are arbitrary bytes the
schema cannot describe further (Parquet, snapshot JSON), so for those two operations only the check
that "schema-valid data is accepted" is left out; every other check runs on them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from monitorflow.service.app import create_app
from monitorflow.service.testing import running
from monitorflow.storage.faults import frame, make_snapshot
from monitorflow.workspace import Workspace
from tests.support.paths import REPO

ST = Path(sys.executable).with_name("st")
UPLOADS = [
    "upload_snapshot_api_projects__project_id__snapshots_post",
    "add_dataset_api_projects__project_id__datasets_post",
]
TOKEN = "fuzz-token-5e1d"


def schemathesis(url: str, *selection: str, token: str | None = None, examples: int = 8) -> str:
    """Run ``st run`` against the service at ``url``; the report, after asserting it passed."""
    auth = ["-H", f"Authorization: Bearer {token}"] if token else []
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.service.st_hooks",
        "PYTHONPATH": str(REPO),
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        [
            str(ST),
            "run",
            f"{url}/api/openapi.json",
            "--checks",
            "all",
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            str(examples),
            "--seed",
            "15",
            "--no-color",
            *auth,
            *selection,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tempfile.gettempdir(),  # its cache there
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-6000:]
    assert " passed" in report and "failures" not in report.split("SUMMARY")[-1], report[-3000:]
    return report


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace(tmp_path_factory.mktemp("fuzz") / "ws")
    project = ws.create_project("fuzzed")
    for i in range(3):
        ws.add_snapshot(project.id, make_snapshot(i, "fuzz"), current_data=frame(i))
    return ws


@pytest.mark.slow
@pytest.mark.parametrize("token", [None, TOKEN], ids=["open", "token"])
def test_every_operation_answers_within_its_schema(workspace: Workspace, token: str | None) -> None:
    with running(create_app(workspace, token=token)) as url:
        schemathesis(url, *[f"--exclude-operation-id={op}" for op in UPLOADS], token=token)
        schemathesis(
            url,
            *[f"--include-operation-id={op}" for op in UPLOADS],
            "--exclude-checks",
            "positive_data_acceptance",
            token=token,
        )


@pytest.mark.slow
def test_public_reads_are_documented_without_the_token(workspace: Workspace) -> None:
    """--public-reads: reads answer without the token (and say so), writes still need it."""
    with running(create_app(workspace, token=TOKEN, public_reads=True)) as url:
        schemathesis(url, "--include-method=GET")

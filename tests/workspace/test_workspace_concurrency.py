"""8 processes x 200 snapshots into one workspace, on every ws_backend: nothing lost, nothing
duplicated, and the daily rollup behind dashboards equal to the points afterwards."""

from __future__ import annotations

import multiprocessing
import time
import traceback
from typing import Any

import pytest

from monitorflow.errors import SnapshotExists
from monitorflow.ids import stable_uuid
from tests.support.rollup_checks import assert_rollup_matches_points

PROCESSES, PER_PROCESS = 8, 200
SHARED_ID = stable_uuid("concurrency", "shared")


def _writer(
    uri: str, options: dict[str, Any], project_id: str, worker: int, build_snapshot: Any, queue: Any
) -> None:
    """Write PER_PROCESS snapshots, re-add one (must be refused) and race the others for SHARED_ID."""
    try:
        from monitorflow.workspace import Workspace

        ws = Workspace(uri, **options)
        ids = []
        for j in range(PER_PROCESS):
            snap = build_snapshot(
                j,
                rows=worker * 1000 + j,
                tags=[f"w{worker}"],
                metadata={"worker": worker},
                kind="test_suite" if j % 10 == 0 else "report",
                snapshot_id=stable_uuid("concurrency", worker, j),
            )
            ws.add_snapshot(project_id, snap)
            ids.append(str(snap.id))
        refused = 0
        try:
            ws.add_snapshot(project_id, build_snapshot(0, snapshot_id=stable_uuid("concurrency", worker, 0)))
        except SnapshotExists:
            refused = 1
        won = 0
        try:
            ws.add_snapshot(project_id, build_snapshot(PER_PROCESS, rows=-1, snapshot_id=SHARED_ID))
            won = 1
        except SnapshotExists:
            pass
        ws.close()
        queue.put((worker, ids, refused, won, None))
    except BaseException:
        queue.put((worker, [], 0, 0, traceback.format_exc()))


@pytest.mark.slow
def test_concurrent_writers_lose_and_duplicate_nothing(ws_backend, make_snapshot):
    ws = ws_backend.open()
    project = ws.create_project("concurrency")
    context = multiprocessing.get_context(
        "fork"
    )  # children inherit imported modules (fast start), args are not pickled
    queue = context.Queue()
    started = time.monotonic()
    procs = [
        context.Process(
            target=_writer,
            args=(ws_backend.uri, ws_backend.options, str(project.id), w, make_snapshot, queue),
        )
        for w in range(PROCESSES)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join(60)
    elapsed = time.monotonic() - started
    errors = [r[4] for r in results if r[4]]
    assert errors == [], errors[0]
    assert all(proc.exitcode == 0 for proc in procs)

    expected = {sid for r in results for sid in r[1]} | {str(SHARED_ID)}
    assert len(expected) == PROCESSES * PER_PROCESS + 1
    assert sum(r[2] for r in results) == PROCESSES  # every re-add was refused
    assert sum(r[3] for r in results) == 1  # exactly one writer won the shared id

    reader = ws_backend.open()
    listed = [str(s.id) for s in reader.list_snapshots(project.id)]
    assert len(listed) == len(set(listed)) == len(expected)
    assert set(listed) == expected
    series = reader.series(project.id, "DatasetSummaryMetric", "current.number_of_rows")
    assert len(series) == len(expected) and series["snapshot_id"].is_unique
    values = set(series["value"])
    assert all(w * 1000 + j in values for w in range(PROCESSES) for j in range(PER_PROCESS))
    for worker in (0, PROCESSES - 1):
        tagged = reader.series(
            project.id, "DatasetSummaryMetric", "current.number_of_rows", tags=[f"w{worker}"]
        )
        assert sorted(tagged["value"]) == [worker * 1000 + j for j in range(PER_PROCESS)]
    assert reader.load_snapshot(project.id, SHARED_ID).metrics[0].result["current"]["number_of_rows"] == -1
    assert_rollup_matches_points(reader)  # no day's recomputation lost a concurrent writer's points
    print(f"{ws_backend.name}: {len(expected)} snapshots from {PROCESSES} processes in {elapsed:.1f} s")

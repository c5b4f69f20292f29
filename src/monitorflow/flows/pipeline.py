"""Run a chunked load -> compute -> upload pipeline over windows inside the current flow run.

Windows are grouped into chunks (tens of tasks per run, not thousands); at most ``concurrency``
chunks are in flight. A failed chunk does not stop the others: its windows are recorded as failed
and the run fails at the end, after the artifact is written.
"""

from __future__ import annotations

import math
import queue
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, cast
from uuid import UUID

from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.logging import get_run_logger
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import opaque

from monitorflow.errors import is_bad_input
from monitorflow.flows.events import emit_signals
from monitorflow.flows.runtime import artifact_key, notify, retry_policy
from monitorflow.flows.summary import FlowKind, RunFailed, RunSummary, TestsFailed
from monitorflow.monitoring import Monitor, Window
from monitorflow.monitoring.results import Kind, WindowOutcome
from monitorflow.tasks.upload import upload_snapshots

#: Upper bound of the ``concurrency`` parameter (chunks in flight).
MAX_CONCURRENCY = 16
#: Chunks per unit of concurrency when ``windows_per_task`` is not given.
CHUNKS_PER_WORKER = 4

#: ``submit(chunk) -> futures of the chunk's stages, the last one resolving to its evaluations``.
Submit = Callable[[list[Window]], Sequence[PrefectFuture[Any]]]


def unwalked(value: Any) -> Any:
    """``value`` (a future of frames or snapshots) for a task input, resolved without Prefect walking
    every nested object of the result. Only on the thread pool: Dask moves its futures itself."""
    context = FlowRunContext.get()
    return (
        opaque(value)
        if context is not None and isinstance(context.task_runner, ThreadPoolTaskRunner)
        else value
    )


def chunked(windows: list[Window], concurrency: int, windows_per_task: int | None) -> list[list[Window]]:
    """Consecutive groups of windows: ``windows_per_task`` each, else about 4 chunks per worker."""
    size = windows_per_task or max(1, math.ceil(len(windows) / (CHUNKS_PER_WORKER * concurrency)))
    return [windows[i : i + size] for i in range(0, len(windows), size)]


def _chunk_result(futures: Sequence[PrefectFuture[Any]]) -> list[WindowOutcome] | BaseException:
    """The outcomes of the last stage, or the exception of the first stage that failed."""
    for future in futures:
        future.wait()
        state = future.state
        if state.is_failed() or state.is_crashed() or state.is_cancelled():
            error = state.result(raise_on_failure=False)
            return error if isinstance(error, BaseException) else RuntimeError(state.message or state.name)
    last = futures[-1].state
    if not last.is_completed():
        return RuntimeError(last.message or f"upload ended in state {last.name}")
    return futures[-1].result()


def _failed(
    chunk: list[Window], error: BaseException, kinds: list[Kind], model_version: str | None
) -> list[WindowOutcome]:
    reason = str(error) if str(error) else type(error).__name__
    return [
        WindowOutcome(window=w, model_version=model_version, kind=k, status="failed", reason=reason)
        for w in chunk
        for k in kinds
    ]


def _report_done(done: queue.Queue[int], index: int, _future: PrefectFuture[Any]) -> None:
    done.put(index)


def run_chunks(
    monitor: Monitor,
    windows: list[Window],
    submit: Submit,
    *,
    project: UUID,
    kinds: list[Kind],
    model_version: str | None,
    concurrency: int,
    windows_per_task: int | None,
    progress_key: str | None = None,
) -> list[WindowOutcome]:
    """Submit every chunk (at most ``concurrency`` at once), each followed by the upload of its
    evaluations into ``project``, and collect the outcomes in window order."""
    chunks = chunked(windows, concurrency, windows_per_task)
    uploader = upload_snapshots.with_options(**retry_policy(monitor))
    # Prefect's async_dispatch types the result as "value or coroutine"; in a sync flow it is the value.
    progress = (
        cast(
            UUID, create_progress_artifact(0.0, key=progress_key, description=f"{monitor.name}: windows done")
        )
        if progress_key
        else None
    )
    done_queue: queue.Queue[int] = queue.Queue()
    results: dict[int, list[WindowOutcome]] = {}
    inflight: dict[int, Sequence[PrefectFuture[Any]]] = {}
    following, finished_windows = 0, 0
    while following < len(chunks) or inflight:
        while following < len(chunks) and len(inflight) < concurrency:
            stages = submit(chunks[following])
            futures = [*stages, uploader.submit(monitor.workspace, project, unwalked(stages[-1]))]
            inflight[following] = futures
            futures[-1].add_done_callback(partial(_report_done, done_queue, following))
            following += 1
        index = done_queue.get()
        result = _chunk_result(inflight.pop(index))
        if isinstance(result, BaseException):
            if is_bad_input(result) and not results:
                # The first windows tell that the input is wrong (a missing column, a bad path): say it
                # once, up front, instead of once per window.
                get_run_logger().error(f"bad input, stopping before the other windows: {result}")
                raise result
            get_run_logger().error(f"windows {chunks[index][0]} to {chunks[index][-1]} failed: {result}")
            result = _failed(chunks[index], result, kinds, model_version)
        results[index] = result
        finished_windows += len(chunks[index])
        if progress is not None:
            update_progress_artifact(progress, 100.0 * finished_windows / len(windows))
        notify(finished_windows, len(windows), result)
    return [o for i in range(len(chunks)) for o in results[i]]


def finish(
    monitor: Monitor,
    flow: FlowKind,
    project_id: UUID,
    windows: list[Window],
    outcomes: list[WindowOutcome],
    fail_on_tests: bool = True,
) -> RunSummary:
    """The run's summary: write its markdown artifact and events; raise when windows failed (or tests,
    if asked)."""
    summary = RunSummary(
        flow=flow,
        monitor=monitor.name,
        project=monitor.project,
        project_id=project_id,
        workspace=monitor.workspace,
        windows=len(windows),
        outcomes=outcomes,
        ui_url=monitor.ui_url,
    )
    emit_signals(summary)
    create_markdown_artifact(
        summary.markdown(), key=artifact_key(monitor.name, summary.flow), description=summary.counts()
    )
    get_run_logger().info(summary.counts())
    if summary.failed:
        raise RunFailed(summary)
    if fail_on_tests and monitor.fail_on_test_failure and summary.failed_tests:
        raise TestsFailed(summary)
    return summary

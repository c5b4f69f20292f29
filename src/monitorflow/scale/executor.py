"""Where partition work runs: threads of this process (the default) or tasks on a Dask cluster.

The engine hands an :class:`Executor` picklable top-level functions: pass A maps a profile function
over partitions and merges the profiles where they were made (``map_reduce``: a balanced tree of
merges, in partition order, so every executor gives the same bits); pass B maps a sort over groups
of columns (``map``). Only the merged profiles, and the paths of sorted files, come back.

>>> with use_executor(LocalExecutor(workers=2)):
...     current_executor().map_reduce(abs, [-1, -2, 3], lambda a, b: a + b)
6

On Dask: ``with on_dask(address="tcp://scheduler:8786"):`` (or a ``client``, or a LocalCluster
of ``n_workers`` processes), and inside a Prefect task on a ``DaskTaskRunner`` the cluster the task
runs on (``prefect_dask.get_dask_client``). ``bytes_returned`` counts what results cost the client.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

from monitorflow.errors import MissingDependencyError, SourceError

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a function over items, here or elsewhere; results in the items' order."""

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]: ...

    def map_reduce(
        self, function: Callable[[T], R], items: Sequence[T], combine: Callable[[R, R], R]
    ) -> R: ...


def _pairs(level: list[Any], combine: Callable[[Any, Any], Any]) -> list[Any]:
    """One level of the merge tree: (0, 1), (2, 3), ... and an odd last one carried up."""
    return [
        combine(level[i], level[i + 1]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)
    ]


class LocalExecutor:
    """A thread pool in this process (numpy, pyarrow and database drivers release the GIL)."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or min(4, os.cpu_count() or 1))
        self.bytes_returned = 0

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if self.workers == 1 or len(items) < 2:
            return [function(item) for item in items]
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(function, items))

    def map_reduce(self, function: Callable[[T], R], items: Sequence[T], combine: Callable[[R, R], R]) -> R:
        if not items:
            raise ValueError("map_reduce needs at least one item")
        level = self.map(function, items)
        while len(level) > 1:
            level = _pairs(level, combine)
        return level[0]


def _dumps(item: Any) -> bytes:
    import cloudpickle  # optional: dask extra

    try:
        return cloudpickle.dumps(item, protocol=5)
    except Exception as exc:
        name = str(getattr(item, "name", item))
        raise SourceError(f"cannot send {name} to the Dask workers: {exc}", name) from exc


def _call(function: Callable[[Any], Any], payload: bytes) -> Any:
    return function(pickle.loads(payload))


class DaskExecutor:
    """Tasks on a Dask cluster through ``client``; merges run on the workers, next to the data."""

    def __init__(self, client: Any):
        self.client = client
        #: Pickled size of every result that came back to this process.
        self.bytes_returned = 0
        #: Tasks submitted, and how many per function name.
        self.tasks = 0
        self.submitted: dict[str, int] = {}

    def _gather(self, futures: Any) -> Any:
        """Results of ``futures``; inside a Dask task the worker thread is given up while waiting."""
        try:
            from distributed import rejoin, secede  # optional: dask extra
            from distributed.worker import get_worker  # optional: dask extra

            get_worker()
        except (ImportError, ValueError):
            results = self.client.gather(futures)
        else:
            secede()
            try:
                results = self.client.gather(futures)
            finally:
                rejoin()
        self.bytes_returned += len(pickle.dumps(results, protocol=5))
        return results

    def _submit(self, function: Callable[[T], R], items: Sequence[T]) -> list[Any]:
        """One task per item; items are pickled here, so one that cannot be (a file gone bad since it
        was listed) fails now with its name instead of stalling the scheduler."""
        payloads = [_dumps(item) for item in items]
        self.tasks += len(payloads)
        name = getattr(getattr(function, "func", function), "__name__", repr(function))
        self.submitted[name] = self.submitted.get(name, 0) + len(payloads)
        return self.client.map(_call, [function] * len(payloads), payloads, pure=False)

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        return list(self._gather(self._submit(function, items)))

    def map_reduce(self, function: Callable[[T], R], items: Sequence[T], combine: Callable[[R, R], R]) -> R:
        if not items:
            raise ValueError("map_reduce needs at least one item")
        level = self._submit(function, items)
        while len(level) > 1:
            self.tasks += len(level) // 2
            level = _pairs(level, lambda a, b: self.client.submit(combine, a, b, pure=False))
        return self._gather(level[0])


_CURRENT: ContextVar[Executor | None] = ContextVar("monitorflow_executor", default=None)


def current_executor(workers: int | None = None) -> Executor:
    """The executor of this context (:func:`use_executor`), else ``workers`` threads of this process."""
    executor = _CURRENT.get()
    return executor if executor is not None else LocalExecutor(workers)


def is_distributed(executor: Executor) -> bool:
    """Whether the executor runs work in other processes (which then read partitions themselves)."""
    return not isinstance(executor, LocalExecutor)


@contextmanager
def use_executor(executor: Executor) -> Iterator[Executor]:
    """Run the out-of-core passes of the runs inside the block on ``executor``."""
    token = _CURRENT.set(executor)
    try:
        yield executor
    finally:
        _CURRENT.reset(token)


def _distributed() -> Any:
    try:
        import distributed  # optional: dask extra
    except ImportError:
        raise MissingDependencyError("dask[distributed]", "dask") from None
    return distributed


@contextmanager
def dask_client(
    address: str | None = None, *, client: Any = None, n_workers: int = 2, threads_per_worker: int = 1
) -> Iterator[Any]:
    """A Dask client: ``client`` as given; inside a Prefect task on a DaskTaskRunner, one to the
    cluster running it; else one to ``address``, or to a new LocalCluster of ``n_workers`` processes
    (closed at the end of the block)."""
    if client is not None:
        yield client
        return
    distributed = _distributed()
    if address is None and _in_prefect_dask_task():
        from prefect_dask import get_dask_client  # optional: dask extra

        with get_dask_client() as found:
            yield found
        return
    if address is not None:
        with distributed.Client(address) as found:
            yield found
        return
    cluster = distributed.LocalCluster(
        n_workers=n_workers,
        threads_per_worker=threads_per_worker,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    )
    with cluster, distributed.Client(cluster) as found:
        yield found


def _in_prefect_dask_task() -> bool:
    """Whether this code runs inside a Prefect task on a Dask worker."""
    try:
        from distributed.worker import get_worker  # optional: dask extra
        from prefect.context import TaskRunContext  # optional: prefect extra

        get_worker()
    except (ImportError, ValueError):
        return False
    return TaskRunContext.get() is not None


@contextmanager
def on_dask(
    address: str | None = None, *, client: Any = None, n_workers: int = 2, threads_per_worker: int = 1
) -> Iterator[DaskExecutor]:
    """Run the out-of-core passes inside the block as Dask tasks (see :func:`dask_client`)."""
    with (
        dask_client(
            address, client=client, n_workers=n_workers, threads_per_worker=threads_per_worker
        ) as found,
        use_executor(DaskExecutor(found)) as executor,
    ):
        yield executor  # type: ignore[misc]

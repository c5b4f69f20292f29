"""Items of several sources, produced ahead on worker threads and handed over in order.

:func:`read_ahead` runs ``read(part)`` (a generator, e.g. a partition's row slices) for up to
``workers`` parts at once, each on its own thread, and yields every item of the first part, then of
the second, and so on. Each producer holds at most one finished item in its queue, so memory stays
at a few items per thread however large a part is. Closing the iterator early stops the producers.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

P = TypeVar("P")
T = TypeVar("T")

_DONE = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


def _produce(items: Iterable[object], out: queue.Queue, stop: threading.Event) -> None:
    """Put each item (then ``_DONE``, or the failure) on ``out``, giving up once ``stop`` is set."""

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    try:
        for item in items:
            if not put(item):
                return
    except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
        put(_Failed(exc))
        return
    put(_DONE)


def read_ahead(read: Callable[[P], Iterable[T]], parts: Sequence[P], workers: int) -> Iterator[T]:
    """Every item of ``read(part)`` for each part in order, ``workers`` parts read ahead at once."""
    if workers <= 1 or len(parts) <= 1:
        for part in parts:
            yield from read(part)
        return
    stop = threading.Event()
    with ThreadPoolExecutor(workers) as pool:
        queues: list[queue.Queue] = []

        def start(part: P) -> None:
            out: queue.Queue = queue.Queue(maxsize=1)
            queues.append(out)
            pool.submit(_produce, read(part), out, stop)

        try:
            for part in parts[:workers]:
                start(part)
            for i in range(len(parts)):
                while (item := queues[i].get()) is not _DONE:
                    if isinstance(item, _Failed):
                        raise item.error
                    yield item
                    item = None  # not held while the next one is awaited
                if i + workers < len(parts):
                    start(parts[i + workers])
        finally:
            stop.set()

"""Calling models and LLMs for descriptors: batched, cached by input hash, retried, bounded in concurrency.

Each distinct input is sent once per run: answers are kept in the run's shared cache (keyed by the
caller's identity and the input's SHA-256), so current and reference, and several descriptors of the
same model, reuse them. Inputs go in batches of ``batch_size`` to at most ``max_concurrency`` workers;
a failed batch is retried ``max_retries`` times with exponential backoff unless the error is permanent
(:class:`PermanentCallError`, e.g. an HTTP 400 or 401).
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from monitorflow.errors import MetricError


class PermanentCallError(Exception):
    """A call that must not be retried (the request itself is wrong)."""


class CallPolicy(BaseModel):
    """How a descriptor calls its model: batch size, parallel workers, retries and backoff."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    batch_size: int = Field(32, ge=1)
    max_concurrency: int = Field(4, ge=1)
    max_retries: int = Field(3, ge=0)
    backoff_s: float = Field(0.5, ge=0)
    max_backoff_s: float = Field(30.0, ge=0)


def input_hash(value: Any) -> str:
    """SHA-256 of an input (a text or a JSON-able row)."""
    payload = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8", errors="surrogatepass")).hexdigest()


def _with_retries(call: Callable[[], Any], policy: CallPolicy, what: str) -> Any:
    for attempt in range(policy.max_retries + 1):
        try:
            return call()
        except PermanentCallError as exc:
            raise MetricError(f"{what} failed: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - any transient failure is retried
            if attempt == policy.max_retries:
                raise MetricError(
                    f"{what} failed after {attempt + 1} attempts: {type(exc).__name__}: {exc}"
                ) from exc
            delay = min(policy.max_backoff_s, policy.backoff_s * 2**attempt)
            time.sleep(delay * (0.5 + random.random() / 2))
    raise AssertionError("unreachable")


_LOCKS: dict[int, threading.Lock] = {}


def cached_calls(
    call_batch: Callable[[list[Any]], Sequence[Any]],
    inputs: Sequence[Any],
    *,
    cache: dict[Hashable, Any],
    caller: str,
    policy: CallPolicy,
    what: str,
) -> list[Any]:
    """``call_batch`` over the distinct inputs not in ``cache``; the answer of every input, in order."""
    keys = [(caller, input_hash(v)) for v in inputs]
    todo: dict[tuple[str, str], Any] = {}
    for key, value in zip(keys, inputs, strict=True):
        if key not in cache and key not in todo:
            todo[key] = value
    pending = list(todo.items())
    batches = [pending[i : i + policy.batch_size] for i in range(0, len(pending), policy.batch_size)]

    def run(batch: list[tuple[tuple[str, str], Any]]) -> None:
        answers = _with_retries(lambda: list(call_batch([v for _, v in batch])), policy, what)
        if len(answers) != len(batch):
            raise MetricError(f"{what} returned {len(answers)} answers for {len(batch)} inputs")
        for (key, _), answer in zip(batch, answers, strict=True):
            cache[key] = answer

    if len(batches) == 1:
        run(batches[0])
    elif batches:
        with ThreadPoolExecutor(max_workers=min(policy.max_concurrency, len(batches))) as pool:
            for future in [pool.submit(run, b) for b in batches]:
                future.result()
    return [cache[key] for key in keys]


def one_by_one(call: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    """A batch call made of single calls (for clients that take one input)."""
    return lambda batch: [call(v) for v in batch]

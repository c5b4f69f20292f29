"""Fitted estimator states: their fingerprint, JSON form, and a small in-process cache.

A state is fitted once per reference (and estimator settings). Its ``fingerprint`` hashes both, so
a state stored in the workspace is reused only for the reference it was fitted on; the flows load
it and :func:`remember` it, and every window computed in the process finds it with :func:`fitted`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar

import numpy as np
from pydantic import Field, TypeAdapter, ValidationError

from monitorflow.errors import EstimatorStateError
from monitorflow.estimation.classification import ClassifierState
from monitorflow.estimation.regression import RegressorState

State = Annotated[ClassifierState | RegressorState, Field(discriminator="kind")]
S = TypeVar("S", ClassifierState, RegressorState)

#: States kept in memory per process (least recently used ones are dropped).
CACHE_SIZE = 64
_CACHE: OrderedDict[str, Any] = OrderedDict()
_LOCK = threading.Lock()
_FITTING: dict[str, threading.Lock] = {}
_ADAPTER: TypeAdapter[Any] = TypeAdapter(State)


def fingerprint(settings: dict[str, Any], arrays: Iterable[np.ndarray]) -> str:
    """A hash of the estimator settings and the reference arrays it is fitted on."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for array in arrays:
        contiguous = np.ascontiguousarray(array)
        digest.update(str((contiguous.dtype.str, contiguous.shape)).encode())
        digest.update(contiguous.tobytes())
    return digest.hexdigest()[:32]


def remember(state: Any) -> None:
    """Keep ``state`` for the windows computed in this process (found by its fingerprint)."""
    if not state.fingerprint:
        raise EstimatorStateError("this estimator state has no fingerprint; fit it with monitorflow")
    with _LOCK:
        _CACHE[state.fingerprint] = state
        _CACHE.move_to_end(state.fingerprint)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)


def remembered(key: str) -> Any | None:
    """The state with fingerprint ``key`` if this process has it."""
    with _LOCK:
        return _CACHE.get(key)


def fitted(key: str, fit: Callable[[], S]) -> S:
    """The state with fingerprint ``key``: remembered, else ``fit()`` (then remembered). Threads
    asking for the same key at once wait for one fit."""
    state = remembered(key)
    if state is not None:
        return state
    with _LOCK:
        lock = _FITTING.setdefault(key, threading.Lock())
    with lock:
        state = remembered(key)
        if state is None:
            state = fit().model_copy(update={"fingerprint": key})
            remember(state)
    return state


def to_json(state: Any) -> str:
    return state.model_dump_json()


def from_json(text: str | bytes) -> Any:
    """A state from its JSON; :class:`EstimatorStateError` if it is not one this version reads."""
    try:
        return _ADAPTER.validate_json(text)
    except ValidationError as exc:
        raise EstimatorStateError(
            f"not a monitorflow estimator state of this version: {exc.errors()[0]['msg']}"
        ) from None


__all__ = ["State", "fingerprint", "fitted", "from_json", "remember", "remembered", "to_json"]

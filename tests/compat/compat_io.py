"""Shared by both interpreters of the example parity tests (standard library, numpy and pandas only).

``jsonable(value)`` turns what an example returns (dicts from ``as_dict()``, enums, numpy values,
frames, datetimes) into plain JSON data the same way in Evidently's interpreter and in ours, so the
two outputs compare as data.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import math
import uuid
from typing import Any

import numpy as np
import pandas as pd


def _key(key: Any) -> str:
    """A dict key as ``json.dumps`` writes it (None -> "null", inf -> "Infinity"), with an integral
    float written as an integer (a label 1.0 and 1 are one label)."""
    if isinstance(key, enum.Enum):
        key = key.value
    if isinstance(key, np.generic):
        key = key.item()
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    return key if isinstance(key, str) else json.dumps({key: 0})[2:-5]


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, pd.DataFrame):
        return {"__frame__": jsonable(value.reset_index(drop=True).to_dict(orient="list"))}
    if isinstance(value, pd.Series | pd.Index):
        return jsonable(value.tolist())
    if isinstance(value, pd.Timestamp | datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump())
    if hasattr(value, "dict") and callable(value.dict) and not isinstance(value, type):
        return jsonable(value.dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, str | int | bool) or value is None:
        return value
    return repr(value)


def dump(value: Any) -> str:
    return json.dumps(jsonable(value), allow_nan=False)

"""``NumpyEncoder``: a ``json.JSONEncoder`` for results holding numpy and pandas values.

>>> import json, numpy as np
>>> json.dumps({"n": np.int64(3), "x": np.array([0.5])}, cls=NumpyEncoder)
'{"n": 3, "x": [0.5]}'
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel


class NumpyEncoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, np.bool_):
            return bool(o)
        if isinstance(o, np.integer):
            return int(o)
        if isinstance(o, np.floating):
            return float(o)
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, pd.Series | pd.Index):
            return o.tolist()
        if isinstance(o, pd.DataFrame):
            return o.to_dict(orient="list")
        if isinstance(o, pd.Timestamp | datetime | date):
            return o.isoformat()
        if isinstance(o, timedelta | pd.Timedelta):
            return str(o)
        if isinstance(o, uuid.UUID | Enum):
            return str(o.value if isinstance(o, Enum) else o)
        if isinstance(o, BaseModel):
            return o.model_dump(mode="json")
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        if o is pd.NA or o is pd.NaT:
            return None
        return super().default(o)

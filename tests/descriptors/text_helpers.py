"""Running one descriptor on a column outside a run."""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitorflow.descriptors.base import Descriptor, FrameReader


def run(descriptor: Descriptor, values: Any, **columns: Any) -> list[Any]:
    """The descriptor's values on a column ``text`` holding ``values`` (plus other named columns)."""
    frame = pd.DataFrame({"text": pd.Series(list(values), dtype=object), **columns})
    return descriptor.values(FrameReader(frame), "text").tolist()

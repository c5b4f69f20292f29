"""A pandas DataFrame served as a lazy source (:class:`FrameSource`): partitions of row ranges, read
without a round trip through Arrow (tests, and a frame mixed with a lazy source in one run)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from monitorflow.scale.source import Partition

# -------------------------------------------------------------------------------- DataFrame


@dataclass(frozen=True)
class FramePartition:
    """Rows ``[start, stop)`` of a pandas DataFrame."""

    frame: pd.DataFrame = field(repr=False)
    start: int
    stop: int

    @property
    def name(self) -> str:
        return f"frame rows {self.start}-{self.stop - 1}"

    @property
    def rows(self) -> int:
        return self.stop - self.start

    @property
    def row_offset(self) -> int:
        return self.start

    def read(self, columns: Sequence[str]) -> pa.Table:
        return pa.Table.from_pandas(self.read_frame(columns), preserve_index=False)

    def read_frame(self, columns: Sequence[str]) -> pd.DataFrame:
        """The rows as pandas, without a round trip through Arrow (dtypes kept as they are)."""
        return self.frame.iloc[self.start : self.stop][list(columns)]

    def read_frames(self, columns: Sequence[str], rows: int) -> Iterator[pd.DataFrame]:
        """The rows in slices of at most ``rows`` rows."""
        for start in range(self.start, self.stop, rows):
            yield self.frame.iloc[start : min(start + rows, self.stop)][list(columns)]


class FrameSource:
    """A pandas DataFrame served as partitions of ``rows_per_partition`` rows."""

    def __init__(self, frame: pd.DataFrame, rows_per_partition: int = 1_000_000, name: str = "frame") -> None:
        self.frame = frame
        self.rows_per_partition = max(1, int(rows_per_partition))
        self.name = name

    def schema(self) -> pa.Schema:
        """Each column's Arrow type (string for object columns Arrow cannot type, e.g. mixed values)."""
        fields = []
        for column in self.frame.columns:
            try:
                kind = (
                    pa.Schema.from_pandas(self.frame[[column]].iloc[:100], preserve_index=False).field(0).type
                )
            except (pa.ArrowException, TypeError, ValueError):
                kind = pa.string()
            fields.append(pa.field(str(column), kind))
        return pa.schema(fields)

    def fingerprint(self) -> str:
        """A digest of the frame's columns, dtypes and values."""

        digest = hashlib.sha256(repr([(str(c), str(t)) for c, t in self.frame.dtypes.items()]).encode())
        for column in self.frame.columns:
            try:
                values = pd.util.hash_pandas_object(self.frame[column], index=False).to_numpy()
            except TypeError:
                values = pd.util.hash_pandas_object(self.frame[column].astype(str), index=False).to_numpy()
            digest.update(values.tobytes())
        return digest.hexdigest()

    def column_names(self) -> list[Any]:
        """The frame's own column labels (Arrow names are text; these may be numbers)."""
        return list(self.frame.columns)

    def pandas_dtypes(self) -> dict[Any, Any]:
        return dict(self.frame.dtypes.items())

    def partitions(self) -> list[Partition]:
        n = len(self.frame.index)
        step = self.rows_per_partition
        return [FramePartition(self.frame, i, min(i + step, n)) for i in range(0, n, step)]

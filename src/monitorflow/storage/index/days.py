"""Which parts of a time range the daily rollups answer: whole UTC days that are neither pending
(marked dirty since their last roll-up) nor sparse; the rest (partial days at the edges, skipped
days) is read from the points or test results.

>>> day = 86_400_000_000
>>> whole, partial = split_days(day // 2, 4 * day, skip=[2 * day])
>>> whole
[(86400000000, 172800000000), (259200000000, 345600000000)]
>>> partial
[(43200000000, 86400000000), (172800000000, 259200000000)]
"""

from __future__ import annotations

from typing import Any

from monitorflow.storage.index.rollups import ROLLUP_US

DAY = ROLLUP_US
Interval = tuple[int | None, int | None]
#: At most this many runs of rollup days per query (the rest of the range is read from the points).
MAX_RUNS = 16


def skipped_days(read: Any, project_id: str) -> list[int]:
    """The project's days the rollup does not answer (sorted starts): dirty or sparse."""
    rows = read(
        "SELECT day FROM mf_rollup_dirty WHERE project_id = :pid UNION "
        "SELECT day FROM mf_rollup_sparse WHERE project_id = :pid",
        {"pid": project_id},
    )
    return sorted(int(d) for (d,) in rows)


def split_days(start: int | None, end: int | None, skip: list[int]) -> tuple[list[Interval], list[Interval]]:
    """``[start, end)`` as (runs of whole days but the ``skip`` days: the rollup's part; the
    intervals between them: partial days at the edges and the skipped days, read from the points).
    Only the ``MAX_RUNS`` longest runs are kept, so the query stays short."""
    dlo = None if start is None else -(-start // DAY) * DAY
    dhi = None if end is None else end - end % DAY
    if dlo is not None and dhi is not None and dlo >= dhi:
        return [], [(start, end)]
    runs: list[Interval] = []
    cursor = dlo
    for day in sorted(set(skip)):
        if (dlo is not None and day < dlo) or (dhi is not None and day >= dhi):
            continue
        if cursor is None or cursor < day:
            runs.append((cursor, day))
        cursor = day + DAY
    if cursor is None or dhi is None or cursor < dhi:
        runs.append((cursor, dhi))
    if len(runs) > MAX_RUNS:
        longest = sorted(runs, key=lambda r: -(float("inf") if None in r else r[1] - r[0]))[:MAX_RUNS]  # type: ignore[operator]
        runs = sorted(longest, key=lambda r: -float("inf") if r[0] is None else r[0])
    raw: list[Interval] = []
    here = start
    for lo, hi in runs:
        if lo is not None and (here is None or here < lo):
            raw.append((here, lo))
        here = hi
    if not runs:
        raw.append((start, end))
    elif runs[-1][1] is not None and (end is None or here < end):  # type: ignore[operator]
        raw.append((here, end))
    return runs, raw

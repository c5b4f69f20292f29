"""Index lookups the dashboards need beyond ``Workspace``'s methods: tags, field paths, suite ids.

Each lookup uses a ``Workspace`` method of the same name when the workspace has one, else one
small read-only SQL query on the store's index (every built-in backend has ``store.index``), else a
slower fallback through ``list_snapshots``. None of them opens a snapshot blob.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from monitorflow.errors import ConfigurationError

_PAGE = 1000


def index_reader(ws: Any) -> Callable[[str, dict[str, Any]], list[tuple[Any, ...]]] | None:
    runner = getattr(getattr(getattr(ws, "store", None), "index", None), "runner", None)
    if runner is None or not hasattr(runner, "read"):
        return None
    return lambda sql, params: runner.read(lambda tx: tx.fetchall(sql, params))


def tag_values(ws: Any, project_id: UUID, prefix: str = "") -> list[str]:
    """Distinct tags of the project's snapshots starting with ``prefix``, sorted."""
    own = getattr(ws, "tag_values", None)
    if callable(own):
        return sorted(own(project_id, prefix=prefix))
    read = index_reader(ws)
    if read is not None:
        ws.get_project(project_id)  # ProjectNotFound, like every other lookup
        params = {"pid": str(project_id), "lo": prefix, "like": _like_prefix(prefix)}
        if _dialect(ws) == "sqlite":  # a skip scan of (project_id, tag): one seek per distinct tag
            rows = read(
                "WITH RECURSIVE t(tag) AS (SELECT MIN(tag) FROM mf_snapshot_tags WHERE project_id = :pid AND tag >= :lo "
                "UNION ALL SELECT (SELECT MIN(g.tag) FROM mf_snapshot_tags g WHERE g.project_id = :pid AND g.tag > t.tag) "
                "FROM t WHERE t.tag LIKE :like ESCAPE '!') SELECT tag FROM t WHERE tag IS NOT NULL",
                params,
            )  # (binary order: the tags with the prefix are contiguous from it)
        else:
            rows = read("SELECT DISTINCT tag FROM mf_snapshot_tags WHERE project_id = :pid", params)
        return sorted(t for (t,) in rows if t.startswith(prefix))
    found: set[str] = set()
    offset = 0
    while True:
        page = ws.list_snapshots(project_id, limit=_PAGE, offset=offset)
        found.update(t for info in page for t in info.tags if t.startswith(prefix))
        if len(page) < _PAGE:
            return sorted(found)
        offset += _PAGE


def _dialect(ws: Any) -> str | None:
    return getattr(getattr(getattr(ws.store, "index", None), "runner", None), "dialect", None)


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern (escape ``!``) for strings starting with ``prefix``."""
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def matching_fields(ws: Any, project_id: UUID, metric_type: str | None, metric_id: str | None,
                    pattern: str) -> list[str]:  # fmt: skip
    """Indexed field paths of the matching metrics that fit ``pattern``, where ``*`` stands for one
    path segment (``"drift_by_columns.*.drift_score"``, ``"current.share_of_missing_values_by_column.*"``)."""
    own = getattr(ws, "matching_fields", None)
    if callable(own):
        return sorted(own(project_id, metric_type, metric_id, pattern))
    read = index_reader(ws)
    if read is None:
        raise ConfigurationError(
            f"this workspace cannot expand {pattern!r}; give the panel explicit field paths",
            argument="field_path",
        )
    sql, params = (
        "SELECT DISTINCT field_path FROM mf_series WHERE project_id = :pid",
        {"pid": str(project_id)},
    )
    if metric_type is not None:
        sql, params["mt"] = sql + " AND metric_type = :mt", metric_type
    if metric_id is not None:
        sql, params["mid"] = sql + " AND metric_id = :mid", metric_id
    regex = re.compile(
        "^" + r"\.".join("[^.]+" if part == "*" else re.escape(part) for part in pattern.split(".")) + "$"
    )
    return sorted(f for (f,) in read(sql, params) if regex.match(f))


def wildcard_match(pattern: str, path: str) -> str:
    """The segments of ``path`` that stand where ``pattern`` has ``*``, joined by dots."""
    return ".".join(
        seg for part, seg in zip(pattern.split("."), path.split("."), strict=False) if part == "*"
    )


def test_suite_ids(ws: Any, project_id: UUID, start: datetime | None, end: datetime | None) -> set[str]:
    """Ids of the project's test-suite snapshots in ``[start, end)``: their points leave report panels."""
    read = index_reader(ws)
    if read is None:
        infos = ws.list_snapshots(project_id, start=start, end=end, kind="test_suite")
        return {str(info.id) for info in infos}
    from monitorflow.storage.index import micros

    sql, params = (
        "SELECT id FROM mf_snapshots WHERE project_id = :pid AND kind = 'test_suite'",
        {"pid": str(project_id)},
    )
    if start is not None:
        sql, params["start"] = sql + " AND ts >= :start", micros(start)
    if end is not None:
        sql, params["end"] = sql + " AND ts < :end", micros(end)
    return {sid for (sid,) in read(sql, params)}


def test_labels(ws: Any, snapshots: dict[str, str]) -> dict[str, str]:
    """``test id -> column name`` for the tests that have one; ``snapshots`` maps each test id to a
    snapshot holding it (the id is a fingerprint of the test's configuration, so any one will do)."""
    read = index_reader(ws)
    pairs = sorted((sid, test_id) for test_id, sid in snapshots.items() if sid)[:200]
    if read is None or not pairs:
        return {}
    found: dict[str, str] = {}
    for sid in sorted({sid for sid, _ in pairs}):
        wanted = {test_id for s, test_id in pairs if s == sid}
        sql = "SELECT test_id, value FROM mf_test_params WHERE snapshot_id = :sid AND key = 'column_name'"
        for test_id, value in read(sql, {"sid": sid}):
            if test_id in wanted:
                found[test_id] = str(json.loads(value))
    return found

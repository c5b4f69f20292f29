"""``monitorflow ui --demo``: the one demo (:mod:`monitorflow.demo`) written into the served workspace.

The demo's monitors run in the service's process (no Prefect), writing the same project, snapshots
and dashboard as ``monitorflow demo``. That takes about 40 CPU seconds, so ``ui --demo`` creates the
project with its dashboard first, serves at once and writes the snapshots in a background thread;
the project's description says when they are all there. A complete demo project is left as it is.

>>> import tempfile
>>> from monitorflow.workspace import Workspace
>>> project = ensure_demo_project(Workspace(tempfile.mkdtemp()), days=2)
>>> project.name, len(project.list_snapshots()) > 0, complete(project, 2)
('churn-monitoring', True, True)
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from monitorflow.demo import DAYS, PROJECT, fill
from monitorflow.monitoring.store import project_id

log = logging.getLogger("monitorflow.service")
WRITING = (
    "A churn model's scoring log, monitored per region and model version: monitorflow's demo, being written."
)


def done_text(days: int) -> str:
    return (
        "A churn model's scoring log, monitored per region and model version: monitorflow's demo "
        f"({days} days)."
    )


def complete(project: Any, days: int | None = None) -> bool:
    """Whether the demo project holds all ``days`` (default :data:`DAYS`) of the demo (set when
    :func:`fill` finished)."""
    return project.description == done_text(DAYS if days is None else days)


def _write(ws: Any, days: int) -> None:
    project_id = fill(ws, days, progress=lambda message: log.info("demo: %s", message))
    project = ws.get_project(project_id)
    project.description = done_text(days)
    ws.update_project(project)
    log.warning("demo project %r is complete: /projects/%s", project.name, project.id)


def ensure_demo_project(ws: Any, days: int | None = None, background: bool = False) -> Any:
    """The demo project of ``ws`` with ``days`` (default :data:`DAYS`) of data, written first if it is
    missing or incomplete (``background``: in a daemon thread, returning the project at once with its
    dashboard and no or some snapshots)."""
    days = DAYS if days is None else days
    found = ws.search_project(PROJECT)
    if found and complete(found[0], days):
        return found[0]
    project = ws.get_project(project_id(ws, PROJECT))
    if project.description != WRITING:
        project.description = WRITING
        ws.update_project(project)
    if not background:
        _write(ws, days)
        return ws.get_project(project.id)
    threading.Thread(target=_write, args=(ws, days), name="monitorflow-demo", daemon=True).start()
    return project

"""RemoteWorkspace: a ``Workspace`` whose store is a running ``monitorflow ui`` service (HTTP, httpx).

A flow on another machine writes to the service as it would to a local workspace: every method of
``Workspace`` is there (it is the same class, over :class:`~monitorflow.storage.http.HttpStore`), and
errors come back as the same ``MonitoringError`` subclasses (``ProjectNotFound``, ``SnapshotExists``
...)::

    ws = RemoteWorkspace("http://monitoring.internal:8000", token="...")   # or $MONITORFLOW_TOKEN
    project = ws.search_project("churn")[0]
    ws.add_report(project.id, report, include_data=True)

``pip install 'monitorflow[remote]'`` (httpx) on the client; the service needs ``monitorflow[ui]``.
Importing this module imports no FastAPI.
"""

from __future__ import annotations

from typing import Any

from monitorflow.storage.http import TOKEN_ENV, HttpStore
from monitorflow.workspace import DEFAULT_MAX_SNAPSHOT_BYTES, Workspace, _check_limit


class RemoteWorkspace(Workspace):
    """The Workspace API of the service at ``url``; ``token`` defaults to ``$MONITORFLOW_TOKEN``.

    ``max_snapshot_bytes`` refuses larger snapshots before uploading (default: the service's limit).
    """

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 60.0,
        max_snapshot_bytes: int | None = None,
        transport: Any = None,
        _create: bool = False,
    ) -> None:
        if max_snapshot_bytes is not None:
            _check_limit(max_snapshot_bytes)
        store = HttpStore(url, token, timeout=timeout, transport=transport)
        self._open(
            store, store.url, max_snapshot_bytes or store.max_snapshot_bytes or DEFAULT_MAX_SNAPSHOT_BYTES
        )
        self.url = store.url
        self.service_version = store.service_version

    def __repr__(self) -> str:
        return f"RemoteWorkspace({self.url!r})"


__all__ = ["TOKEN_ENV", "RemoteWorkspace"]

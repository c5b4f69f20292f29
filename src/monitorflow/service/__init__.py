"""The monitorflow service: a REST API and HTML pages over one Workspace (FastAPI + uvicorn).

``monitorflow ui --workspace URI`` runs :func:`main`; from Python, :func:`serve` runs it and
:func:`create_app` gives the ASGI app. FastAPI is imported only when one of these is used
(``pip install 'monitorflow[ui]'``), so ``import monitorflow`` stays light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "main", "serve"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from monitorflow.service.app import create_app  # optional: ui extra (FastAPI)

        return create_app
    if name in ("main", "serve"):
        from monitorflow.service import server  # optional: ui extra (FastAPI)

        return getattr(server, name)
    raise AttributeError(f"module 'monitorflow.service' has no attribute {name!r}")

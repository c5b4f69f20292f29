"""Run the service: ``serve(workspace, host, port, token, insecure, demo)``; ``monitorflow ui`` (options in
:func:`monitorflow.cli.ui`) calls it, and so do :func:`main` and ``python -m monitorflow.service.server``.

Bound beyond loopback it refuses to start without a token unless ``--insecure``. With a token every
route needs it, reads included, unless ``--public-reads``.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from monitorflow.errors import MissingDependencyError
from monitorflow.service.security import TOKEN_ENV, check_binding, is_loopback

log = logging.getLogger("monitorflow.service")


def _uvicorn() -> Any:
    try:
        import fastapi  # noqa: F401  (optional: ui extra)
        import uvicorn  # optional: ui extra
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "fastapi", "ui") from exc
    return uvicorn


def build(
    workspace: Any,
    host: str = "127.0.0.1",
    token: str | None = None,
    insecure: bool = False,
    demo: bool = False,
    max_upload_bytes: int | None = None,
    public_reads: bool = False,
    demo_in_background: bool = False,
) -> Any:
    """The checked, ready app: token from ``MONITORFLOW_TOKEN`` if not given, binding rules, demo data
    (written before returning, or with ``demo_in_background`` while the app already serves)."""
    from monitorflow.service.app import create_app  # optional: ui extra (FastAPI)
    from monitorflow.workspace import Workspace  # lazy: after checks

    token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
    check_binding(host, token, insecure)
    ws = workspace if isinstance(workspace, Workspace) else Workspace.create(workspace)
    if demo:
        from monitorflow.service.demo import complete, ensure_demo_project  # lazy: after checks

        project = ensure_demo_project(ws, background=demo_in_background)
        state = "ready" if complete(project) else "being written in the background (about a minute of CPU)"
        log.warning("demo project %r: /projects/%s, %s", project.name, project.id, state)
    if not is_loopback(host) and token is None:
        log.warning(
            "serving on %s WITHOUT authentication (--insecure): anyone who can reach it can change it", host
        )
    if public_reads and token is not None:
        log.warning("reads are public (--public-reads): dashboards, snapshots and datasets need no token")
    return create_app(ws, token=token, public_reads=public_reads, max_upload_bytes=max_upload_bytes)


def serve(
    workspace: Any = "workspace",
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    insecure: bool = False,
    demo: bool = False,
    *,
    max_upload_bytes: int | None = None,
    log_level: str = "info",
    public_reads: bool = False,
) -> None:
    """Serve the workspace (a URI or a ``Workspace``) until interrupted."""
    uvicorn = _uvicorn()
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s:     %(message)s")
    app = build(
        workspace, host, token, insecure, demo, max_upload_bytes, public_reads, demo_in_background=True
    )
    log.warning("monitorflow ui: open http://%s:%d/", host if ":" not in host else f"[{host}]", port)
    # The ~125k objects alive after start-up (FastAPI, pydantic, pandas, numpy) live as long as the
    # process: take them out of the garbage collector's view, or every full collection rescans them
    # (measured 0.1 s: the slowest dashboard requests). Requests' own objects are collected as usual.
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, date_header=False)


def main(argv: Sequence[str] | None = None) -> int:
    """``monitorflow ui [options]``: the CLI's ``ui`` command; returns the exit code (2 on configuration
    errors)."""
    from monitorflow.cli import main as cli_main  # lazy: the CLI is the layer above; entry point only

    return cli_main(["ui", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())

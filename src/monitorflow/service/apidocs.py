"""``/api/docs`` (Swagger UI) and ``/api/redoc`` (ReDoc), offline and under the service's CSP.

FastAPI's own pages load their scripts from a CDN and start them with an inline script; the
service's content security policy (``script-src 'self'``) blocks both, and the machine may have no
network. Here the assets come from the ``fastapi-offline`` package (installed with the ``ui`` extra)
and are served by the service at ``/static/apidocs/``; ``static/apidocs.js`` starts the viewer
from the page's ``data-`` attributes, so the pages hold no inline script.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from monitorflow.errors import MissingDependencyError
from monitorflow.service.markup import esc

ASSETS_URL = "/static/apidocs"
#: The ReDoc page's policy: the service's, plus ``blob:`` workers (ReDoc indexes its search in one).
REDOC_CSP = (
    "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)


def assets_folder() -> Path:
    """The folder of Swagger UI's and ReDoc's files inside the ``fastapi-offline`` package."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError("fastapi_offline", "ui")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def _page(title: str, head: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f'{head}<script src="/static/apidocs.js" defer></script></head><body style="margin:0">{body}</body>'
        "</html>"
    )


def add_api_docs(app: FastAPI, docs_url: str = "/api/docs", redoc_url: str = "/api/redoc") -> None:
    """Serve the two viewers of ``app.openapi_url`` and their assets (mount before ``/static``)."""
    app.mount(ASSETS_URL, StaticFiles(directory=assets_folder()), name="apidocs")
    spec = esc(app.openapi_url)
    swagger = _page(
        f"{app.title} API",
        f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">'
        f'<script src="{ASSETS_URL}/swagger-ui-bundle.js" defer></script>',
        f'<div id="swagger-ui" data-viewer="swagger" data-spec="{spec}"></div>',
    )
    redoc = _page(
        f"{app.title} API (ReDoc)",
        f'<script src="{ASSETS_URL}/redoc.standalone.js" defer></script>',
        f'<div id="redoc" data-viewer="redoc" data-spec="{spec}"></div>',
    )

    @app.get(docs_url, include_in_schema=False)
    def swagger_page() -> HTMLResponse:
        return HTMLResponse(swagger)

    @app.get(redoc_url, include_in_schema=False)
    def redoc_page() -> HTMLResponse:
        return HTMLResponse(redoc, headers={"Content-Security-Policy": REDOC_CSP})

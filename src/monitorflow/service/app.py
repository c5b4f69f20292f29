"""The FastAPI app: REST API, pages, bundled static files, access rules and error mapping.

>>> import tempfile
>>> from monitorflow.workspace import Workspace
>>> app = create_app(Workspace(tempfile.mkdtemp()))
>>> app.title
'monitorflow'
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from monitorflow.errors import MonitoringError
from monitorflow.service import markup
from monitorflow.service.api import api_router
from monitorflow.service.apidocs import add_api_docs
from monitorflow.service.pages import pages_router
from monitorflow.service.security import COOKIE, Access
from monitorflow.storage.wire import error_payload
from monitorflow.version import __version__
from monitorflow.workspace import Workspace

log = logging.getLogger("monitorflow.service")
STATIC = Path(__file__).parent / "static"
DEFAULT_MAX_DATASET_BYTES = 512 * 1024 * 1024
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'")  # fmt: skip
#: Documents the bearer scheme in OpenAPI; the check itself is ``Access.allows``.
_bearer = HTTPBearer(auto_error=False, description="the service token (--token / MONITORFLOW_TOKEN)")


class _Unauthorized(Exception):
    """Missing or wrong credentials; pages redirect to the login form, the API answers 401."""


#: Worker threads for requests. Each keeps its own SQLite connection (and page cache), so this
#: bounds the service's memory under concurrent load (anyio's default is 40).
REQUEST_THREADS = 8


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    yield


def _no_telemetry() -> dict[str, Any]:
    """FastAPI versions with built-in OpenTelemetry get it switched off: the service sends nothing."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    off = {
        "tracing": False,
        "metrics": False,
        "logs": False,
        "operation_spans": False,
        "auto_configure": False,
    }
    return {"telemetry": off}


def _safe_next(target: str | None) -> str:
    """A local path to return to after login (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def create_app(
    workspace: Workspace,
    *,
    token: str | None = None,
    host: str = "127.0.0.1",
    max_upload_bytes: int | None = None,
    max_dataset_bytes: int = DEFAULT_MAX_DATASET_BYTES,
) -> FastAPI:
    """The app over ``workspace``. ``host`` is where it is bound: beyond loopback, reads need the
    token too. Uploads: snapshot JSON up to ``max_upload_bytes`` (default: the workspace limit),
    datasets up to ``max_dataset_bytes``."""
    access = Access(token=token, host=host)
    auth = "all" if access.reads_protected else ("writes" if token else "none")
    app = FastAPI(title="monitorflow", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", lifespan=_lifespan, **_no_telemetry(),
                  description="Projects, snapshots, datasets and dashboards of a monitorflow workspace.")  # fmt: skip
    app.state.workspace = workspace

    def guard(write: bool) -> Any:
        def check(request: Request, _credentials: Any = Depends(_bearer)) -> None:  # noqa: B008
            if not access.allows(request.headers.get("authorization"), request.cookies.get(COOKIE), write):
                raise _Unauthorized()

        check.__name__ = "write_access" if write else "read_access"
        return check

    read, write = guard(False), guard(True)

    app.include_router(api_router(workspace, read=read, write=write, auth=auth,
                                  max_upload_bytes=max_upload_bytes or workspace.max_snapshot_bytes,
                                  max_dataset_bytes=max_dataset_bytes))  # fmt: skip
    app.include_router(pages_router(workspace, read=read, write=write, writes_open=token is None))
    add_api_docs(app)  # /api/docs and /api/redoc from packaged assets (mounted before /static)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(_Unauthorized)
    async def unauthorized(request: Request, _exc: _Unauthorized) -> Response:
        if request.url.path.startswith("/api/"):
            detail = "missing or wrong token; send 'Authorization: Bearer <token>' (the service's --token)"
            return JSONResponse({"error": "Unauthorized", "detail": detail}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(MonitoringError)
    async def monitoring_error(request: Request, exc: MonitoringError) -> Response:
        status, payload = error_payload(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse(payload, status_code=status)
        return HTMLResponse(markup.error_page(status, payload["detail"]), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "HTTPError", "detail": exc.detail}, status_code=exc.status_code,
                                headers=exc.headers)  # fmt: skip
        return HTMLResponse(markup.error_page(exc.status_code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        detail = f"invalid request: {problems}"
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "ConfigurationError", "detail": detail, "attrs": {"argument": None}},
                                status_code=422)  # fmt: skip
        return HTMLResponse(markup.error_page(422, detail), status_code=422)

    @app.get("/login", include_in_schema=False)
    def login_form(next: str = "/", failed: bool = False) -> HTMLResponse:
        return HTMLResponse(markup.login_page(_safe_next(next), failed, enabled=access.reads_protected))

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = parse_qs((await request.body())[:4096].decode("utf-8", "replace"))
        target = _safe_next((form.get("next") or ["/"])[0])
        if not access.token_matches((form.get("token") or [""])[0]):
            return RedirectResponse(f"/login?failed=1&next={quote(target)}", status_code=303)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, access.session_value(), httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", max_age=12 * 3600)  # fmt: skip
        return response

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", _CSP)
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    return app

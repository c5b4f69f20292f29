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
import re
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
from monitorflow.service.openapi import conform
from monitorflow.service.pages import pages_router
from monitorflow.service.security import COOKIE, SESSION_TTL_S, Access
from monitorflow.storage.wire import error_payload
from monitorflow.version import __version__
from monitorflow.workspace import Workspace

log = logging.getLogger("monitorflow.service")
STATIC = Path(__file__).parent / "static"
DEFAULT_MAX_DATASET_BYTES = 512 * 1024 * 1024
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
#: Documents the bearer scheme in OpenAPI; the check itself is ``Access.allows``.
_bearer = HTTPBearer(auto_error=False, description="the service token (--token / MONITORFLOW_TOKEN)")


class _Unauthorized(Exception):
    """Missing or wrong credentials; pages redirect to the login form, the API answers 401."""


class _Throttled(Exception):
    """Too many wrong tokens from this client: 429 until ``wait`` seconds have passed."""

    def __init__(self, wait: float) -> None:
        self.wait = wait


#: An absolute file path in a message (not part of a URL): what errors must not show to clients.
_PATH = re.compile(r"(?<![\w:/.~>-])/(?:[^\s'\"/:]+/)+[^\s'\"/:,;)]*")


def path_hider(workspace: Workspace) -> Any:
    """``hide(text)``: the workspace's own folders as ``<workspace>`` / ``<index>``, any other absolute
    path as ``<server path>``, so that error messages sent to clients never show the server's files."""
    store = workspace.store
    runner = getattr(getattr(store, "index", None), "runner", None)
    roots = [
        (str(p), name)
        for p, name in (
            (getattr(store, "path", None), "<workspace>"),
            (getattr(runner, "path", None), "<index>"),
        )
        if p
    ]

    def hide(text: str) -> str:
        for root, name in roots:
            text = text.replace(root, name)
        return _PATH.sub("<server path>", text)

    return hide


class _AnswerEveryFailure:
    """ASGI middleware: an unexpected exception becomes a JSON 500 (HTML for pages) that names no
    server detail; the exception goes to the log only. Not re-raised, so the server keeps the
    connection open (Starlette's own handler re-raises, and uvicorn then drops the connection)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise
            detail = "the service failed on this request; the reason is in its log"
            if str(scope.get("path", "")).startswith("/api/"):
                response: Response = JSONResponse(
                    {"error": "InternalError", "detail": detail}, status_code=500
                )
            else:
                response = HTMLResponse(markup.error_page(500, detail), status_code=500)
            await response(scope, receive, send)


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
    public_reads: bool = False,
    max_upload_bytes: int | None = None,
    max_dataset_bytes: int = DEFAULT_MAX_DATASET_BYTES,
) -> FastAPI:
    """The app over ``workspace``. With a ``token`` every route needs it (reads too, on any
    interface) unless ``public_reads`` opens the reads (public dashboards). Uploads: snapshot JSON up
    to ``max_upload_bytes`` (default: the workspace limit), datasets up to ``max_dataset_bytes``."""
    access = Access(token=token, public_reads=public_reads)
    auth = "all" if access.reads_protected else ("writes" if token else "none")
    hide = path_hider(workspace)
    app = FastAPI(
        title="monitorflow",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=_lifespan,
        **_no_telemetry(),
        description="Projects, snapshots, datasets and dashboards of a monitorflow workspace.",
    )
    app.state.workspace = workspace

    def guard(write: bool) -> Any:
        def check(request: Request, _credentials: Any = Depends(_bearer)) -> None:  # noqa: B008
            authorization = request.headers.get("authorization")
            client = request.client.host if request.client else "-"
            presented = access.presented_token(authorization) if token else None
            if presented is not None and (wait := access.throttle.wait(client)) > 0:
                raise _Throttled(wait)  # not even checked: guessing gets no answer while throttled
            if access.allows(authorization, request.cookies.get(COOKIE), write):
                if presented is not None and access.token_matches(presented):
                    access.throttle.succeeded(client)
                return
            if presented is not None:
                access.throttle.failed(client)
            raise _Unauthorized()

        check.__name__ = "write_access" if write else "read_access"
        return check

    read, write = guard(False), guard(True)

    app.add_middleware(_AnswerEveryFailure)
    app.include_router(
        api_router(
            workspace,
            read=read,
            write=write,
            auth=auth,
            max_upload_bytes=max_upload_bytes or workspace.max_snapshot_bytes,
            max_dataset_bytes=max_dataset_bytes,
        )
    )
    app.include_router(
        pages_router(
            workspace, read=read, write=write, writes_open=token is None, sign_out=access.reads_protected
        )
    )
    add_api_docs(app)  # /api/docs and /api/redoc from packaged assets (mounted before /static)
    conform(app, reads_need_token=access.reads_protected, writes_need_token=token is not None)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(_Unauthorized)
    async def unauthorized(request: Request, _exc: _Unauthorized) -> Response:
        if request.url.path.startswith("/api/"):
            detail = "missing or wrong token; send 'Authorization: Bearer <token>' (the service's --token)"
            return JSONResponse(
                {"error": "Unauthorized", "detail": detail},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(_Throttled)
    async def throttled(request: Request, exc: _Throttled) -> Response:
        detail = f"too many wrong tokens from this client; try again in {exc.wait:.0f} s"
        headers = {"Retry-After": str(max(1, round(exc.wait)))}
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": "TooManyAttempts", "detail": detail}, status_code=429, headers=headers
            )
        return HTMLResponse(markup.error_page(429, detail), status_code=429, headers=headers)

    @app.exception_handler(MonitoringError)
    async def monitoring_error(request: Request, exc: MonitoringError) -> Response:
        status, payload = error_payload(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        payload["detail"] = hide(payload["detail"])
        payload["attrs"] = {k: hide(v) if isinstance(v, str) else v for k, v in payload["attrs"].items()}
        if request.url.path.startswith("/api/"):
            return JSONResponse(payload, status_code=status)
        return HTMLResponse(markup.error_page(status, payload["detail"]), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": "HTTPError", "detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return HTMLResponse(markup.error_page(exc.status_code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        detail = f"invalid request: {problems}"
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": "ConfigurationError", "detail": detail, "attrs": {"argument": None}},
                status_code=422,
            )
        return HTMLResponse(markup.error_page(422, detail), status_code=422)

    @app.get("/login", include_in_schema=False)
    def login_form(next: str = "/", failed: bool = False) -> HTMLResponse:
        return HTMLResponse(markup.login_page(_safe_next(next), failed, enabled=access.reads_protected))

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = parse_qs((await request.body())[:4096].decode("utf-8", "replace"))
        target = _safe_next((form.get("next") or ["/"])[0])
        client = request.client.host if request.client else "-"
        if (wait := access.throttle.wait(client)) > 0:
            raise _Throttled(wait)
        if not access.token_matches((form.get("token") or [""])[0]):
            access.throttle.failed(client)
            return RedirectResponse(f"/login?failed=1&next={quote(target)}", status_code=303)
        access.throttle.succeeded(client)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            COOKIE,
            access.new_session(),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=SESSION_TTL_S,
        )
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        """Ends the session: its cookie is refused from now on, also if a copy of it was kept."""
        access.revoke(request.cookies.get(COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
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

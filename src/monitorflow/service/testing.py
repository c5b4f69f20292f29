"""A live service for tests and benchmarks: uvicorn in a thread on a loopback port.

The socket is bound here (port 0 by default: the kernel picks a free port) and handed to uvicorn,
so no other process can take the port between choosing and binding it.

>>> import tempfile
>>> from monitorflow.workspace import Workspace
>>> from monitorflow.service.app import create_app
>>> with running(create_app(Workspace(tempfile.mkdtemp()))) as url:
...     url.startswith("http://127.0.0.1:")
True
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago: only for a process that must be told a number (it may be taken
    before that process binds it; prefer :func:`running`, or port 0 and reading the bound port back)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(app: Any, host: str = "127.0.0.1", port: int = 0, timeout: float = 20.0) -> Iterator[str]:
    """Serve ``app`` in a background thread on ``host:port`` (0: any free port); yields its base URL
    and stops it on exit."""
    import uvicorn  # optional: ui extra

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"monitorflow-service-{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + timeout
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                raise RuntimeError(f"the service did not start on {host}:{port} within {timeout} s")
            time.sleep(0.02)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()

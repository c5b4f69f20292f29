"""A live service for tests and benchmarks: uvicorn in a thread on a free loopback port.

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
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(
    app: Any, host: str = "127.0.0.1", port: int | None = None, timeout: float = 20.0
) -> Iterator[str]:
    """Serve ``app`` in a background thread; yields its base URL and stops it on exit."""
    import uvicorn  # optional: ui extra

    port = port or free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"monitorflow-service-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the service did not start on {host}:{port} within {timeout} s")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)

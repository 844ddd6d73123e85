"""Serving a WSGI app (the emulator, the pipeline) from a background thread.

werkzeug's threaded server: enough for a laptop and CI, bound to 127.0.0.1 by default.
"""

from __future__ import annotations

import errno
import socket
import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server


def ensure_port_free(host: str, port: int) -> None:
    """Raise OSError (EADDRINUSE) when something listens on ``host:port``.

    Servers here set SO_REUSEADDR, so the probe does too: a port left in TIME_WAIT by the
    previous run is free for them. (werkzeug would print and exit on a taken port; moto's
    server thread would die and leave its caller waiting.)
    """
    if not port:
        return
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise OSError(errno.EADDRINUSE, f"{host}:{port} is already in use") from exc


class BackgroundServer:
    """An HTTP server for ``app``; ``port=0`` picks a free port."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, name: str = "http"):
        ensure_port_free(host, port)
        self.app = app
        self.name = name
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def serve_forever(self) -> None:
        """Serve on the calling thread until :meth:`stop` (or an interrupt)."""
        self._server.serve_forever()

    def start(self) -> BackgroundServer:
        """Serve from a daemon thread."""
        # A short poll interval makes stop() quick; the idle cost is negligible.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name=self.name, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

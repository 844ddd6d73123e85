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


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port`` (``port=0``: a free one), to hand to
    :class:`BackgroundServer` once its app exists: its URL is known before the app is built.

    Raises:
        OSError: (EADDRINUSE) the port is taken.
    """
    ensure_port_free(host, port)
    sock = socket.socket()
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


class BackgroundServer:
    """An HTTP server for ``app``; ``port=0`` picks a free port.

    Args:
        listener: a socket from :func:`listen` to serve on instead of binding ``host:port``;
            the server takes it over (and closes it when it stops).
    """

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        name: str = "http",
        listener: socket.socket | None = None,
    ):
        self.app = app
        self.name = name
        if listener is None:
            ensure_port_free(host, port)
            self._server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        else:
            host, port = listener.getsockname()[:2]
            # werkzeug serves on a duplicate of the descriptor; ours is closed right away.
            with listener:
                self._server = make_server(host, port, app, threaded=True, fd=listener.fileno())
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def start(self) -> BackgroundServer:
        """Serve from a daemon thread."""
        # A short poll interval makes stop() quick; the idle cost is negligible.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name=self.name, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        # shutdown() waits for a serve_forever loop: one that never started would never end.
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

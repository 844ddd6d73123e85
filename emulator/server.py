"""Serving the emulator over HTTP with werkzeug's threaded server (127.0.0.1 by default)."""

from __future__ import annotations

import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


class EmulatorServer:
    """An HTTP server for an emulator app; ``port=0`` picks a free port."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def start(self) -> EmulatorServer:
        """Serve from a background thread."""
        # A short poll interval makes stop() quick; idle cost is negligible.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="emulator-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and stop the emulator's own threads."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.app.extensions["emulator"].close()

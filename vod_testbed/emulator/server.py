"""Serving the emulator over HTTP (127.0.0.1 by default)."""

from __future__ import annotations

import socket
from collections.abc import Iterable

from flask import Flask

from vod_testbed.common.serving import BackgroundServer


class EmulatorServer(BackgroundServer):
    """An HTTP server for an emulator app; stopping it also stops the emulator's threads.

    ``listener``: a socket from :func:`vod_testbed.common.serving.listen` to serve on. It
    serves with the app's ``EMULATOR_HTTP_THREADS`` threads.
    """

    def __init__(
        self,
        app: Flask,
        host: str = "127.0.0.1",
        port: int = 0,
        listener: socket.socket | None = None,
        allowed: Iterable[str] | None = None,
    ) -> None:
        threads = app.extensions["emulator"].settings.http_threads
        super().__init__(
            app,
            host,
            port,
            name="emulator-http",
            threads=threads,
            listener=listener,
            allowed=allowed,
        )

    def start(self) -> EmulatorServer:
        super().start()
        return self

    def stop(self) -> None:
        super().stop()
        self.app.extensions["emulator"].close()

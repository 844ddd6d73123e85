"""Serving a WSGI app (the emulator, the pipeline, the embedded S3) from a background thread.

waitress, a production server: a fixed pool of worker threads (a slow or half-open
connection holds no thread - waitress reads requests in its event loop and hands complete
ones to the pool), idle connections closed after ``channel_timeout_s``, request bodies
bounded. Bound to 127.0.0.1 by default; every app is wrapped in the Host check of
:mod:`vod_testbed.common.hosts`.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
from collections.abc import Iterable
from typing import Any, cast

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server

from vod_testbed.common.hosts import ErrorRenderer, HostCheck, allowed_hosts, json_error

DEFAULT_THREADS = 8
DEFAULT_CHANNEL_TIMEOUT_S = 30
DEFAULT_MAX_BODY_BYTES = 16 * 2**20

log = logging.getLogger(__name__)

# waitress logs every "client disconnected" and queue-depth note at INFO/WARNING.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


class _Channel(HTTPChannel):
    def send_continue(self) -> None:
        # waitress 3 marks a request incomplete once it sent "100 Continue" and waits for
        # its body; a bodiless one (boto3 PUTs an empty object with Expect: 100-continue)
        # would then hang until the channel times out. It needs no go-ahead: answer it.
        request = self.request
        if request is not None and request.content_length == 0 and not request.chunked:
            request.expect_continue = False
            return
        super().send_continue()


def ensure_port_free(host: str, port: int) -> None:
    """Raise OSError (EADDRINUSE) when something listens on ``host:port``.

    Servers here set SO_REUSEADDR, so the probe does too: a port left in TIME_WAIT by the
    previous run is free for them.
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
        # waitress's event loop expects a non-blocking listening socket.
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


class BackgroundServer:
    """An HTTP server for ``app``; ``port=0`` picks a free port.

    Args:
        app: the WSGI application.
        host, port: where to listen.
        name: the serving thread's name.
        allowed: host names the server answers to (default: :func:`hosts.allowed_hosts`).
        render_error: the body of a refused Host (default JSON).
        threads: worker threads (requests served at once).
        channel_timeout_s: idle connections are closed after this long.
        max_body_bytes: larger request bodies are refused (413).
        listener: a socket from :func:`listen` to serve on instead of binding ``host:port``;
            the server takes it over and closes it when it stops.
    """

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        name: str = "http",
        *,
        allowed: Iterable[str] | None = None,
        render_error: ErrorRenderer = json_error,
        threads: int = DEFAULT_THREADS,
        channel_timeout_s: int = DEFAULT_CHANNEL_TIMEOUT_S,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        listener: socket.socket | None = None,
    ) -> None:
        if listener is None:
            ensure_port_free(host, port)
            where: dict[str, Any] = {"host": host, "port": port}
        else:
            host = listener.getsockname()[0]
            where = {"sockets": [listener]}
        self.app = app
        self.name = name
        checked = HostCheck(app, allowed_hosts(host) if allowed is None else allowed, render_error)
        # Any: waitress's types name a MultiSocketServer too, which one listen address never is.
        self._server: Any = cast(Any, create_server)(
            checked,
            **where,
            threads=threads,
            channel_timeout=channel_timeout_s,
            cleanup_interval=max(1, min(30, channel_timeout_s)),
            max_request_body_size=max_body_bytes,
            connection_limit=256,
            asyncore_use_poll=True,
            ident=name,
            clear_untrusted_proxy_headers=True,
        )
        self._server.channel_class = _Channel
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        port: int = self._server.effective_port
        return port

    @property
    def url(self) -> str:
        return f"http://{self._server.effective_host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve on the calling thread until :meth:`stop` (or an interrupt)."""
        self._server.run()

    def start(self) -> BackgroundServer:
        """Serve from a daemon thread."""
        self._thread = threading.Thread(target=self._server.run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, let requests in progress finish (up to 5 s), then close every
        connection and end the serving thread."""
        server = self._server
        if self._thread is None or not self._thread.is_alive():
            server.task_dispatcher.shutdown(timeout=5)
            server.close()
            return
        # Sockets are closed from the event loop's own thread, never under its feet.
        self._in_loop(lambda: wasyncore.dispatcher.close(server))  # the listening socket
        server.task_dispatcher.shutdown(timeout=5)

        def close_all() -> None:
            for channel in list(server._map.values()):
                channel.close()
            server._map.clear()

        self._in_loop(close_all)
        self._thread.join(timeout=5)

    def _in_loop(self, action: Any) -> None:
        done = threading.Event()

        def run() -> None:
            try:
                action()
            finally:
                done.set()

        try:
            self._server.trigger.pull_trigger(run)
        except OSError as exc:
            # The loop's wake-up pipe is gone (its loop has ended): nothing runs under its
            # feet any more, so the action runs here rather than leave sockets open.
            log.warning(
                "%s: event loop not reachable (%s); closing from this thread", self.name, exc
            )
            run()
            return
        done.wait(5)

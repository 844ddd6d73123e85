"""Serving a WSGI app (the emulator, the pipeline, the embedded S3) from a background thread.

waitress, a production server: a fixed pool of worker threads (a slow or half-open
connection holds no thread - waitress reads requests in its event loop and hands complete
ones to the pool), idle connections closed after ``channel_timeout_s``, request bodies
bounded. Bound to 127.0.0.1 by default; every app is wrapped in the Host check of
:mod:`vod_testbed.common.hosts`.

Two things waitress 3 does not do are added at its documented seams (``channel_class``,
the channel's ``parser_class`` and ``task_class``, the server's ``maintenance`` hook), in
the small classes below (docs/ARCHITECTURE.md, "Serving, threads and caches"):

* **A header deadline** (slowloris): waitress's ``channel_timeout`` counts idle time only,
  so a client sending one header line every few seconds held a connection for ever, and
  257 such clients took all 256 connections. A request whose headers are not all in within
  ``header_timeout_s`` of its first byte (or of the connection's opening) is closed, and
  within a second once nine connections in ten are taken (so opening connections faster
  than the deadline frees them takes nothing from real clients for long); the connection
  limit is raised to ``connection_limit`` (the event loop uses ``poll``, and the process's
  descriptor limit is raised to fit).
* **Refusal before the body** (``screen``): waitress buffers a whole body before the app
  runs, so an anonymous 400 MiB PUT was spooled before its 403. Once a request's headers
  are parsed, and before a byte of its body is read, ``screen`` (the app's header check)
  may answer it; the body is then never read and the connection is closed.

Of the maintained Python servers none offers both: waitress, cheroot and gunicorn's
workers have idle timeouts only, and the ASGI servers would mean another app model.
"""

from __future__ import annotations

import errno
import functools
import logging
import resource
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.task import WSGITask

from vod_testbed.common.hosts import ErrorRenderer, HostCheck, allowed_hosts, json_error

DEFAULT_THREADS = 8
DEFAULT_CHANNEL_TIMEOUT_S = 30
DEFAULT_MAX_BODY_BYTES = 16 * 2**20
# A local client sends its headers at once; a few seconds is slack for a loaded machine.
DEFAULT_HEADER_TIMEOUT_S = 5.0
# Open connections per server (waitress's default is 100; ours was 256, which 257
# slowloris sockets filled). Each is one descriptor and no thread.
DEFAULT_CONNECTION_LIMIT = 1000
# With this share of the connections open, the header deadline shortens to this.
CROWDED = 0.9
CROWDED_HEADER_TIMEOUT_S = 1.0

# What a server's ``screen`` is given and answers: the request's WSGI environ before its
# body is read, and a WSGI app answering the refusal (None: go on and read the body).
Screen = Callable[[Mapping[str, Any]], Any]
# The environ key under which a screened request carries the app that answers it.
_REFUSAL = "vod_testbed.refusal"

log = logging.getLogger(__name__)

# waitress logs every "client disconnected" and queue-depth note at INFO/WARNING.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


class _Parser(HTTPRequestParser):
    """waitress's request parser, told the moment the headers are complete.

    It remembers when the request's first byte came (for the header deadline), and, when
    a body is to follow, hands the request to the server's ``screen`` before reading any
    of it: a refused request is marked complete with no body (so waitress neither reads
    nor buffers it, nor sends ``100 Continue``), carries the refusal to the app, and closes
    its connection once answered.
    """

    refusal: Any = None

    def __init__(self, adj: Any, *, channel: _Channel) -> None:
        super().__init__(adj)
        self.channel = channel
        self.started = time.monotonic()

    def received(self, data: bytes) -> int:
        had_headers = self.headers_finished
        consumed: int = super().received(data)
        if had_headers or not self.headers_finished:
            return consumed
        self.channel.headers_complete = True
        screen: Screen | None = getattr(self.channel.server, "screen", None)
        # Only a request whose body is still to come needs screening: any other is
        # complete already, and the app's own check answers it.
        if screen is None or self.completed or self.error is not None:
            return consumed
        try:
            refusal = screen(WSGITask(self.channel, cast(Any, self)).get_environment())
        except Exception:
            log.exception("%s: screening a request failed", self.channel.server.adj.ident)
            refusal = None
        if refusal is None:
            return consumed
        self.refusal = refusal
        self.completed = True
        self.expect_continue = False
        self.body_rcv = None
        self.content_length = 0
        cast(dict[str, str], self.headers)["CONNECTION"] = "close"
        # The rest of this read is the refused body's first bytes: dropped, not parsed as
        # the next request (the connection closes after the answer anyway).
        return len(data)


class _Task(WSGITask):
    """Hands a screened request's refusal to the app chain (see :class:`_Screened`)."""

    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        refusal = getattr(self.request, "refusal", None)
        if refusal is not None:
            environ[_REFUSAL] = refusal
        return environ


class _Channel(HTTPChannel):
    task_class = _Task

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Before the base class: it registers the channel, and maintenance may run.
        self.opened = time.monotonic()
        self.headers_complete = False  # of any request on this connection yet
        self.parser_class = cast(Any, functools.partial(_Parser, channel=self))
        super().__init__(*args, **kwargs)

    def headers_started(self) -> float | None:
        """Since when this connection owes the server a request's headers: the first byte
        of a request in progress, else the opening of a connection that has sent none.
        None: nothing owed (a request is being answered, or the connection idles between
        requests, which ``channel_timeout`` bounds)."""
        request = self.request
        if isinstance(request, _Parser) and not request.headers_finished:
            return request.started
        if request is None and not self.requests and not self.headers_complete:
            return self.opened
        return None

    def send_continue(self) -> None:
        # waitress 3 marks a request incomplete once it sent "100 Continue" and waits for
        # its body; a bodiless one (boto3 PUTs an empty object with Expect: 100-continue)
        # would then hang until the channel times out. It needs no go-ahead: answer it.
        request = self.request
        if request is not None and request.content_length == 0 and not request.chunked:
            request.expect_continue = False
            return
        super().send_continue()


class _Screened:
    """The app, unless the request was refused on its headers: then the refusal answers."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        refusal = environ.get(_REFUSAL)
        return (refusal or self.app)(environ, start_response)


def _raise_descriptor_limit(wanted: int) -> None:
    """Raise the process's soft limit of open files towards ``wanted`` (capped by the hard
    limit): each connection is a descriptor, and the default soft limit is often 1024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as exc:
            log.warning("could not raise the open-file limit to %d: %s", target, exc)


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
        sock.listen(1024)
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
        header_timeout_s: a connection that has not sent a request's whole headers this
            long after its first byte (or after opening) is closed (tests shorten it).
        connection_limit: open connections at once; more wait in the listen backlog.
        screen: called with a request's environ once its headers are in, before its body
            is read; a WSGI app it returns answers the request instead (see the module
            docstring). Only requests with a body are screened.
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
        header_timeout_s: float = DEFAULT_HEADER_TIMEOUT_S,
        connection_limit: int = DEFAULT_CONNECTION_LIMIT,
        screen: Screen | None = None,
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
        self.header_timeout_s = header_timeout_s
        self.connection_limit = connection_limit
        hosts = allowed_hosts(host) if allowed is None else allowed
        checked = HostCheck(_Screened(app), hosts, render_error)
        # Three servers in one process, each with its connections, plus files and pipes.
        _raise_descriptor_limit(4 * connection_limit + 1024)
        # Any: waitress's types name a MultiSocketServer too, which one listen address never is.
        self._server: Any = cast(Any, create_server)(
            checked,
            **where,
            threads=threads,
            channel_timeout=channel_timeout_s,
            # Maintenance (idle channels, the header deadline) runs every second.
            cleanup_interval=1,
            max_request_body_size=max_body_bytes,
            connection_limit=connection_limit,
            # poll, not select: select cannot watch a descriptor numbered 1024 or more.
            asyncore_use_poll=True,
            ident=name,
            clear_untrusted_proxy_headers=True,
        )
        self._server.channel_class = _Channel
        self._server.screen = screen
        # waitress's maintenance hook (run from its event loop every cleanup_interval):
        # its own idle-timeout sweep, then the header deadline.
        self._idle_sweep = self._server.maintenance
        self._server.maintenance = self._maintenance
        self._thread: threading.Thread | None = None

    def _maintenance(self, now: float) -> None:
        self._idle_sweep(now)
        channels = list(self._server.active_channels.values())
        # Nearly full (someone opens connections faster than the deadline closes them):
        # a request's headers are then due within a second, which any real client meets.
        crowded = len(channels) >= CROWDED * self.connection_limit
        cutoff = time.monotonic() - (CROWDED_HEADER_TIMEOUT_S if crowded else self.header_timeout_s)
        late = 0
        for channel in channels:
            started = channel.headers_started() if isinstance(channel, _Channel) else None
            if started is not None and started < cutoff and not channel.will_close:
                channel.will_close = True
                late += 1
        if late:
            log.info(
                "%s: closed %d connection(s) that sent no complete headers in time%s",
                self.name,
                late,
                " (nearly every connection taken)" if crowded else "",
            )

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

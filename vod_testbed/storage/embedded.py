"""An S3 server inside this process (moto's S3 over real HTTP), for machines with no S3
endpoint configured (docs/ARCHITECTURE.md, "Storage"). It keeps every object in memory:
data is gone when the process exits.

It is served like the other servers (waitress, Host check) and, unlike moto alone, checks
every request's SigV4 signature against the credentials it is given - a random pair per
start unless the caller names one, never a well-known key: unsigned, tampered and expired
requests fail as they would on AWS or MinIO (:mod:`vod_testbed.storage.s3_auth`). It reads
and writes no environment variable: its clients get the pair from :class:`EmbeddedS3`.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from moto.moto_server import werkzeug_app
from moto.server import create_backend_app

from vod_testbed.common.serving import BackgroundServer
from vod_testbed.storage.s3_auth import SignedS3, render_host_error

log = logging.getLogger(__name__)

# One PUT to S3 is at most 5 GiB; uploads are bounded by the presigned Content-Length anyway.
MAX_OBJECT_BYTES = 5 * 2**30 + 2**20


_MOTO_APP_LOCK = threading.Lock()


def moto_s3_app() -> Any:
    """moto's S3 app without the CORS layer moto's server puts on every app (flask-cors,
    allowing every ``Origin`` on every answer): CORS is then answered as S3 answers it,
    from the bucket's own rules only, which moto's S3 evaluates (the stack sets the
    console's origins; nothing else is allowed). ``DISABLE_GLOBAL_CORS`` is moto's switch
    for this (``MOTO_DISABLE_GLOBAL_CORS``), read when the app is built: it is set for that
    moment only, not through the process's environment."""
    with _MOTO_APP_LOCK:
        previous = werkzeug_app.DISABLE_GLOBAL_CORS
        werkzeug_app.DISABLE_GLOBAL_CORS = True
        try:
            return create_backend_app("s3")
        finally:
            werkzeug_app.DISABLE_GLOBAL_CORS = previous


def new_credentials() -> tuple[str, str]:
    """A random (access key id, secret access key) pair, shaped like AWS's, for one run."""
    return "AKIA" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30)


@dataclass
class EmbeddedS3:
    """A running embedded server; ``endpoint_url`` is what S3 clients should use, signing
    with ``access_key_id`` / ``secret_access_key``."""

    server: BackgroundServer
    endpoint_url: str
    access_key_id: str
    secret_access_key: str = field(repr=False)

    def stop(self) -> None:
        self.server.stop()


def start_embedded_s3(
    host: str = "127.0.0.1",
    port: int = 0,
    credentials: Mapping[str, str] | None = None,
    clock: Callable[[], float] | None = None,
    *,
    any_credentials: bool = False,
    allowed: Iterable[str] | None = None,
) -> EmbeddedS3:
    """Start the server (``port=0`` picks a free port).

    Args:
        host, port: where to listen.
        credentials: secret by access key id that requests may be signed with; default a
            random pair (:func:`new_credentials`). The first pair is the one
            :class:`EmbeddedS3` hands to clients.
        clock: the current time in Unix seconds, for signature ages (tests).
        any_credentials: accept any request, signed or not, as moto alone does (the
            documented switch for tests that want no checks; see ``docs/ARCHITECTURE.md``,
            "Storage").
        allowed: the host names it answers to (default: ``common/hosts.py``'s
            ``allowed_hosts`` of the environment's settings).

    Raises:
        OSError: (EADDRINUSE) the port is taken.
    """
    if not credentials:
        credentials = dict([new_credentials()])
    access_key_id, secret_access_key = next(iter(credentials.items()))
    # moto's S3 alone: its server's dispatcher would also answer every other AWS service
    # and its /moto-api (state dumps, a request recorder) to anyone who reaches the port.
    app = SignedS3(moto_s3_app(), credentials, clock, verify=not any_credentials)
    server = BackgroundServer(
        app,
        host,
        port,
        name="embedded-s3",
        render_error=render_host_error,
        max_body_bytes=MAX_OBJECT_BYTES,
        screen=app.screen,
        allowed=allowed,
    ).start()
    log.info(
        "embedded S3 server (in memory, lost on exit) at %s%s",
        server.url,
        "; any credentials accepted" if any_credentials else "",
    )
    return EmbeddedS3(server, server.url, access_key_id, secret_access_key)


@contextmanager
def embedded_s3(host: str = "127.0.0.1", port: int = 0) -> Iterator[EmbeddedS3]:
    s3 = start_embedded_s3(host, port)
    try:
        yield s3
    finally:
        s3.stop()

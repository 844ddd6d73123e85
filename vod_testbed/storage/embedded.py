"""An S3 server inside this process (moto's S3 over real HTTP), for machines with no S3
endpoint configured (docs/ARCHITECTURE.md, "Storage"). It keeps every object in memory:
data is gone when the process exits.

It is served like the other servers (waitress, Host check) and, unlike moto alone, checks
every request's SigV4 signature against the credentials the process's clients use
(``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``; ``testing``/``testing`` when unset):
unsigned, tampered and expired requests fail as they would on AWS or MinIO
(:mod:`vod_testbed.storage.s3_auth`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from moto.server import create_backend_app

from vod_testbed.common.serving import BackgroundServer
from vod_testbed.storage.s3_auth import SignedS3, render_host_error

log = logging.getLogger(__name__)

# boto3 insists on credentials; these are what the server accepts when none are set.
DUMMY_ACCESS_KEY_ID = "testing"
DUMMY_SECRET_ACCESS_KEY = "testing"  # noqa: S105 - a well-known local default, not a secret
_DEFAULT_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": DUMMY_ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET_ACCESS_KEY,
}
# One PUT to S3 is at most 5 GiB; uploads are bounded by the presigned Content-Length anyway.
MAX_OBJECT_BYTES = 5 * 2**30 + 2**20


@dataclass
class EmbeddedS3:
    """A running embedded server; ``endpoint_url`` is what S3 clients should use."""

    server: BackgroundServer
    endpoint_url: str

    def stop(self) -> None:
        self.server.stop()


def start_embedded_s3(
    host: str = "127.0.0.1",
    port: int = 0,
    credentials: Mapping[str, str] | None = None,
    clock: Callable[[], float] | None = None,
) -> EmbeddedS3:
    """Start the server (``port=0`` picks a free port).

    Args:
        host, port: where to listen.
        credentials: secret by access key id that requests may be signed with; default the
            environment's pair (set to ``testing``/``testing`` first when unset).
        clock: the current time in Unix seconds, for signature ages (tests).

    Raises:
        OSError: (EADDRINUSE) the port is taken.
    """
    if credentials is None:
        for key, value in _DEFAULT_CREDENTIALS.items():
            os.environ.setdefault(key, value)
        credentials = {os.environ["AWS_ACCESS_KEY_ID"]: os.environ["AWS_SECRET_ACCESS_KEY"]}
    # moto's S3 alone: its server's dispatcher would also answer every other AWS service
    # and its /moto-api (state dumps, a request recorder) to anyone who reaches the port.
    app = SignedS3(create_backend_app("s3"), credentials, clock)
    server = BackgroundServer(
        app,
        host,
        port,
        name="embedded-s3",
        render_error=render_host_error,
        max_body_bytes=MAX_OBJECT_BYTES,
    ).start()
    log.info("embedded S3 server (in memory, lost on exit) at %s", server.url)
    return EmbeddedS3(server, server.url)


@contextmanager
def embedded_s3(host: str = "127.0.0.1", port: int = 0) -> Iterator[EmbeddedS3]:
    s3 = start_embedded_s3(host, port)
    try:
        yield s3
    finally:
        s3.stop()

"""An S3 server inside this process (moto's server mode over real HTTP), for machines with
no S3 endpoint configured (docs/ARCHITECTURE.md, "Storage"). It keeps every object in
memory: data is gone when the process exits.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from moto.server import ThreadedMotoServer

from vod_testbed.common.serving import ensure_port_free

log = logging.getLogger(__name__)

# moto accepts any credentials; boto3 still insists on having some.
DUMMY_ACCESS_KEY_ID = "testing"
DUMMY_SECRET_ACCESS_KEY = "testing"  # noqa: S105 - not a secret: the server checks none
_DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": DUMMY_ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET_ACCESS_KEY,
}


@dataclass
class EmbeddedS3:
    """A running embedded server; ``endpoint_url`` is what S3 clients should use."""

    server: ThreadedMotoServer
    endpoint_url: str

    def stop(self) -> None:
        self.server.stop()


def start_embedded_s3(
    host: str = "127.0.0.1", port: int = 0, *, export_credentials: bool = True
) -> EmbeddedS3:
    """Start the server (``port=0`` picks a free port).

    Args:
        export_credentials: put dummy credentials in ``os.environ`` when it has none, for
            callers whose clients read them from there; callers that pass credentials to
            their clients say False.

    Raises:
        OSError: (EADDRINUSE) the port is taken.
    """
    ensure_port_free(host, port)
    if export_credentials:
        for key, value in _DUMMY_CREDENTIALS.items():
            os.environ.setdefault(key, value)
    # One access-log line per object request drowns everything else.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    bound_host, bound_port = server.get_host_and_port()
    endpoint = f"http://{bound_host}:{bound_port}"
    log.info("embedded S3 server (in memory, lost on exit) at %s", endpoint)
    return EmbeddedS3(server, endpoint)


@contextmanager
def embedded_s3(host: str = "127.0.0.1", port: int = 0) -> Iterator[EmbeddedS3]:
    s3 = start_embedded_s3(host, port)
    try:
        yield s3
    finally:
        s3.stop()

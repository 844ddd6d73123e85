"""Network helpers shared by tests and benchmarks."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

from tests.support.polling import eventually
from vod_testbed.common.serving import BackgroundServer


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(app: Any, port: int = 0, name: str = "test-server") -> Iterator[str]:
    """``app`` (any WSGI app) served on 127.0.0.1 by the project's own server until the block
    ends; yields its base URL. Stopping takes milliseconds, not a poll interval."""
    server = BackgroundServer(app, "127.0.0.1", port, name=name).start()
    try:
        yield server.url
    finally:
        server.stop()


def listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def wait_for_port(port: int, timeout_s: float = 10.0) -> None:
    eventually(lambda: listens(port), timeout_s, 0.05, what=f"a listener on 127.0.0.1:{port}")


def start_s3_process() -> tuple[subprocess.Popen[bytes], str]:
    """moto's S3 server in a child process (so its memory is not the caller's)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
    except AssertionError:
        proc.kill()
        raise
    return proc, f"http://127.0.0.1:{port}"

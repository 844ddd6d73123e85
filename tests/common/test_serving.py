"""Stopping a server: whatever state its event loop is in, stop() ends with nothing
listening and never raises."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from vod_testbed.common.serving import BackgroundServer


def hello(environ: dict[str, Any], start_response: Callable[..., object]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def test_a_stopped_server_no_longer_listens() -> None:
    server = BackgroundServer(hello).start()
    port = server.port
    server.stop()
    assert refuses_connections(port)


def test_a_server_whose_wake_up_pipe_is_gone_still_stops() -> None:
    server = BackgroundServer(hello).start()
    port = server.port
    server._server.trigger.close()  # what an event loop that has died leaves behind
    server.stop()
    assert refuses_connections(port)

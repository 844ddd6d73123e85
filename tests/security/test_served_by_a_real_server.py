"""Served by a real server (waitress): half-open connections hold no thread, idle ones are
closed after the channel timeout, bodies are bounded, and the servers stay quick."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from flask import Flask, request

from vod_testbed.common.serving import BackgroundServer


def echo_app() -> Flask:
    app = Flask("echo")

    @app.route("/", methods=["GET", "POST"])
    def echo() -> str:
        return f"{len(request.get_data())} bytes"

    return app


@pytest.fixture
def server() -> Iterator[BackgroundServer]:
    served = BackgroundServer(echo_app(), channel_timeout_s=1, max_body_bytes=1024).start()
    yield served
    served.stop()


def half_open(server: BackgroundServer) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
    return conn


def test_half_open_connections_hold_no_thread_and_the_server_still_answers(
    server: BackgroundServer,
) -> None:
    threads_before = threading.active_count()
    stalled = [half_open(server) for _ in range(100)]
    try:
        started = time.monotonic()
        assert requests.get(server.url, timeout=5).text == "0 bytes"
        assert time.monotonic() - started < 2
        assert threading.active_count() - threads_before < 5
    finally:
        for conn in stalled:
            conn.close()


def test_an_idle_connection_is_closed_after_the_channel_timeout(server: BackgroundServer) -> None:
    conn = half_open(server)
    started = time.monotonic()
    try:
        assert conn.recv(1024) == b""  # the server hung up
    finally:
        conn.close()
    assert time.monotonic() - started < 8


def test_a_body_over_the_limit_is_refused(server: BackgroundServer) -> None:
    answer = requests.post(server.url, data=b"x" * 4096, timeout=5)
    assert answer.status_code == 413
    assert requests.post(server.url, data=b"x" * 512, timeout=5).text == "512 bytes"


def test_a_bodiless_request_expecting_100_continue_is_answered_at_once(
    server: BackgroundServer,
) -> None:
    # boto3 PUTs an empty object this way; waitress alone waits for a body that never comes.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as conn:
        conn.sendall(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
            b"Content-Length: 0\r\n\r\n"
        )
        answer = b""
        while not answer.endswith(b"0 bytes"):  # the body may come in its own segment
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert answer.endswith(b"0 bytes")

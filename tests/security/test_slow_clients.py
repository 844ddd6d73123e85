"""Servers that a slow client cannot hold: with 300 slowloris connections open on each of
the three servers of a stack (pipeline API, emulator, embedded S3), each still answers a
normal request within 1 s; and a connection that has not sent its whole request headers
within the header deadline is closed, however it drips them."""

from __future__ import annotations

import socket
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config

from vod_testbed.common.serving import BackgroundServer
from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import Stack, start_stack

pytestmark = pytest.mark.e2e

SLOWLORIS = 300
HEADER_TIMEOUT_S = 1.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    settings = StackSettings(
        data_dir=tmp_path_factory.mktemp("slow"), s3_port=0, emulator_port=0, api_port=0
    )
    with start_stack(settings) as running:
        yield running


def slowloris(url: str) -> socket.socket:
    """A connection that sent the start of a request's headers, and will send no more."""
    parts = urllib.parse.urlsplit(url)
    assert parts.port is not None
    sock = socket.create_connection(("127.0.0.1", parts.port), timeout=5)
    sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {parts.netloc}\r\nX-Slow: 1\r\n".encode())
    return sock


def timed(call: Any) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def test_each_server_answers_within_1_s_beside_300_slowloris_connections(stack: Stack) -> None:
    assert stack.endpoints is not None
    endpoints = stack.endpoints
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoints.s3,
        region_name=stack.region,
        config=Config(
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1},
            connect_timeout=2,
            read_timeout=2,
        ),
        aws_access_key_id=stack.credentials()["aws_access_key_id"],
        aws_secret_access_key=stack.credentials()["aws_secret_access_key"],
    )
    s3.head_bucket(Bucket=stack.bucket)  # the client is built and warm before the attack
    held = [slowloris(url) for url in (endpoints.pipeline, endpoints.emulator, endpoints.s3)
            for _ in range(SLOWLORIS)]  # fmt: skip
    try:
        durations = {
            "pipeline": timed(
                lambda: requests.get(f"{endpoints.pipeline}/healthz", timeout=2).raise_for_status()
            ),
            "emulator": timed(
                lambda: requests.get(f"{endpoints.emulator}/healthz", timeout=2).raise_for_status()
            ),
            "s3": timed(lambda: s3.head_bucket(Bucket=stack.bucket)),
        }
    finally:
        for sock in held:
            sock.close()
    assert all(seconds < 1.0 for seconds in durations.values()), durations


def hello(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


@pytest.fixture(scope="module")
def quick_server() -> Iterator[BackgroundServer]:
    server = BackgroundServer(hello, name="header-deadline", header_timeout_s=HEADER_TIMEOUT_S)
    server.start()
    yield server
    server.stop()


def closed_after(sock: socket.socket, drip: bytes | None, limit_s: float) -> float:
    """Seconds until the server closes ``sock``; ``drip`` is sent again every 0.25 s of
    silence (a header line at a time, as slowloris does)."""
    started = time.monotonic()
    sock.settimeout(0.25)
    with sock:
        while time.monotonic() - started < limit_s:
            try:
                data = sock.recv(4096)
            except TimeoutError:
                if drip is not None:
                    sock.sendall(drip)
                continue
            except ConnectionResetError:
                return time.monotonic() - started
            if not data:
                return time.monotonic() - started
    raise AssertionError(f"still open after {limit_s} s")


@pytest.mark.parametrize(
    ("first", "drip"),
    [
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-Slow: 1\r\n"),  # one line at a time
        (b"GET / HTTP/1.1\r\n", None),  # then silence
        (b"", None),  # nothing at all
    ],
)
def test_a_connection_without_its_headers_is_closed_at_the_deadline(
    quick_server: BackgroundServer, first: bytes, drip: bytes | None
) -> None:
    sock = socket.create_connection(("127.0.0.1", quick_server.port), timeout=5)
    if first:
        sock.sendall(first)
    seconds = closed_after(sock, drip, limit_s=HEADER_TIMEOUT_S + 4)
    assert HEADER_TIMEOUT_S - 0.1 <= seconds <= HEADER_TIMEOUT_S + 2.5


def read_answer(sock: socket.socket) -> bytes:
    """One answer of ``hello`` (its headers and 5-byte body), however it is split."""
    received = b""
    while not received.endswith(b"hello"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    return received


def test_a_keep_alive_connection_between_requests_is_not_cut_by_the_deadline(
    quick_server: BackgroundServer,
) -> None:
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with socket.create_connection(("127.0.0.1", quick_server.port), timeout=2) as sock:
        sock.sendall(request)
        assert read_answer(sock).endswith(b"hello")
        # Idle past the header deadline between requests: only the idle timeout (30 s)
        # applies there, so nothing comes (a close would read as b"").
        sock.settimeout(HEADER_TIMEOUT_S + 1.5)
        with pytest.raises(TimeoutError):
            sock.recv(1, socket.MSG_PEEK)
        sock.settimeout(2)
        sock.sendall(request)
        assert read_answer(sock).endswith(b"hello")


def test_more_slowloris_connections_than_the_limit_do_not_lock_clients_out() -> None:
    # A long deadline and a small limit: the sockets fill every connection, and more wait
    # in the backlog; nearly full, the server gives headers a second, then frees them.
    server = BackgroundServer(
        hello, name="crowded", header_timeout_s=60, connection_limit=40
    ).start()
    url = f"http://127.0.0.1:{server.port}"
    held = [slowloris(url) for _ in range(60)]
    try:
        answered_in = timed(lambda: requests.get(url, timeout=5).raise_for_status())
    finally:
        for sock in held:
            sock.close()
        server.stop()
    assert answered_in < 3.0

"""A request whose headers already fail the signature is refused before its body is read:
the embedded S3 answers an anonymous (or wrongly signed, or expired, or unsigned-header)
400 MiB PUT at once, from its headers alone, and closes the connection, instead of
receiving and spooling the whole body first. A good upload still gets its
``100 Continue``."""

from __future__ import annotations

import socket
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from vod_testbed.storage.embedded import EmbeddedS3, start_embedded_s3

KEY, SECRET = "AKIDBEFOREBODY", "before-the-body-secret"
BUCKET = "early"
HUGE = 400 * 2**20


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedS3]:
    s3 = start_embedded_s3(credentials={KEY: SECRET})
    yield s3
    s3.stop()


@pytest.fixture(scope="module")
def client(server: EmbeddedS3) -> Any:
    c = boto3.client(
        "s3",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    c.create_bucket(Bucket=BUCKET)
    return c


def send_headers(server: EmbeddedS3, target: str, headers: dict[str, str]) -> socket.socket:
    """Open a connection and send a PUT's headers only: not a byte of its body."""
    parts = urllib.parse.urlsplit(server.endpoint_url)
    assert parts.port is not None
    sock = socket.create_connection(("127.0.0.1", parts.port), timeout=5)
    lines = [f"PUT {target} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def answer_without_the_body(sock: socket.socket, within_s: float = 2.0) -> bytes:
    """Everything the server sends until it closes, waiting at most ``within_s``."""
    sock.settimeout(within_s)
    received = b""
    deadline = time.monotonic() + within_s
    with sock:
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                return received
            received += chunk
    raise AssertionError(f"no complete answer within {within_s} s: {received[:200]!r}")


def presigned(client: Any, key: str, size: int, expires_s: int = 300) -> str:
    url: str = client.generate_presigned_url(
        "put_object",
        Params={"Bucket": BUCKET, "Key": key, "ContentLength": size},
        ExpiresIn=expires_s,
    )
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_an_anonymous_huge_put_is_answered_from_its_headers(server: EmbeddedS3) -> None:
    sock = send_headers(
        server, f"/{BUCKET}/huge.mp4", {"Content-Length": str(HUGE), "Content-Type": "video/mp4"}
    )
    answer = answer_without_the_body(sock)
    assert answer.startswith(b"HTTP/1.1 403 ")
    assert b"<Code>AccessDenied</Code>" in answer
    assert b"Connection: close" in answer


def test_a_presigned_put_with_an_unsigned_header_is_answered_from_its_headers(
    server: EmbeddedS3, client: Any
) -> None:
    target = presigned(client, "copy.mp4", HUGE)
    sock = send_headers(
        server,
        target,
        {"Content-Length": str(HUGE), "x-amz-copy-source": f"/{BUCKET}/private.mp4"},
    )
    answer = answer_without_the_body(sock)
    assert answer.startswith(b"HTTP/1.1 403 ")
    assert b"<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>" in answer


def test_a_forged_signature_is_answered_from_its_headers(server: EmbeddedS3, client: Any) -> None:
    target = presigned(client, "forged.mp4", HUGE).replace("X-Amz-Signature=", "X-Amz-Signature=0")
    sock = send_headers(server, target, {"Content-Length": str(HUGE)})
    answer = answer_without_the_body(sock)
    assert answer.startswith(b"HTTP/1.1 403 ")
    assert b"<Code>SignatureDoesNotMatch</Code>" in answer


def test_a_good_upload_still_gets_its_go_ahead_and_is_stored(
    server: EmbeddedS3, client: Any
) -> None:
    body = b"lecture" * 1000
    sock = send_headers(
        server,
        presigned(client, "good.mp4", len(body)),
        {"Content-Length": str(len(body)), "Expect": "100-continue"},
    )
    with sock:
        assert sock.recv(1024).startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(body)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200 ")
    assert client.get_object(Bucket=BUCKET, Key="good.mp4")["Body"].read() == body

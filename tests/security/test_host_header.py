"""Every server checks the Host header: a page that rebinds its own name to 127.0.0.1
(DNS rebinding) reaches none of them - the pipeline, the emulator, the embedded S3."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from vod_testbed.common.serving import BackgroundServer
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.storage.embedded import start_embedded_s3


@pytest.fixture(params=["pipeline", "emulator", "embedded-s3"])
def server_url(
    request: pytest.FixtureRequest,
    service: ContentService,
    make_app: Any,
    serve: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    monkeypatch.setenv("VOD_ALLOWED_HOSTS", "testbed, media.internal")
    if request.param == "pipeline":
        pipeline = BackgroundServer(create_app(service)).start()
        yield pipeline.url
        pipeline.stop()
    elif request.param == "emulator":
        yield serve(make_app()).url
    else:
        s3 = start_embedded_s3()
        yield s3.endpoint_url
        s3.stop()


def raw_request(url: str, head: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(head)
        return conn.recv(4096)


@pytest.mark.parametrize("host", ["rebound.attacker.example", "rebound.attacker.example:8000"])
def test_a_request_for_another_name_is_misdirected(server_url: str, host: str) -> None:
    answer = requests.get(f"{server_url}/", headers={"Host": host}, timeout=5)
    assert answer.status_code == 421
    assert "does not answer to the name 'rebound.attacker.example'" in answer.text


def test_a_request_without_a_host_is_refused(server_url: str) -> None:
    status_line = raw_request(server_url, b"GET / HTTP/1.0\r\n\r\n").split(b"\r\n")[0]
    assert status_line.endswith(b"400 Bad Request")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "testbed", "MEDIA.internal:80"])
def test_local_and_configured_names_are_served(server_url: str, host: str) -> None:
    answer = requests.get(f"{server_url}/", headers={"Host": host}, timeout=5)
    assert answer.status_code != 421

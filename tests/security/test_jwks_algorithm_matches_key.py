"""With an identity provider's keys (JWKS mode), a token whose algorithm does not fit the key
its ``kid`` names is refused with 401 over real HTTP, never answered 500."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.pipeline.doubles import RecordingTranscoder
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer

CLAIMS = {"sub": "carol", "aud": "vod", "iss": "https://idp"}


@pytest.fixture
def jwks_url() -> Iterator[tuple[str, Any]]:
    """A JWKS endpoint serving one RSA key, ``rsa-1``; yields its URL and private key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "rsa-1", "use": "sig"}]})

    @Request.application
    def app(request: Request) -> Response:
        return Response(body, mimetype="application/json")

    server = make_server("127.0.0.1", 0, app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.port}/jwks.json", key
    server.shutdown()


@pytest.fixture
def server(
    pipeline_settings: PipelineSettings, jwks_url: tuple[str, Any]
) -> Iterator[PipelineServer]:
    settings = replace(
        pipeline_settings,
        auth_jwks_url=jwks_url[0],
        auth_jwt_audience="vod",
        auth_jwt_issuer="https://idp",
    )
    running = PipelineServer(settings, transcoder=RecordingTranscoder(), port=0, watch=False)
    yield running.start()
    running.stop()


def get_videos(server: PipelineServer, token: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.get(f"{server.url}/videos", headers=headers, timeout=10)


def test_an_es256_token_naming_the_rsa_key_is_401(server: PipelineServer) -> None:
    signer = ec.generate_private_key(ec.SECP256R1())
    claims = {**CLAIMS, "exp": time.time() + 60}
    token = jwt.encode(claims, signer, algorithm="ES256", headers={"kid": "rsa-1"})
    answer = get_videos(server, token)
    assert answer.status_code == 401
    assert "does not match its key" in answer.json()["error"]


def test_the_rsa_keys_own_rs256_token_is_accepted(
    server: PipelineServer, jwks_url: tuple[str, Any]
) -> None:
    claims = {**CLAIMS, "exp": time.time() + 60}
    token = jwt.encode(claims, jwks_url[1], algorithm="RS256", headers={"kid": "rsa-1"})
    assert get_videos(server, token).status_code == 200

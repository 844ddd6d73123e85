"""JWKS mode over real HTTP: a token whose header names an algorithm of another key type
than the key its ``kid`` selects (ES256 against the provider's RSA key) is a 401 naming
the problem, never a 500; the provider's own RS256 token still passes."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from werkzeug.wrappers import Request, Response

from tests.support.net import serving
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "rsa-1", "use": "sig"}]})

    @Request.application
    def app(request: Request) -> Response:
        return Response(body, mimetype="application/json")

    with serving(app, name="jwks") as url:
        yield f"{url}/jwks.json"


@pytest.fixture(scope="module")
def api(
    jwks_url: str,
    backend_settings: BackendSettings,
    ffmpeg_backend: FFmpegBackend,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    settings = PipelineSettings(
        backend=backend_settings,
        database_url=f"sqlite:///{tmp_path_factory.mktemp('jwks') / 'pipeline.sqlite3'}",
        webhook_secret="jwks",
        auth_jwks_url=jwks_url,
        port=0,
    )
    server = PipelineServer(settings, transcoder=ffmpeg_backend, port=0).start()
    yield server.url
    server.stop()


def _token(key: Any, algorithm: str) -> str:
    claims = {"sub": "carol", "exp": time.time() + 60}
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": "rsa-1"})


def _get(api: str, token: str) -> requests.Response:
    return requests.get(f"{api}/videos", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_an_es256_token_naming_the_rsa_key_is_a_401(api: str) -> None:
    forged = _token(ec.generate_private_key(ec.SECP256R1()), "ES256")
    response = _get(api, forged)
    assert response.status_code == 401, response.text
    assert "not valid" in response.json()["error"]


def test_the_providers_rs256_token_is_accepted(api: str) -> None:
    assert _get(api, _token(RSA_KEY, "RS256")).status_code == 200

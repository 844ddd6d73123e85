"""Bearer tokens: HS256 with the local secret, a JWKS in staging, and the VOD_AUTH=off switch."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Request, Response

from tests.support.net import serving
from vod_testbed.common.clock import ManualClock
from vod_testbed.pipeline.auth import (
    LEEWAY_S,
    LOCAL_ADMIN,
    VERIFIED_REUSE_S,
    Authenticator,
    AuthError,
    Caller,
    mint_token,
)

SECRET = "auth-test-secret-of-at-least-32-bytes"


def test_a_minted_token_names_its_user_courses_and_roles() -> None:
    token = mint_token(SECRET, "alice", courses=["c1"], roles=["admin"])
    caller = Authenticator(SECRET).caller(f"Bearer {token}")
    assert caller == Caller("alice", frozenset({"c1"}), admin=True)


def test_a_token_for_another_audience_is_refused() -> None:
    token = mint_token(SECRET, "alice", audience="other-app")
    with pytest.raises(AuthError, match="Audience doesn't match"):
        Authenticator(SECRET, audience="vod").caller(f"Bearer {token}")


def test_a_token_from_another_issuer_is_refused() -> None:
    token = mint_token(SECRET, "alice", audience="vod", issuer="https://evil.example")
    authenticator = Authenticator(SECRET, audience="vod", issuer="https://idp.example")
    with pytest.raises(AuthError, match="Invalid issuer"):
        authenticator.caller(f"Bearer {token}")


def test_without_a_secret_or_jwks_every_token_is_refused_saying_why() -> None:
    token = mint_token(SECRET, "alice")
    with pytest.raises(AuthError, match="no AUTH_JWT_SECRET or AUTH_JWKS_URL"):
        Authenticator().caller(f"Bearer {token}")


def test_a_basic_authorization_header_is_refused() -> None:
    with pytest.raises(AuthError, match="must be 'Bearer <token>'"):
        Authenticator(SECRET).caller("Basic YWxpY2U6cHc=")


def test_with_auth_off_no_token_is_the_local_administrator() -> None:
    assert Authenticator(enabled=False).caller(None) == Caller(LOCAL_ADMIN, admin=True)


def test_with_auth_off_an_unverified_token_still_names_its_user() -> None:
    token = jwt.encode({"sub": "bob"}, "any-key-at-all-of-32-bytes-length")
    assert Authenticator(enabled=False).caller(f"Bearer {token}").user_id == "bob"


@pytest.fixture(scope="module")
def identity_provider() -> Iterator[tuple[str, Any]]:
    """A JWKS endpoint on 127.0.0.1 serving one RSA key; yields its URL and private key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})

    @Request.application
    def app(request: Request) -> Response:
        return Response(body, mimetype="application/json")

    with serving(app, name="jwks") as url:
        yield f"{url}/.well-known/jwks.json", key


def idp_token(key: Any, **claims: Any) -> str:
    payload = {"sub": "carol", "aud": "vod", "iss": "https://idp", "exp": time.time() + 60}
    return jwt.encode({**payload, **claims}, key, algorithm="RS256", headers={"kid": "k1"})


def test_a_token_signed_by_the_identity_providers_key_is_accepted(
    identity_provider: tuple[str, Any],
) -> None:
    url, key = identity_provider
    authenticator = Authenticator(jwks_url=url, audience="vod", issuer="https://idp")
    assert authenticator.caller(f"Bearer {idp_token(key)}").user_id == "carol"


def test_a_token_signed_by_another_rsa_key_is_refused(identity_provider: tuple[str, Any]) -> None:
    url, _key = identity_provider
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    authenticator = Authenticator(jwks_url=url, audience="vod", issuer="https://idp")
    with pytest.raises(AuthError, match="Signature verification failed"):
        authenticator.caller(f"Bearer {idp_token(other)}")


def test_an_hs256_token_is_refused_when_a_jwks_is_configured(
    identity_provider: tuple[str, Any],
) -> None:
    url, _key = identity_provider
    forged = jwt.encode(
        {"sub": "carol", "exp": time.time() + 60}, SECRET, algorithm="HS256", headers={"kid": "k1"}
    )
    with pytest.raises(AuthError, match="not valid"):
        Authenticator(jwks_url=url).caller(f"Bearer {forged}")


def counting_decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every token PyJWT verifies."""
    seen: list[str] = []
    decode = jwt.decode

    def spy(token: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", spy)
    return seen


def test_a_verified_token_is_trusted_again_for_a_while_then_verified_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decodes = counting_decodes(monkeypatch)
    clock = ManualClock()
    authenticator = Authenticator(SECRET, clock=clock)
    header = f"Bearer {mint_token(SECRET, 'alice', ttl_s=3600)}"
    assert authenticator.caller(header) == authenticator.caller(header) == Caller("alice")
    assert len(decodes) == 1
    clock.advance(VERIFIED_REUSE_S + 1)
    assert authenticator.caller(header) == Caller("alice")
    assert len(decodes) == 2


def test_a_verified_token_still_expires_at_its_exp() -> None:
    clock = ManualClock()
    authenticator = Authenticator(SECRET, clock=clock)
    header = f"Bearer {mint_token(SECRET, 'alice', ttl_s=60)}"
    authenticator.caller(header)
    clock.advance(60 + LEEWAY_S + 1)
    with pytest.raises(AuthError, match="expired"):
        authenticator.caller(header)


def test_a_forged_token_is_never_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    decodes = counting_decodes(monkeypatch)
    forged = f"Bearer {mint_token('another-secret-of-at-least-32-bytes', 'mallory')}"
    authenticator = Authenticator(SECRET)
    for _ in range(2):
        with pytest.raises(AuthError, match="Signature verification failed"):
            authenticator.caller(forged)
    assert len(decodes) == 2


def test_a_token_whose_exp_is_no_time_is_refused() -> None:
    token = jwt.encode({"sub": "alice", "exp": 10**400}, SECRET, algorithm="HS256")
    with pytest.raises(AuthError, match="exp is not a time"):
        Authenticator(SECRET).caller(f"Bearer {token}")

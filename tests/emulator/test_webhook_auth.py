"""vod_testbed.common.signing: HMAC signatures with a timestamp, and the static secret header."""

from __future__ import annotations

import pytest

from vod_testbed.common.signing import (
    API_KEY_HEADER,
    SIGNATURE_HEADER,
    WebhookAuthError,
    sign,
    verify,
)

BODY = b'{"detail":{"status":"COMPLETE"}}'
SECRET = "s3cret"
NOW = 1_767_225_600


def test_signed_body_verifies() -> None:
    headers = sign(BODY, SECRET, timestamp=NOW)
    assert headers[SIGNATURE_HEADER].startswith(f"t={NOW},v1=")
    verify(headers, BODY, SECRET, now=NOW + 10)


def test_header_names_are_case_insensitive() -> None:
    headers = {k.lower(): v for k, v in sign(BODY, SECRET, timestamp=NOW).items()}
    verify(headers, BODY, SECRET, now=NOW)


@pytest.mark.parametrize(
    ("headers", "body", "secret", "reason"),
    [
        ({}, BODY, SECRET, "missing"),
        (sign(BODY, SECRET, timestamp=NOW), BODY + b" ", SECRET, "bad"),
        (sign(BODY, "other", timestamp=NOW), BODY, SECRET, "bad"),
        ({SIGNATURE_HEADER: "v1=abc"}, BODY, SECRET, "malformed"),
        ({SIGNATURE_HEADER: "t=now,v1=abc"}, BODY, SECRET, "malformed"),
        ({SIGNATURE_HEADER: f"t={NOW}"}, BODY, SECRET, "malformed"),
    ],
    ids=[
        "missing",
        "tampered-body",
        "wrong-secret",
        "no-timestamp",
        "bad-timestamp",
        "no-signature",
    ],
)
def test_refused(headers: dict[str, str], body: bytes, secret: str, reason: str) -> None:
    with pytest.raises(WebhookAuthError) as info:
        verify(headers, body, secret, now=NOW)
    assert info.value.reason == reason


@pytest.mark.parametrize("skew", [301, -301])
def test_stale_or_future_timestamp_is_refused(skew: int) -> None:
    headers = sign(BODY, SECRET, timestamp=NOW)
    with pytest.raises(WebhookAuthError) as info:
        verify(headers, BODY, SECRET, now=NOW + skew)
    assert info.value.reason == "stale"


def test_rotated_secrets_any_v1_matches() -> None:
    old = sign(BODY, "old", timestamp=NOW)[SIGNATURE_HEADER]
    new = sign(BODY, SECRET, timestamp=NOW)[SIGNATURE_HEADER].split(",")[1]
    verify({SIGNATURE_HEADER: f"{old},{new}"}, BODY, SECRET, now=NOW)


def test_static_secret_header_when_configured() -> None:
    verify({API_KEY_HEADER: SECRET}, BODY, SECRET, api_key_header=API_KEY_HEADER)
    with pytest.raises(WebhookAuthError) as info:
        verify({API_KEY_HEADER: "guess"}, BODY, SECRET, api_key_header=API_KEY_HEADER)
    assert info.value.reason == "bad"
    with pytest.raises(WebhookAuthError) as info:
        verify({API_KEY_HEADER: SECRET}, BODY, SECRET)
    assert info.value.reason == "missing"


def test_a_bad_signature_is_not_rescued_by_the_static_header() -> None:
    headers = {**sign(BODY, "other", timestamp=NOW), API_KEY_HEADER: SECRET}
    with pytest.raises(WebhookAuthError):
        verify(headers, BODY, SECRET, api_key_header=API_KEY_HEADER, now=NOW)


def test_no_configured_secret_refuses_everything() -> None:
    with pytest.raises(WebhookAuthError) as info:
        verify(sign(BODY, "", timestamp=NOW), BODY, "", now=NOW)
    assert info.value.reason == "missing"

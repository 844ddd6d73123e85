"""Authentication of job-state webhooks (docs/ARCHITECTURE.md, "Webhook authentication").

Two forms are accepted by :func:`verify`:

* **HMAC signature** (the emulator's deliveries): header ``X-Vod-Signature:
  t=<unix seconds>,v1=<hex>``, where ``v1`` is HMAC-SHA256 over ``f"{t}.{body}"`` with the
  shared secret. The timestamp bounds replays; several ``v1`` values may be listed so a
  secret can be rotated.
* **Static secret header** (an EventBridge API destination whose connection uses API-key
  authorisation): the configured header carries the secret itself. Weaker - it can be
  replayed - but it is what AWS can send.

Comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Vod-Signature"
TIMESTAMP_HEADER = "X-Vod-Timestamp"
API_KEY_HEADER = "X-Vod-Webhook-Secret"
DEFAULT_TOLERANCE_S = 300


class WebhookAuthError(Exception):
    """A request that must be refused (answer 401). ``reason``: missing, malformed, bad, stale."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def compute_signature(body: bytes, secret: str | bytes, timestamp: int) -> str:
    """Hex HMAC-SHA256 of ``f"{timestamp}.{body}"``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def sign(body: bytes, secret: str | bytes, timestamp: int | None = None) -> dict[str, str]:
    """Headers that authenticate ``body``: ``X-Vod-Signature`` (and ``X-Vod-Timestamp``).

    Args:
        body: the exact bytes that will be sent.
        secret: the shared secret (``WEBHOOK_SECRET``).
        timestamp: unix seconds to sign at; default now.
    """
    ts = int(time.time()) if timestamp is None else int(timestamp)
    signature = compute_signature(body, secret, ts)
    return {SIGNATURE_HEADER: f"t={ts},v1={signature}", TIMESTAMP_HEADER: str(ts)}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def _parse_signature(value: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in value.split(","):
        key, sep, item = part.strip().partition("=")
        if not sep:
            raise WebhookAuthError("malformed", f"signature element {part.strip()!r} has no '='")
        if key == "t":
            # Unix seconds have at most 11 digits for millennia; a longer "number" would
            # overflow the float arithmetic of the age check.
            if not (item.isascii() and item.isdigit() and len(item) <= 11):
                raise WebhookAuthError("malformed", f"timestamp {item[:20]!r} is not Unix seconds")
            timestamp = int(item)
        elif key == "v1":
            signatures.append(item)
    if timestamp is None:
        raise WebhookAuthError("malformed", "signature has no t= timestamp")
    if not signatures:
        raise WebhookAuthError("malformed", "signature has no v1= value")
    return timestamp, signatures


def verify(
    headers: Mapping[str, str],
    body: bytes,
    secret: str | bytes,
    tolerance_s: float = DEFAULT_TOLERANCE_S,
    *,
    api_key_header: str | None = None,
    now: float | None = None,
) -> None:
    """Check that a webhook request carries valid authentication; return quietly if so.

    Args:
        headers: the request headers (any case).
        body: the raw request body, byte for byte.
        secret: the shared secret.
        tolerance_s: how far the signed timestamp may be from ``now``, either way.
        api_key_header: also accept this header carrying the secret itself (an EventBridge
            API destination's API-key connection); ``None`` accepts only signatures.
        now: unix seconds to check against; default now.

    Raises:
        WebhookAuthError: ``missing`` (no authentication), ``malformed``, ``bad`` (wrong
            signature or secret: tampered body or another key) or ``stale`` (timestamp
            outside the tolerance).
    """
    if not secret:
        raise WebhookAuthError("missing", "no webhook secret is configured")
    signature_value = _header(headers, SIGNATURE_HEADER)
    if signature_value is not None:
        timestamp, signatures = _parse_signature(signature_value)
        current = time.time() if now is None else now
        if abs(current - timestamp) > tolerance_s:
            raise WebhookAuthError(
                "stale", f"signed at {timestamp}, {abs(current - timestamp):.0f} s from now"
            )
        expected = compute_signature(body, secret, timestamp)
        if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
            raise WebhookAuthError("bad", "signature does not match the body")
        return
    if api_key_header is not None:
        presented = _header(headers, api_key_header)
        if presented is not None:
            if not hmac.compare_digest(_as_bytes(presented), _as_bytes(secret)):
                raise WebhookAuthError("bad", f"{api_key_header} does not hold the secret")
            return
    accepted = SIGNATURE_HEADER + (f" or {api_key_header}" if api_key_header else "")
    raise WebhookAuthError("missing", f"no {accepted} header")

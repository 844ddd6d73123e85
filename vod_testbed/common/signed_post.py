"""POSTing a JSON body signed with the shared secret (``vod_testbed.common.signing``).

Plain ``urllib`` on purpose: the upload trigger uses this as a Lambda function, whose
runtime has no ``requests``.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from vod_testbed.common import signing

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """Every attempt to deliver failed; the message says how the last one did."""


def post_signed(
    url: str,
    payload: dict[str, Any],
    secret: str,
    *,
    attempts: int = 3,
    timeout_s: float = 10.0,
    backoff_s: float = 0.5,
) -> tuple[int, bytes]:
    """POST ``payload`` as JSON to ``url``, signed when ``secret`` is set; retry on failure.

    Args:
        url: an ``http://`` or ``https://`` URL.
        payload: the JSON object to send.
        secret: the shared secret (empty: unsigned).
        attempts: tries in all; 5xx answers and connection errors are retried.
        timeout_s: per-attempt timeout.
        backoff_s: the first delay between tries; it doubles.

    Returns:
        The HTTP status and the body of the accepted (2xx) answer.

    Raises:
        DeliveryError: no attempt was accepted (or the answer was a 4xx, not retried).
        ValueError: ``url`` is not http(s).
    """
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"webhook URL must be http(s), got {url!r}")
    body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    problem = "not attempted"
    for attempt in range(1, max(1, attempts) + 1):
        # Signed per attempt, so a retry after a pause is not stale.
        headers = {"Content-Type": "application/json"}
        if secret:
            headers.update(signing.sign(body, secret))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
                status: int = response.status
                return status, response.read(1024 * 1024)
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
            if exc.code < 500 and exc.code != 429:
                break  # the receiver refuses this body; sending it again will not help
        except (urllib.error.URLError, OSError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        if attempt < attempts:
            log.info("POST to %s failed (%s); retrying", url, problem)
            time.sleep(backoff_s * 2 ** (attempt - 1))
    raise DeliveryError(f"POST to {url} failed: {problem}")

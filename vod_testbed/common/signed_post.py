"""POSTing a JSON body signed with the shared secret (``vod_testbed.common.signing``).

Plain ``urllib`` on purpose: the upload trigger uses this as a Lambda function, whose
runtime has no ``requests``. Retries are tenacity's (shipped in the Lambda zip).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from vod_testbed.common import signing

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """Every attempt to deliver failed; the message says how the last one did."""


class _Retryable(Exception):
    """An attempt failed in a way another attempt may not (5xx, 429, network)."""


def post_signed(
    url: str,
    payload: dict[str, Any],
    secret: str,
    *,
    attempts: int = 3,
    timeout_s: float = 10.0,
    backoff_s: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[int, bytes]:
    """POST ``payload`` as JSON to ``url``, signed when ``secret`` is set; retry on failure.

    Args:
        url: an ``http://`` or ``https://`` URL.
        payload: the JSON object to send.
        secret: the shared secret (empty: unsigned).
        attempts: tries in all; 5xx and 429 answers and connection errors are retried.
        timeout_s: per-attempt timeout.
        backoff_s: the first delay between tries; it doubles.
        sleep: how to wait between tries (tests pass one that records instead).

    Returns:
        The HTTP status and the body of the accepted (2xx) answer.

    Raises:
        DeliveryError: no attempt was accepted (or the answer was a 4xx, not retried).
        ValueError: ``url`` is not http(s).
    """
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"webhook URL must be http(s), got {url!r}")
    body = json.dumps(payload, separators=(",", ":")).encode("utf-8")

    def attempt() -> tuple[int, bytes]:
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
            if exc.code < 500 and exc.code != 429:
                # The receiver refuses this body; sending it again will not help.
                raise DeliveryError(f"POST to {url} failed: HTTP {exc.code}") from None
            raise _Retryable(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from None

    retrying = Retrying(
        stop=stop_after_attempt(max(1, attempts)),
        wait=wait_exponential(multiplier=backoff_s),
        retry=retry_if_exception_type(_Retryable),
        sleep=sleep,
        before_sleep=lambda state: log.info(
            "POST to %s failed (%s); retrying", url, state.outcome and state.outcome.exception()
        ),
    )
    try:
        return retrying(attempt)
    except RetryError as exc:
        raise DeliveryError(f"POST to {url} failed: {exc.last_attempt.exception()}") from None

"""Who may call the emulator, checked before any operation runs.

* The MediaConvert API (``/2017-08-29/...``) verifies SigV4 as AWS does
  (:mod:`vod_testbed.common.sigv4`, service ``mediaconvert``, the emulator's region, 15
  minutes of clock skew) against ``EMULATOR_ACCESS_KEY_ID`` / ``EMULATOR_SECRET_ACCESS_KEY``,
  and answers failures with AWS's own error types: no signature
  ``MissingAuthenticationTokenException``, an unknown key ``UnrecognizedClientException``,
  a wrong or stale signature ``InvalidSignatureException`` (all 403), an unparsable one
  ``IncompleteSignatureException`` (400).
* The admin API (``/_emulator/...``, except ``/_emulator/health``) takes
  ``Authorization: Bearer <EMULATOR_ADMIN_TOKEN>``.

``EMULATOR_AUTH=off`` turns both checks off (any credentials, as moto accepts).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable

from flask import Request

from vod_testbed.common import sigv4
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.exceptions import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MediaConvertError,
    MissingAuthenticationTokenException,
    UnauthorizedException,
    UnrecognizedClientException,
)

log = logging.getLogger(__name__)

API_PREFIX = "/2017-08-29/"
ADMIN_PREFIX = "/_emulator/"
OPEN_PATHS = frozenset({"/_emulator/health"})

_SIGV4_ERRORS: dict[str, type[MediaConvertError]] = {
    sigv4.MISSING: MissingAuthenticationTokenException,
    sigv4.MALFORMED: IncompleteSignatureException,
    sigv4.UNKNOWN_KEY: UnrecognizedClientException,
}


class Gatekeeper:
    """Checks one request against the emulator's credentials (see the module docstring).

    Args:
        settings: where the credentials, the admin token and the switch come from.
        clock: the current time in Unix seconds.
    """

    def __init__(self, settings: EmulatorSettings, clock: Callable[[], float]) -> None:
        self.enabled = settings.auth
        self.admin_token = settings.admin_token
        credentials = {}
        if settings.access_key_id and settings.secret_access_key:
            credentials[settings.access_key_id] = settings.secret_access_key
        elif self.enabled:
            log.warning(
                "no EMULATOR_ACCESS_KEY_ID/EMULATOR_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID/"
                "AWS_SECRET_ACCESS_KEY): every MediaConvert API call will be refused"
            )
        self.verifier = sigv4.SigV4Verifier(
            credentials, "mediaconvert", settings.region, clock=clock
        )

    def check(self, request: Request) -> None:
        """Return quietly if ``request`` may proceed.

        Raises:
            MediaConvertError: the authentication error to answer with.
        """
        if not self.enabled:
            return
        if request.path.startswith(API_PREFIX):
            incoming = sigv4.IncomingRequest.from_environ(request.environ, request.get_data())
            try:
                self.verifier.verify(incoming)
            except sigv4.SigV4Error as exc:
                log.info("%s %s refused: %s", request.method, request.path, exc.kind)
                error = _SIGV4_ERRORS.get(exc.kind, InvalidSignatureException)
                missing = exc.kind == sigv4.MISSING
                raise error("Missing Authentication Token" if missing else exc.message) from None
        elif request.path.startswith(ADMIN_PREFIX) and request.path not in OPEN_PATHS:
            self._check_admin(request)

    def _check_admin(self, request: Request) -> None:
        if not self.admin_token:
            raise UnauthorizedException(
                "The admin API is closed: start the emulator with EMULATOR_ADMIN_TOKEN set."
            )
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        presented = token.strip().encode("utf-8", "replace")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            presented, self.admin_token.encode("utf-8")
        ):
            raise UnauthorizedException(
                "The admin API needs Authorization: Bearer <EMULATOR_ADMIN_TOKEN>."
            )

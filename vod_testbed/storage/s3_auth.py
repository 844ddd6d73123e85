"""SigV4 for the embedded S3: a WSGI middleware in front of moto's S3 server.

moto in server mode accepts anonymous and tampered requests (and answers presigned URLs
with a 500 in its own auth mode), so without this a presigned URL's limits - its expiry,
its signed Content-Type and Content-Length, its key - would never be exercised locally.
Every request must carry a valid SigV4 signature, in the ``Authorization`` header or as a
presigned URL (:mod:`vod_testbed.common.sigv4`), or it gets S3's own XML error, as AWS and
MinIO answer it: ``AccessDenied``, ``SignatureDoesNotMatch``, ``InvalidAccessKeyId``,
``RequestTimeTooSkewed`` (403) or ``AuthorizationHeaderMalformed``,
``XAmzContentSHA256Mismatch`` (400).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from vod_testbed.common import sigv4

log = logging.getLogger(__name__)

# Bodies up to this size stay in memory while they are hashed; larger ones spool to disk.
_SPOOL_BYTES = 8 * 2**20
_CHUNK = 2**20

# sigv4 kind -> (HTTP status, S3 error code)
_S3_ERRORS = {
    sigv4.MISSING: (403, "AccessDenied"),
    sigv4.MALFORMED: (400, "AuthorizationHeaderMalformed"),
    sigv4.UNKNOWN_KEY: (403, "InvalidAccessKeyId"),
    sigv4.SCOPE: (400, "AuthorizationHeaderMalformed"),
    sigv4.SKEWED: (403, "RequestTimeTooSkewed"),
    sigv4.EXPIRED: (403, "AccessDenied"),
    sigv4.MISMATCH: (403, "SignatureDoesNotMatch"),
    sigv4.BODY_MISMATCH: (400, "XAmzContentSHA256Mismatch"),
}
_REASONS = {400: "Bad Request", 403: "Forbidden", 421: "Misdirected Request"}


def s3_error_xml(code: str, message: str) -> bytes:
    """S3's error document."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    ).encode()


def render_host_error(status: int, message: str) -> tuple[str, bytes]:
    """A refused Host header, in S3's XML (for :class:`common.hosts.HostCheck`)."""
    code = "InvalidRequest" if status == 400 else "AccessDenied"
    return "application/xml", s3_error_xml(code, message)


class SignedS3:
    """Pass a request on to ``app`` only if its SigV4 signature verifies.

    Args:
        app: moto's S3 WSGI application.
        credentials: secret access key by access key id.
        clock: the current time in Unix seconds.
    """

    def __init__(self, app: Any, credentials: Mapping[str, str], clock: Any = None) -> None:
        self.app = app
        kwargs = {"clock": clock} if clock is not None else {}
        self.verifier = sigv4.SigV4Verifier(credentials, "s3", None, s3=True, **kwargs)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            # A CORS preflight carries no credentials on AWS either: S3 answers it from the
            # bucket's CORS rules, and the request that follows is signed.
            return self.app(environ, start_response)
        body, body_sha256 = self._spool(environ)
        arrived = sigv4.IncomingRequest.from_environ(environ, b"")
        try:
            self.verifier.verify(
                sigv4.IncomingRequest(
                    arrived.method, arrived.url, arrived.headers, body_sha256=body_sha256
                )
            )
        except sigv4.SigV4Error as exc:
            body.close()
            status, code = _S3_ERRORS[exc.kind]
            log.info("S3 %s %s refused: %s", arrived.method, environ.get("PATH_INFO"), code)
            message = "Access Denied" if exc.kind == sigv4.MISSING else exc.message
            payload = s3_error_xml(code, message)
            start_response(
                f"{status} {_REASONS[status]}",
                [("Content-Type", "application/xml"), ("Content-Length", str(len(payload)))],
            )
            return [payload]
        body.seek(0)
        environ["wsgi.input"] = body
        return self.app(environ, start_response)

    @staticmethod
    def _spool(environ: dict[str, Any]) -> tuple[Any, str]:
        """Read the body once into a spooled file (moto reads it again from there), hashing
        it on the way; returns the file and the body's SHA-256."""
        spooled = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - handed on
        digest = hashlib.sha256()
        source = environ["wsgi.input"]
        try:
            remaining = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            remaining = 0
        while remaining > 0:
            chunk = source.read(min(_CHUNK, remaining))
            if not chunk:
                break
            spooled.write(chunk)
            digest.update(chunk)
            remaining -= len(chunk)
        return spooled, digest.hexdigest()

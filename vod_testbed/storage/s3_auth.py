"""SigV4 for the embedded S3: a WSGI middleware in front of moto's S3 server.

moto in server mode accepts anonymous and tampered requests (and answers presigned URLs
with a 500 in its own auth mode), so without this a presigned URL's limits - its expiry,
its signed Content-Type and Content-Length, its key - would never be exercised locally.
Every request must carry a valid SigV4 signature, in the ``Authorization`` header or as a
presigned URL (:mod:`vod_testbed.common.sigv4`), or it gets S3's own XML error, as AWS and
MinIO answer it: ``AccessDenied``, ``SignatureDoesNotMatch``, ``InvalidAccessKeyId``,
``RequestTimeTooSkewed`` (403) or ``AuthorizationHeaderMalformed``,
``XAmzContentSHA256Mismatch`` (400).

A streaming (``aws-chunked``) upload is verified chunk by chunk while its body is spooled
(:mod:`vod_testbed.common.sigv4_chunked`): a forged, altered, reordered or missing chunk, a
cut or mis-framed body, or one not of its declared size never reaches moto. moto gets the
body as it arrived and decodes it itself (it also reads the trailer's checksum from it).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from vod_testbed.common import sigv4, sigv4_chunked

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
    sigv4_chunked.INCOMPLETE_BODY: (400, "IncompleteBody"),
    # 403, as S3 answers it (not 400 like most body errors).
    sigv4_chunked.CHUNK_SIZE: (403, "InvalidChunkSizeError"),
    sigv4_chunked.BAD_DIGEST: (400, "BadDigest"),
    sigv4_chunked.MALFORMED_TRAILER: (400, "MalformedTrailerError"),
    sigv4_chunked.UNSUPPORTED: (400, "InvalidRequest"),
    sigv4_chunked.MISSING_LENGTH: (411, "MissingContentLength"),
}
_REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    411: "Length Required",
    421: "Misdirected Request",
}


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
        arrived = sigv4.IncomingRequest.from_environ(environ, b"")
        try:
            body = self._verified_body(environ, arrived)
        except sigv4.SigV4Error as exc:
            status, code = _S3_ERRORS[exc.kind]
            path = environ.get("PATH_INFO")
            log.info("S3 %s %s refused: %s (%s)", arrived.method, path, code, exc.message)
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

    def _verified_body(self, environ: dict[str, Any], arrived: sigv4.IncomingRequest) -> Any:
        """The body, spooled, once the request's signatures verified.

        A streaming body's seed (the header signature) is checked first and its chunks as
        they are spooled; any other body is hashed while spooled and then checked with the
        headers.

        Raises:
            SigV4Error: a signature or the body does not verify.
        """
        if sigv4_chunked.is_streaming(arrived.headers.get("x-amz-content-sha256")):
            seed = self.verifier.authenticate(arrived)
            chunked = sigv4_chunked.ChunkedBody.for_request(arrived.headers, seed)
            body = self._spool(environ, chunked.feed)
            try:
                chunked.finish()
            except sigv4.SigV4Error:
                body.close()
                raise
            return body
        digest = hashlib.sha256()
        body = self._spool(environ, digest.update)
        streamed = sigv4.IncomingRequest(
            arrived.method, arrived.url, arrived.headers, body_sha256=digest.hexdigest()
        )
        try:
            self.verifier.verify(streamed)
        except sigv4.SigV4Error:
            body.close()
            raise
        return body

    @staticmethod
    def _spool(environ: dict[str, Any], consume: Callable[[bytes], None]) -> Any:
        """Read the body once into a spooled file (moto reads it again from there), handing
        each piece to ``consume`` on the way (which may refuse it: the file is then closed)."""
        spooled = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - handed on
        source = environ["wsgi.input"]
        try:
            remaining = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            remaining = 0
        try:
            while remaining > 0:
                chunk = source.read(min(_CHUNK, remaining))
                if not chunk:
                    break
                consume(chunk)
                spooled.write(chunk)
                remaining -= len(chunk)
        except BaseException:
            spooled.close()
            raise
        return spooled

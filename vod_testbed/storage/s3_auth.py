"""SigV4 for the embedded S3: a WSGI middleware in front of moto's S3 server.

moto in server mode accepts anonymous and tampered requests (and answers presigned URLs
with a 500 in its own auth mode), so without this a presigned URL's limits - its expiry,
its signed Content-Type and Content-Length, its key - would never be exercised locally.
Every request must carry a valid SigV4 signature, in the ``Authorization`` header or as a
presigned URL (:mod:`vod_testbed.common.sigv4`), or it gets S3's own XML error, as AWS and
MinIO answer it: ``AccessDenied``, ``SignatureDoesNotMatch``, ``InvalidAccessKeyId``,
``RequestTimeTooSkewed`` (403) or ``AuthorizationHeaderMalformed``,
``XAmzContentSHA256Mismatch`` (400).

The signature is verified before the body is read: the server hands a request's headers
to :meth:`SignedS3.screen` before reading its body, so a refused upload is never received,
let alone spooled. A streaming (``aws-chunked``) upload is
verified chunk by chunk while its body is spooled (:mod:`vod_testbed.common.sigv4_chunked`):
a forged, altered, reordered or missing chunk, a cut or mis-framed body, or one not of its
declared size never reaches moto, which is handed the decoded data and the trailer's
verified checksum as a header. Only a CORS preflight passes unsigned.

As S3 does, a request with an ``x-amz-*`` header (or ``Content-MD5``) its signature does not
cover is refused (``AccessDenied``, with ``HeadersNotSigned``): such a header is an
instruction (copy another key, an ACL, metadata) the signer never gave. A request's XML
document is read safely before moto reads it (:mod:`vod_testbed.storage.s3_xml`).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from xml.parsers.expat import ExpatError
from xml.sax.saxutils import escape

from vod_testbed.common import sigv4, sigv4_chunked
from vod_testbed.storage import s3_xml

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
    sigv4.UNSIGNED_HEADERS: (403, "AccessDenied"),
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
    404: "Not Found",
    421: "Misdirected Request",
    500: "Internal Server Error",
}
# Set in the environ of a request whose body is an XML document checked by s3_xml.
_XML_DOCUMENT = "vod_testbed.s3_xml_document"
_NO_SUCH_UPLOAD = (
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have "
    "been aborted or completed."
)
_INTERNAL_ERROR = "We encountered an internal error. Please try again."


def s3_error_xml(code: str, message: str, extra: Mapping[str, str] | None = None) -> bytes:
    """S3's error document; ``extra`` adds elements S3 writes for some errors (such as
    ``HeadersNotSigned``)."""
    more = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in (extra or {}).items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>{more}"
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
        verify: False passes every request on unchecked, as moto alone does (the "any
            credentials" switch); hostile XML is still refused.
    """

    def __init__(
        self, app: Any, credentials: Mapping[str, str], clock: Any = None, *, verify: bool = True
    ) -> None:
        self.app = app
        self.verify = verify
        kwargs = {"clock": clock} if clock is not None else {}
        self.verifier = sigv4.SigV4Verifier(credentials, "s3", None, s3=True, **kwargs)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            return self._preflight(environ, start_response)
        arrived = sigv4.IncomingRequest.from_environ(environ, b"")
        try:
            body = self._verified_body(environ, arrived) if self.verify else _spooled(environ)
        except sigv4.SigV4Error as exc:
            return self.refusal(exc, environ)(environ, start_response)
        body.seek(0)
        root = s3_xml.expected_root(
            arrived.method, environ.get("PATH_INFO", "/"), environ.get("QUERY_STRING", "")
        )
        if root is not None and environ.get("CONTENT_LENGTH", "0") not in ("", "0"):
            try:
                s3_xml.check_document(body, root)
            except s3_xml.XmlRefused as exc:
                body.close()
                log.info("S3 %s refused: %s (%s)", arrived.method, exc.code, root)
                return _error(start_response, exc.status, exc.code, exc.message)
            body.seek(0)
            environ[_XML_DOCUMENT] = root
        environ["wsgi.input"] = body
        return self._moto(environ, start_response)

    def screen(self, environ: Mapping[str, Any]) -> Any:
        """The refusal of a request whose headers already fail (unsigned, wrongly signed,
        expired, an unsigned instruction), for the server to answer before reading its
        body (:class:`vod_testbed.common.serving.BackgroundServer`); None: read it."""
        if not self.verify or environ.get("REQUEST_METHOD") == "OPTIONS":
            return None
        try:
            self.verifier.authenticate(
                sigv4.IncomingRequest.from_environ(environ, b""), body_later=True
            )
        except sigv4.SigV4Error as exc:
            return self.refusal(exc, environ)
        return None

    def refusal(self, exc: sigv4.SigV4Error, environ: Mapping[str, Any]) -> Any:
        """The WSGI app answering S3's error for ``exc`` (logged once)."""
        status, code = _S3_ERRORS[exc.kind]
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        log.info("S3 %s %s refused: %s (%s)", method, path, code, exc.message)
        message = "Access Denied" if exc.kind == sigv4.MISSING else exc.message
        extra = {"HeadersNotSigned": ", ".join(exc.unsigned)} if exc.unsigned else None

        def answer(environ: Any, start_response: Any) -> list[bytes]:
            return _error(start_response, status, code, message, extra)

        return answer

    def _moto(self, environ: dict[str, Any], start_response: Any) -> Any:
        """moto's answer; what it raises (its server runs in debug mode) becomes S3's error
        for it, never a bare 500 page: a body that is no XML is S3's ``MalformedXML``."""
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        try:
            return self.app(environ, start_response)
        except Exception as exc:
            status, code, message = _s3_error_for(
                exc, environ.get("QUERY_STRING", ""), bool(environ.get(_XML_DOCUMENT))
            )
            if status == 500:
                log.exception("S3 %s %s failed inside moto", method, path)
            else:
                log.info("S3 %s %s refused: %s (%s)", method, path, code, exc)
            return _error(start_response, status, code, message)

    def _preflight(self, environ: dict[str, Any], start_response: Any) -> Any:
        """A CORS preflight carries no credentials on AWS either: S3 answers it from the
        bucket's CORS rules, and the request that follows is signed. Only a preflight (an
        ``Origin`` and the method it asks for) of a bucket or an object gets through
        unsigned; any other OPTIONS is refused as S3 refuses it."""
        bucket = environ.get("PATH_INFO", "/").strip("/").split("/", 1)[0]
        if (
            environ.get("HTTP_ORIGIN")
            and environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
            and bucket
        ):
            # S3 answers a preflight from the bucket's CORS rules whatever the key; moto
            # does so only for the bucket itself (on an existing private object it refuses
            # the unsigned OPTIONS), so the bucket is asked.
            environ["PATH_INFO"] = "/" + bucket
            environ["QUERY_STRING"] = ""
            environ.pop("REQUEST_URI", None)
            environ.pop("RAW_URI", None)
            return self.app(environ, start_response)
        return _error(
            start_response,
            400,
            "BadRequest",
            "Insufficient information. Origin and Access-Control-Request-Method request "
            "headers needed, on a bucket or an object.",
        )

    def _verified_body(self, environ: dict[str, Any], arrived: sigv4.IncomingRequest) -> Any:
        """The body, spooled, once the request's signatures verified.

        The signature is checked before a byte of the body is read: an unsigned or wrongly
        signed caller makes the server store nothing. A streaming body's chunks are then
        checked as they are spooled, and moto is handed the decoded data (its own decoding
        would trust an unverified trailer); any other body is hashed while spooled and
        checked against the signed ``x-amz-content-sha256``.

        Raises:
            SigV4Error: a signature or the body does not verify.
        """
        signed = self.verifier.authenticate(arrived, body_later=True)
        spooled = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - handed on
        try:
            if sigv4_chunked.is_streaming(arrived.headers.get("x-amz-content-sha256")):
                chunked = sigv4_chunked.ChunkedBody.for_request(
                    arrived.headers, signed, spooled.write
                )
                _read_body(environ, chunked.feed)
                _as_decoded(environ, chunked.decoded_bytes, chunked.finish())
            else:
                digest = hashlib.sha256()

                def consume(piece: bytes) -> None:
                    digest.update(piece)
                    spooled.write(piece)

                _read_body(environ, consume)
                sigv4.check_content_sha256(arrived.headers, digest.hexdigest())
        except BaseException:
            spooled.close()
            raise
        return spooled


def _s3_error_for(exc: Exception, query: str, xml_document: bool) -> tuple[int, str, str]:
    """S3's answer to what moto raised: (status, code, message). A well-formed document of
    the right kind that moto still cannot read (``<LifecycleConfiguration><x/>...``) is one
    S3's schema refuses: ``MalformedXML`` too."""
    if isinstance(exc, ExpatError):
        return 400, "MalformedXML", s3_xml.MALFORMED_XML
    if isinstance(exc, KeyError) and "uploadId=" in query:
        # moto looks a multipart upload up without a check; S3 answers NoSuchUpload.
        return 404, "NoSuchUpload", _NO_SUCH_UPLOAD
    if isinstance(exc, NotImplementedError):
        return 400, "InvalidRequest", f"The embedded S3 does not support this request: {exc}"
    if xml_document:
        return 400, "MalformedXML", s3_xml.MALFORMED_XML
    return 500, "InternalError", _INTERNAL_ERROR


def _error(
    start_response: Any,
    status: int,
    code: str,
    message: str,
    extra: Mapping[str, str] | None = None,
) -> list[bytes]:
    payload = s3_error_xml(code, message, extra)
    start_response(
        f"{status} {_REASONS[status]}",
        [("Content-Type", "application/xml"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


def _spooled(environ: dict[str, Any]) -> Any:
    """The body, spooled as it is (no signature to check it against)."""
    spooled = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - handed on
    _read_body(environ, spooled.write)
    return spooled


def _read_body(environ: dict[str, Any], consume: Callable[[bytes], object]) -> None:
    """Read the request's body once, handing each piece to ``consume`` (which may refuse
    it by raising)."""
    source = environ["wsgi.input"]
    try:
        remaining = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        remaining = 0
    while remaining > 0:
        chunk = source.read(min(_CHUNK, remaining))
        if not chunk:
            break
        consume(chunk)
        remaining -= len(chunk)


# What announces an aws-chunked body to moto, and is gone once it is decoded.
_STREAMING_ENVIRON = ("HTTP_X_AMZ_DECODED_CONTENT_LENGTH", "HTTP_X_AMZ_TRAILER")


def _as_decoded(environ: dict[str, Any], size_bytes: int, checksums: Mapping[str, str]) -> None:
    """Make ``environ`` describe the decoded body moto is handed: its length, no
    ``aws-chunked`` encoding, and the trailer's verified checksum as a header (which moto
    stores and returns, as S3 does)."""
    environ["CONTENT_LENGTH"] = str(size_bytes)
    environ["HTTP_X_AMZ_CONTENT_SHA256"] = "UNSIGNED-PAYLOAD"
    for key in _STREAMING_ENVIRON:
        environ.pop(key, None)
    encodings = [
        token.strip()
        for token in environ.get("HTTP_CONTENT_ENCODING", "").split(",")
        if token.strip() and token.strip().lower() != "aws-chunked"
    ]
    if encodings:
        environ["HTTP_CONTENT_ENCODING"] = ", ".join(encodings)
    else:
        environ.pop("HTTP_CONTENT_ENCODING", None)
    for name, value in checksums.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value

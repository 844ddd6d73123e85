"""Verifying AWS Signature Version 4 on requests that reach our servers, as AWS does.

The emulator (service ``mediaconvert``) and the embedded S3 (``s3``) check every request
against the credentials they were given: the ``Authorization`` header form, and for S3 the
presigned (query string) form with its expiry. The expected signature is computed by
botocore's own signers (``SigV4Auth``, ``S3SigV4Auth``, ``S3SigV4QueryAuth``) over the
request rebuilt from what arrived - the raw path, the raw query, exactly the headers the
client signed, and the body - at the request's ``X-Amz-Date``, and compared in constant
time.

:meth:`SigV4Verifier.authenticate` also hands back what signed the request (the signing
key's holder, the date, the signature), from which :mod:`vod_testbed.common.sigv4_chunked`
verifies the chunk signatures of a streaming (``aws-chunked``) upload.

For S3, every ``x-amz-*`` header and ``Content-MD5`` must be among the signed headers
(:func:`unsigned_instructions`), as S3 requires: an unsigned one is refused, never obeyed.

Known differences from AWS: a header sent twice is compared in the joined form the WSGI
server gives.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW_S = 15 * 60  # how far X-Amz-Date may be from the server's clock
MAX_PRESIGNED_EXPIRES_S = 7 * 24 * 3600
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z")
_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")

# Why a request was refused; each server maps these onto its own error types.
MISSING = "missing"  # no signature at all
MALFORMED = "malformed"  # a signature that does not parse
UNKNOWN_KEY = "unknown_key"  # an access key this server does not know
SCOPE = "scope"  # signed for another date, region or service
SKEWED = "skewed"  # a header signature dated too far from the server's clock
EXPIRED = "expired"  # a presigned URL past X-Amz-Expires (or not yet valid)
MISMATCH = "mismatch"  # the signature is not the one the secret gives
BODY_MISMATCH = "body_mismatch"  # the body is not the one x-amz-content-sha256 names
UNSIGNED_HEADERS = "unsigned_headers"  # S3: an x-amz-* (or Content-MD5) header not signed

HEADERS_NOT_SIGNED = "There were headers present in the request which were not signed"
# A presigned URL carries its own payload claim in the query; S3 lets a client send the
# header beside it unsigned (SDKs once did), so it is the one x-amz-* header exempt there.
_PRESIGNED_UNSIGNED_OK = frozenset({"x-amz-content-sha256"})


class SigV4Error(Exception):
    """A request that fails verification; ``kind`` is one of the constants above, and
    ``unsigned`` names the headers of an ``UNSIGNED_HEADERS`` refusal."""

    def __init__(self, kind: str, message: str, unsigned: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.unsigned = unsigned


def unsigned_instructions(
    headers: Mapping[str, str], signed: str, *, presigned: bool = False
) -> tuple[str, ...]:
    """The headers S3 insists be signed that ``signed`` (``SignedHeaders``) leaves out:
    every ``x-amz-*`` header, and ``Content-MD5``. An ``x-amz-*`` header is an instruction
    to S3 (copy from another key, an ACL, metadata, tags, a redirect): one the signer never
    saw must not be obeyed, so S3 refuses the request (``AccessDenied``, "There were
    headers present in the request which were not signed")."""
    names = {name for name in signed.lower().split(";") if name}
    exempt = _PRESIGNED_UNSIGNED_OK if presigned else frozenset()
    return tuple(
        sorted(
            name
            for name in headers
            if (name.startswith("x-amz-") or name == "content-md5")
            and name not in names
            and name not in exempt
        )
    )


def _refuse_unsigned(headers: Mapping[str, str], signed: str, *, presigned: bool) -> None:
    unsigned = unsigned_instructions(headers, signed, presigned=presigned)
    if unsigned:
        raise SigV4Error(UNSIGNED_HEADERS, HEADERS_NOT_SIGNED, unsigned)


@dataclass(frozen=True)
class IncomingRequest:
    """A request as it arrived: method, URL with the raw path and query, headers (lower-case
    names) and body (or, for a streamed body, its SHA-256)."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes = b""
    # The body's SHA-256 when the caller streamed it instead of passing ``body``.
    body_sha256: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any], body: bytes) -> IncomingRequest:
        """Rebuild from a WSGI environ; the path as sent (``REQUEST_URI``), not decoded."""
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = str(environ[key])
        raw = environ.get("REQUEST_URI") or environ.get("RAW_URI")
        if not raw:
            raw = urllib.parse.quote(environ.get("PATH_INFO", ""), safe="/~")
            if environ.get("QUERY_STRING"):
                raw += "?" + environ["QUERY_STRING"]
        host = headers.get("host", "localhost")
        return cls(str(environ.get("REQUEST_METHOD", "GET")), f"http://{host}{raw}", headers, body)


def _parse_amz_date(value: str | None) -> int:
    if not value or not _AMZ_DATE.fullmatch(value):
        raise SigV4Error(MALFORMED, "X-Amz-Date must be an ISO 8601 basic date (YYYYMMDDTHHMMSSZ).")
    try:
        return calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        raise SigV4Error(MALFORMED, f"X-Amz-Date {value!r} is not a valid date.") from None


def _authorization_fields(value: str) -> dict[str, str]:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SigV4Error(MALFORMED, f"Only the {ALGORITHM} authorization scheme is supported.")
    fields = {}
    for part in rest.split(","):
        key, sep, item = part.strip().partition("=")
        if sep:
            fields[key] = item
    missing = [k for k in ("Credential", "SignedHeaders", "Signature") if not fields.get(k)]
    if missing:
        raise SigV4Error(MALFORMED, f"Authorization header requires {', '.join(missing)}.")
    return fields


@dataclass(frozen=True)
class Authenticated:
    """A request whose signature verified: who signed it, when, with which signature, and
    the signer holding the secret (never shown in a repr) that chunk signatures need."""

    access_key: str
    amz_date: str
    signature: str
    # True for the Authorization header; False for a presigned URL (no chunk can chain on it).
    in_header: bool
    signer: SigV4Auth = field(repr=False)


def check_content_sha256(headers: Mapping[str, str], body_sha256: str) -> None:
    """Raise :class:`SigV4Error` (``BODY_MISMATCH``) when the signed ``x-amz-content-sha256``
    names a digest and the body's is another (``UNSIGNED-PAYLOAD`` and the streaming forms
    name none)."""
    claimed = headers.get("x-amz-content-sha256")
    if claimed and _HEX_SHA256.fullmatch(claimed) and not hmac.compare_digest(claimed, body_sha256):
        raise SigV4Error(BODY_MISMATCH, "The body does not match x-amz-content-sha256.")


class SigV4Verifier:
    """Checks SigV4 signatures against known credentials.

    Args:
        credentials: secret access key by access key id.
        service: the signing name expected in the credential scope (``mediaconvert``, ``s3``).
        region: the region expected in the scope; ``None`` accepts the one the client used.
        s3: S3's canonical form (path as sent, ``x-amz-content-sha256``) and presigned URLs.
        max_skew_s: how far a header signature's date may be from now.
        clock: the current time in Unix seconds (injectable for tests).
    """

    def __init__(
        self,
        credentials: Mapping[str, str],
        service: str,
        region: str | None = None,
        *,
        s3: bool = False,
        max_skew_s: float = MAX_SKEW_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.credentials = dict(credentials)
        self.service = service
        self.region = region
        self.s3 = s3
        self.max_skew_s = max_skew_s
        self.clock = clock

    def verify(self, request: IncomingRequest) -> str:
        """Return the access key id that signed ``request``.

        Raises:
            SigV4Error: the request is unsigned, malformed, stale or wrongly signed.
        """
        return self.authenticate(request).access_key

    def authenticate(self, request: IncomingRequest, *, body_later: bool = False) -> Authenticated:
        """Verify ``request`` as :meth:`verify` does; return who signed it and how.

        ``body_later``: check the signature only, not the body against the signed
        ``x-amz-content-sha256``: a server that has not read the body yet (nothing is read for
        an unsigned caller) then calls :func:`check_content_sha256` once it has.

        Raises:
            SigV4Error: the request is unsigned, malformed, stale or wrongly signed.
        """
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
        if "authorization" in request.headers:
            return self._verify_header(request, body_later)
        if self.s3 and "X-Amz-Signature" in query:
            return self._verify_query(request, {k: v[0] for k, v in query.items()})
        raise SigV4Error(MISSING, "The request is not signed.")

    def _scope(self, credential: str, amz_date: str) -> tuple[str, str, str]:
        """(access key, secret, region) from ``AKID/date/region/service/aws4_request``."""
        parts = credential.split("/")
        if len(parts) != 5 or parts[4] != "aws4_request":
            raise SigV4Error(
                MALFORMED, "Credential must be <key>/<date>/<region>/<service>/aws4_request."
            )
        access_key, date, region, service, _ = parts
        secret = self.credentials.get(access_key)
        if secret is None:
            raise SigV4Error(UNKNOWN_KEY, "The security token included in the request is invalid.")
        if date != amz_date[:8]:
            raise SigV4Error(SCOPE, f"Credential should be scoped to a valid date: {amz_date[:8]}.")
        if self.region is not None and region != self.region:
            raise SigV4Error(SCOPE, f"Credential should be scoped to region {self.region!r}.")
        if service != self.service:
            raise SigV4Error(SCOPE, f"Credential should be scoped to service {self.service!r}.")
        return access_key, secret, region

    def _rebuilt(self, request: IncomingRequest, url: str, signed: str) -> AWSRequest:
        names = [name for name in signed.lower().split(";") if name]
        if "host" not in names:
            raise SigV4Error(MALFORMED, "SignedHeaders must include host.")
        absent = [name for name in names if name not in request.headers]
        if absent:
            raise SigV4Error(MISMATCH, f"Signed header(s) missing: {', '.join(absent)}.")
        headers = {name: request.headers[name] for name in names}
        return AWSRequest(method=request.method, url=url, headers=headers, data=request.body)

    def _check(
        self, signer: SigV4Auth, rebuilt: AWSRequest, amz_date: str, given: str, access_key: str
    ) -> Authenticated:
        rebuilt.context["timestamp"] = amz_date
        canonical = signer.canonical_request(rebuilt)
        expected = signer.signature(signer.string_to_sign(rebuilt, canonical), rebuilt)
        if not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
            raise SigV4Error(
                MISMATCH,
                "The request signature we calculated does not match the signature you provided."
                " Check your AWS Secret Access Key and signing method.",
            )
        in_header = not isinstance(signer, S3SigV4QueryAuth)
        return Authenticated(access_key, amz_date, given, in_header, signer)

    def _verify_header(self, request: IncomingRequest, body_later: bool) -> Authenticated:
        fields = _authorization_fields(request.headers["authorization"])
        amz_date = request.headers.get("x-amz-date")
        signed_at = _parse_amz_date(amz_date)
        assert amz_date is not None
        access_key, secret, region = self._scope(fields["Credential"], amz_date)
        skew = self.clock() - signed_at
        if abs(skew) > self.max_skew_s:
            raise SigV4Error(
                SKEWED,
                f"Signature expired: {amz_date} is more than {self.max_skew_s / 60:.0f} minutes "
                "from the server's time.",
            )
        content_sha = request.headers.get("x-amz-content-sha256")
        if self.s3 and content_sha is None:
            raise SigV4Error(MALFORMED, "Missing required header: x-amz-content-sha256.")
        if not body_later:
            check_content_sha256(
                request.headers,
                request.body_sha256 or hashlib.sha256(request.body).hexdigest(),
            )
        if self.s3:
            _refuse_unsigned(request.headers, fields["SignedHeaders"], presigned=False)
        rebuilt = self._rebuilt(request, request.url, fields["SignedHeaders"])
        credentials = Credentials(access_key, secret)
        signer_class = S3SigV4Auth if self.s3 else SigV4Auth
        return self._check(
            signer_class(credentials, self.service, region),
            rebuilt,
            amz_date,
            fields["Signature"],
            access_key,
        )

    def _verify_query(self, request: IncomingRequest, query: dict[str, str]) -> Authenticated:
        missing = [
            name
            for name in (
                "X-Amz-Algorithm",
                "X-Amz-Credential",
                "X-Amz-Date",
                "X-Amz-Expires",
                "X-Amz-SignedHeaders",
            )
            if name not in query
        ]
        if missing or query.get("X-Amz-Algorithm") != ALGORITHM:
            raise SigV4Error(
                MALFORMED,
                f"A presigned URL needs X-Amz-Algorithm={ALGORITHM} and every X-Amz-* "
                f"parameter (missing: {', '.join(missing) or 'none'}).",
            )
        amz_date = query["X-Amz-Date"]
        signed_at = _parse_amz_date(amz_date)
        expires = query["X-Amz-Expires"]
        if (
            not (expires.isascii() and expires.isdigit())
            or not 1 <= int(expires) <= MAX_PRESIGNED_EXPIRES_S
        ):
            raise SigV4Error(MALFORMED, "X-Amz-Expires must be 1 to 604800 seconds.")
        access_key, secret, region = self._scope(query["X-Amz-Credential"], amz_date)
        now = self.clock()
        if now > signed_at + int(expires):
            raise SigV4Error(EXPIRED, "Request has expired.")
        if signed_at - now > self.max_skew_s:
            raise SigV4Error(EXPIRED, "Request is not yet valid.")
        parts = urllib.parse.urlsplit(request.url)
        unsigned_query = "&".join(
            pair for pair in parts.query.split("&") if not pair.startswith("X-Amz-Signature=")
        )
        url = urllib.parse.urlunsplit(parts._replace(query=unsigned_query))
        _refuse_unsigned(request.headers, query["X-Amz-SignedHeaders"], presigned=True)
        rebuilt = self._rebuilt(request, url, query["X-Amz-SignedHeaders"])
        signer = S3SigV4QueryAuth(Credentials(access_key, secret), self.service, region)
        return self._check(signer, rebuilt, amz_date, query["X-Amz-Signature"], access_key)

"""A client-side signer of streaming (``aws-chunked``) S3 uploads, for tests and benchmarks.

botocore signs no chunks (its ``aws-chunked`` bodies are the unsigned-trailer form), so this
signs them as the AWS SDKs for Java, Go and .NET do: botocore's own signer makes the seed
signature over the headers, and each chunk's signature is an HMAC chain computed here from
the secret, independently of the server's code. The frames are kept apart so that a test
can alter, drop or reorder them before joining them into a body.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from dataclasses import dataclass, field
from typing import Any

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum

SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
CRC32_TRAILER = "x-amz-checksum-crc32"
REGION = "us-east-1"


class _StreamingSeed(S3SigV4Auth):
    """botocore's S3 signer with a streaming form as the payload hash (it signs the
    ``x-amz-content-sha256`` header's value, as the SDKs that stream do)."""

    def __init__(self, credentials: Credentials, form: str) -> None:
        super().__init__(credentials, "s3", REGION)
        self._form = form

    def payload(self, request: Any) -> str:
        return self._form


@dataclass
class ChunkedUpload:
    """A signed streaming upload: its headers, its chunk frames (the final, empty one last)
    and what follows the final chunk (trailer lines and the closing empty line)."""

    headers: dict[str, str]
    frames: list[bytes]
    end: bytes = b"\r\n"
    signatures: list[str] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.frames) + self.end


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sign_chunked_put(
    url: str,
    data: bytes,
    key: str,
    secret: str,
    *,
    chunk_bytes: int = 64 * 1024,
    form: str = SIGNED,
    declared_bytes: int | None = None,
    checksum: str | None = None,
    extra_headers: dict[str, str] | None = None,
) -> ChunkedUpload:
    """Sign a PUT of ``data`` to ``url`` as a streaming upload in chunks of ``chunk_bytes``.

    ``form`` is :data:`SIGNED` or :data:`SIGNED_TRAILER` (with a CRC32 trailer, ``checksum``
    overriding its value); ``declared_bytes`` overrides ``x-amz-decoded-content-length`` (a
    negative one leaves it out); ``extra_headers`` are signed too.
    """
    headers = {"content-encoding": "aws-chunked"}
    if declared_bytes is None or declared_bytes >= 0:
        headers["x-amz-decoded-content-length"] = str(
            len(data) if declared_bytes is None else declared_bytes
        )
    if form == SIGNED_TRAILER:
        headers["x-amz-trailer"] = CRC32_TRAILER
    headers.update(extra_headers or {})
    request = AWSRequest(method="PUT", url=url, headers=headers)
    _StreamingSeed(Credentials(key, secret), form).add_auth(request)
    amz_date = request.headers["X-Amz-Date"]
    seed = request.headers["Authorization"].rpartition("Signature=")[2]
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    signing_key = ("AWS4" + secret).encode()
    for part in (amz_date[:8], REGION, "s3", "aws4_request"):
        signing_key = _hmac(signing_key, part)

    upload = ChunkedUpload(dict(request.headers.items()), [])
    previous = seed
    pieces = [data[i : i + chunk_bytes] for i in range(0, len(data), chunk_bytes)] + [b""]
    for piece in pieces:
        string_to_sign = (
            f"AWS4-HMAC-SHA256-PAYLOAD\n{amz_date}\n{scope}\n{previous}\n{EMPTY_SHA256}\n"
            f"{hashlib.sha256(piece).hexdigest()}"
        )
        previous = _hmac(signing_key, string_to_sign).hex()
        upload.signatures.append(previous)
        upload.frames.append(
            f"{len(piece):x};chunk-signature={previous}\r\n".encode()
            + piece
            + (b"\r\n" if piece else b"")
        )
    if form == SIGNED_TRAILER:
        value = checksum if checksum is not None else Crc32Checksum().handle(data)
        trailer = f"{CRC32_TRAILER}:{value}\n"
        string_to_sign = (
            f"AWS4-HMAC-SHA256-TRAILER\n{amz_date}\n{scope}\n{previous}\n"
            f"{hashlib.sha256(trailer.encode()).hexdigest()}"
        )
        signature = _hmac(signing_key, string_to_sign).hex()
        upload.end = (
            f"{CRC32_TRAILER}:{value}\r\nx-amz-trailer-signature:{signature}\r\n\r\n".encode()
        )
    return upload


def unsigned_trailer_put(
    url: str, data: bytes, key: str, secret: str
) -> tuple[dict[str, str], bytes]:
    """Headers and body of a ``STREAMING-UNSIGNED-PAYLOAD-TRAILER`` PUT with a CRC32 trailer,
    the body framed by botocore's own ``aws-chunked`` encoder."""
    body = AwsChunkedWrapper(
        io.BytesIO(data), checksum_cls=Crc32Checksum, checksum_name=CRC32_TRAILER
    ).read()
    headers = {
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(len(data)),
        "x-amz-trailer": CRC32_TRAILER,
    }
    request = AWSRequest(method="PUT", url=url, headers=headers)
    _StreamingSeed(Credentials(key, secret), UNSIGNED_TRAILER).add_auth(request)
    return dict(request.headers.items()), body

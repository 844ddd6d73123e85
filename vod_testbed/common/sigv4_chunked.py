"""Verifying a streaming (``aws-chunked``) S3 upload chunk by chunk, as S3 does.

An upload whose ``x-amz-content-sha256`` is ``STREAMING-AWS4-HMAC-SHA256-PAYLOAD`` (what the
AWS SDKs for Java, Go and .NET and many S3 tools send for PutObject and UploadPart) is signed
in pieces. The Authorization header's signature, the seed, covers the headers only; the body
is framed as ``hex(size);chunk-signature=<64 hex>\\r\\n<data>\\r\\n``, repeated, ending with a
chunk of size 0, and each chunk's signature chains on the one before it (the seed for the
first)::

    AWS4-HMAC-SHA256-PAYLOAD\\n<x-amz-date>\\n<scope>\\n<previous signature>\\n
    <sha256("")>\\n<sha256(chunk data)>

``STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`` adds trailing headers (the checksum that
``x-amz-trailer`` names) after the last chunk, signed by ``x-amz-trailer-signature``;
``STREAMING-UNSIGNED-PAYLOAD-TRAILER`` has no chunk signatures, only the trailer's checksum.

:class:`ChunkedBody` checks all of it on a body fed in pieces of any size, holding at most one
framing line, never the data: every signature, the framing, the decoded size against
``x-amz-decoded-content-length``, S3's 8 KiB minimum for every chunk but the last, and the
trailer's checksum. A refusal is a :class:`~vod_testbed.common.sigv4.SigV4Error` of one of
the kinds below; each server maps them onto its own errors.

Known differences from S3: ECDSA (SigV4a) streaming is refused; a CRC32C or CRC64NVME trailer
is verified only where botocore has the AWS CRT (``pip install awscrt``), refused otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from typing import Any

from botocore import httpchecksum
from botocore.awsrequest import AWSRequest
from botocore.compat import HAS_CRT, has_minimum_crt_version

from vod_testbed.common.sigv4 import MISMATCH, Authenticated, SigV4Error

SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
_STREAMING_PREFIX = "STREAMING-"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
MIN_CHUNK_BYTES = 8 * 1024  # S3's minimum for every chunk but the last
MAX_LINE_BYTES = 4096  # a chunk header or trailer line; real ones are under 200 bytes

# Why a streaming body was refused (besides sigv4.MISMATCH for a signature).
INCOMPLETE_BODY = "incomplete_body"  # framing broken, body cut short, or not the declared size
CHUNK_SIZE = "chunk_size"  # a chunk other than the last is under 8 KiB
BAD_DIGEST = "bad_digest"  # the trailer's checksum is not the data's
MALFORMED_TRAILER = "malformed_trailer"  # the trailer named in x-amz-trailer is absent or other
UNSUPPORTED = "unsupported"  # a streaming form or trailer this server cannot verify
MISSING_LENGTH = "missing_length"  # no usable x-amz-decoded-content-length

_CHECKSUMS: dict[str, Callable[[], Any]] = {
    "x-amz-checksum-crc32": httpchecksum.Crc32Checksum,
    "x-amz-checksum-sha1": httpchecksum.Sha1Checksum,
    "x-amz-checksum-sha256": httpchecksum.Sha256Checksum,
}
if HAS_CRT:  # pragma: no cover - depends on whether awscrt is installed
    _CHECKSUMS["x-amz-checksum-crc32c"] = httpchecksum.CrtCrc32cChecksum
    if has_minimum_crt_version((0, 23, 4)):
        _CHECKSUMS["x-amz-checksum-crc64nvme"] = httpchecksum.CrtCrc64NvmeChecksum
_HEX_SIZE = re.compile(rb"[0-9a-fA-F]{1,16}")
_CHUNK_SIGNATURE = re.compile(rb"chunk-signature=([0-9a-f]{64})")
_TRAILER_SIGNATURE = "x-amz-trailer-signature"


def is_streaming(content_sha256: str | None) -> bool:
    """Whether ``x-amz-content-sha256`` announces an ``aws-chunked`` body."""
    return bool(content_sha256 and content_sha256.startswith(_STREAMING_PREFIX))


class ChunkSigner:
    """Checks chunk and trailer signatures chained from a verified seed, with botocore's key
    derivation (the secret stays inside botocore's signer)."""

    def __init__(self, seed: Authenticated) -> None:
        self._signer = seed.signer
        self._request = AWSRequest()
        self._request.context["timestamp"] = seed.amz_date
        self._prefix = f"{seed.amz_date}\n{seed.signer.credential_scope(self._request)}\n"
        self._previous = seed.signature

    def next_chunk(self, data_sha256: str, given: str) -> bool:
        """Whether ``given`` signs the next chunk, whose data has this SHA-256; when it
        does, the chain moves on to it."""
        expected = self._sign(
            f"AWS4-HMAC-SHA256-PAYLOAD\n{self._prefix}{self._previous}\n"
            f"{EMPTY_SHA256}\n{data_sha256}"
        )
        if not hmac.compare_digest(expected, given):
            return False
        self._previous = expected
        return True

    def trailer(self, canonical_trailer: bytes, given: str) -> bool:
        """Whether ``given`` is the ``x-amz-trailer-signature`` of these trailing headers
        (``name:value\\n`` each), after the final chunk."""
        digest = hashlib.sha256(canonical_trailer).hexdigest()
        expected = self._sign(f"AWS4-HMAC-SHA256-TRAILER\n{self._prefix}{self._previous}\n{digest}")
        return hmac.compare_digest(expected, given)

    def _sign(self, string_to_sign: str) -> str:
        return str(self._signer.signature(string_to_sign, self._request))


def _mismatch(what: str) -> SigV4Error:
    return SigV4Error(
        MISMATCH,
        f"{what} does not match the signature we calculated. Check your AWS Secret Access Key "
        "and signing method.",
    )


class ChunkedBody:
    """Decode and verify an ``aws-chunked`` body fed in pieces (:meth:`feed`, then
    :meth:`finish`); nothing of the data is kept.

    Args:
        decoded_bytes: ``x-amz-decoded-content-length``, the size of the data.
        trailer: the checksum header ``x-amz-trailer`` names (the ``-TRAILER`` forms).
        signer: chains the chunk signatures; ``None`` for the unsigned form.
    """

    def __init__(self, decoded_bytes: int, trailer: str | None, signer: ChunkSigner | None) -> None:
        self.declared_bytes = decoded_bytes
        self.decoded_bytes = 0
        self._signer = signer
        self._trailer = trailer
        self._checksum = _CHECKSUMS[trailer]() if trailer else None
        self._line = bytearray()  # a framing line as far as it has come
        self._state: Callable[[bytes], None] = self._header
        self._left = 0  # data bytes still to come in the current chunk
        self._data_hash = hashlib.sha256()
        self._given = ""  # the current chunk's signature
        self._chunks = 0
        self._short_chunk = 0  # the number of a chunk under 8 KiB, which must be the last
        self._trailers: list[tuple[str, str]] = []

    @classmethod
    def for_request(cls, headers: Mapping[str, str], seed: Authenticated | None) -> ChunkedBody:
        """The verifier of a streaming request (headers with lower-case names), checking
        what its headers announce; ``seed`` is how the request verified.

        Raises:
            SigV4Error: a form or trailer this server cannot verify, or a missing length.
        """
        form = headers.get("x-amz-content-sha256", "")
        if form not in (SIGNED, SIGNED_TRAILER, UNSIGNED_TRAILER):
            raise SigV4Error(
                UNSUPPORTED,
                f"x-amz-content-sha256 {form!r} is not supported here: use {SIGNED}, "
                f"{SIGNED_TRAILER} or {UNSIGNED_TRAILER}.",
            )
        if form != UNSIGNED_TRAILER and (seed is None or not seed.in_header):
            raise SigV4Error(
                UNSUPPORTED,
                f"{form} chains its chunk signatures on the Authorization header's signature;"
                " a presigned or unsigned request cannot use it.",
            )
        length = headers.get("x-amz-decoded-content-length", "")
        if not (length.isascii() and length.isdigit()):
            raise SigV4Error(
                MISSING_LENGTH,
                "A streaming upload must give the data's size in x-amz-decoded-content-length.",
            )
        trailer = headers.get("x-amz-trailer", "").strip().lower() or None
        if form == SIGNED and trailer:
            raise SigV4Error(UNSUPPORTED, f"x-amz-trailer needs {SIGNED_TRAILER}, not {SIGNED}.")
        if form != SIGNED and trailer not in _CHECKSUMS:
            raise SigV4Error(
                UNSUPPORTED,
                f"The value specified in the x-amz-trailer header is not supported here: "
                f"{trailer or 'none'} (supported: {', '.join(sorted(_CHECKSUMS))}).",
            )
        signer = ChunkSigner(seed) if form != UNSIGNED_TRAILER and seed is not None else None
        return cls(int(length), trailer, signer)

    def feed(self, data: bytes) -> None:
        """Take the next piece of the body, of any size.

        Raises:
            SigV4Error: the body is already known to be wrong.
        """
        view = memoryview(data)
        pos = 0
        while pos < len(data):
            if self._state == self._done:
                raise SigV4Error(INCOMPLETE_BODY, "The body goes on after its final chunk.")
            if self._left:
                piece = view[pos : pos + self._left]
                self._take(piece)
                pos += len(piece)
                continue
            end = data.find(b"\n", pos)
            stop = len(data) if end < 0 else end + 1
            if len(self._line) + stop - pos > MAX_LINE_BYTES:
                raise SigV4Error(
                    INCOMPLETE_BODY,
                    f"A chunk header or trailer line is longer than {MAX_LINE_BYTES} bytes.",
                )
            self._line += view[pos:stop]
            pos = stop
            if end >= 0:
                if not self._line.endswith(b"\r\n"):
                    raise SigV4Error(INCOMPLETE_BODY, "Chunk framing lines must end with CRLF.")
                line = bytes(self._line[:-2])
                self._line.clear()
                self._state(line)

    def finish(self) -> None:
        """The body ended: it must have been whole and of the declared size.

        Raises:
            SigV4Error: the body was cut short.
        """
        if self._state != self._done:
            raise SigV4Error(
                INCOMPLETE_BODY,
                f"The request body terminated unexpectedly (in chunk {max(self._chunks, 1)}).",
            )

    def _take(self, piece: memoryview) -> None:
        """Chunk data: hashed for the chunk's signature and the trailer's checksum."""
        if self._signer is not None:
            self._data_hash.update(piece)
        if self._checksum is not None:
            self._checksum.update(piece)
        self._left -= len(piece)
        self.decoded_bytes += len(piece)
        if not self._left:
            self._check_signature()

    # The states: each takes the next framing line, CRLF removed.

    def _header(self, line: bytes) -> None:
        self._chunks += 1
        size = self._parse_header(line)
        if self._short_chunk and size:
            raise SigV4Error(
                CHUNK_SIZE,
                f"Only the last chunk is allowed to have a size less than {MIN_CHUNK_BYTES} "
                f"bytes (chunk {self._short_chunk}).",
            )
        if size < MIN_CHUNK_BYTES:
            self._short_chunk = self._chunks
        if self.decoded_bytes + size > self.declared_bytes:
            raise SigV4Error(
                INCOMPLETE_BODY,
                f"Chunk {self._chunks} goes past the {self.declared_bytes} bytes declared in "
                "x-amz-decoded-content-length.",
            )
        if size:
            self._left = size
            self._state = self._data_end
            return
        self._check_signature()
        if self.decoded_bytes != self.declared_bytes:
            raise SigV4Error(
                INCOMPLETE_BODY,
                "You did not provide the number of bytes specified by the "
                f"x-amz-decoded-content-length header ({self.declared_bytes}; the chunks hold "
                f"{self.decoded_bytes}).",
            )
        self._state = self._trailer_line if self._trailer else self._end

    def _parse_header(self, line: bytes) -> int:
        """The chunk's size; for a signed body, its signature is kept to be checked."""
        size_hex, _, extension = line.partition(b";")
        if not _HEX_SIZE.fullmatch(size_hex):
            shown = size_hex[:20].decode("ascii", "replace")
            raise SigV4Error(
                INCOMPLETE_BODY,
                f"The size of chunk {self._chunks}, {shown!r}, is not hexadecimal.",
            )
        if self._signer is None:
            if extension:
                raise SigV4Error(
                    INCOMPLETE_BODY, f"Chunk {self._chunks} of an unsigned body has extensions."
                )
        else:
            signature = _CHUNK_SIGNATURE.fullmatch(extension)
            if signature is None:
                raise SigV4Error(MISMATCH, f"Chunk {self._chunks} carries no chunk-signature.")
            self._given = signature.group(1).decode()
        return int(size_hex, 16)

    def _check_signature(self) -> None:
        if self._signer is None:
            return
        if not self._signer.next_chunk(self._data_hash.hexdigest(), self._given):
            raise _mismatch(f"The signature of chunk {self._chunks}")
        self._data_hash = hashlib.sha256()

    def _data_end(self, line: bytes) -> None:
        if line:
            raise SigV4Error(
                INCOMPLETE_BODY, f"Chunk {self._chunks} holds more data than its size says."
            )
        self._state = self._header

    def _trailer_line(self, line: bytes) -> None:
        if line:
            name, sep, value = line.decode("ascii", "replace").partition(":")
            if not sep:
                raise SigV4Error(MALFORMED_TRAILER, "A trailing header must be name:value.")
            self._trailers.append((name.strip().lower(), value.strip()))
            return
        self._check_trailers()
        self._state = self._done

    def _check_trailers(self) -> None:
        assert self._checksum is not None and self._trailer is not None
        signatures = [value for name, value in self._trailers if name == _TRAILER_SIGNATURE]
        headers = [(name, value) for name, value in self._trailers if name != _TRAILER_SIGNATURE]
        if [name for name, _ in headers] != [self._trailer] or (
            signatures and self._signer is None
        ):
            raise SigV4Error(
                MALFORMED_TRAILER,
                f"The trailer must be exactly the {self._trailer} that x-amz-trailer names.",
            )
        if self._signer is not None:
            canonical = "".join(f"{name}:{value}\n" for name, value in headers).encode()
            if len(signatures) != 1 or not self._signer.trailer(canonical, signatures[0]):
                raise _mismatch("The x-amz-trailer-signature")
        if not hmac.compare_digest(self._checksum.b64digest(), headers[0][1]):
            algorithm = self._trailer.removeprefix("x-amz-checksum-").upper()
            raise SigV4Error(
                BAD_DIGEST, f"The {algorithm} you specified did not match the calculated checksum."
            )

    def _end(self, line: bytes) -> None:
        if line:
            raise SigV4Error(INCOMPLETE_BODY, "The final chunk must be followed by an empty line.")
        self._state = self._done

    def _done(self, line: bytes) -> None:
        raise SigV4Error(INCOMPLETE_BODY, "The body goes on after its final chunk.")

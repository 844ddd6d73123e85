"""Streaming (aws-chunked) uploads are verified chunk by chunk, against S3's published
examples: the 66560-byte upload of 'a' (64 KiB and 1 KiB chunks) signed with
AKIAIOSFODNN7EXAMPLE, and the same upload with a signed CRC32C trailer."""

from __future__ import annotations

import calendar
import hashlib

import pytest

from vod_testbed.common import sigv4, sigv4_chunked

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AMZ_DATE = "20130524T000000Z"
URL = "http://s3.amazonaws.com/examplebucket/chunkObject.txt"
SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
CHUNK_SIGNATURES = (
    "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
    "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
)
TRAILER_SEED = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
TRAILER_CHUNK_SIGNATURES = (
    "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
    "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
    "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
)
TRAILER_SIGNATURE = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435"
DATA = (b"a" * 65536, b"a" * 1024, b"")


def example_headers(**changes: str) -> dict[str, str]:
    headers = {
        "host": "s3.amazonaws.com",
        "x-amz-date": AMZ_DATE,
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "authorization": (
            f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
            f"x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature={SEED}"
        ),
        "x-amz-content-sha256": sigv4_chunked.SIGNED,
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": "66560",
        "content-length": "66824",
    }
    return headers | changes


def example_body(signatures: tuple[str, ...] = CHUNK_SIGNATURES) -> bytes:
    return b"".join(
        f"{len(data):x};chunk-signature={signature}\r\n".encode() + data + b"\r\n"
        for data, signature in zip(DATA, signatures, strict=True)
    )


def authenticate(headers: dict[str, str]) -> sigv4.Authenticated:
    at_the_example_s = calendar.timegm((2013, 5, 24, 0, 0, 0))
    verifier = sigv4.SigV4Verifier(
        {ACCESS_KEY: SECRET}, "s3", s3=True, clock=lambda: at_the_example_s
    )
    return verifier.authenticate(sigv4.IncomingRequest("PUT", URL, headers))


def verify_body(body: bytes, piece_bytes: int, headers: dict[str, str] | None = None) -> int:
    headers = headers or example_headers()
    chunked = sigv4_chunked.ChunkedBody.for_request(headers, authenticate(headers))
    for start in range(0, len(body), piece_bytes):
        chunked.feed(body[start : start + piece_bytes])
    chunked.finish()
    return chunked.decoded_bytes


def test_the_published_example_seed_signature_verifies() -> None:
    assert authenticate(example_headers()).signature == SEED


def test_the_published_example_body_is_its_content_length() -> None:
    assert len(example_body()) == 66824


@pytest.mark.parametrize("piece_bytes", [1, 7, 4096, 66824])
def test_the_published_example_verifies_whatever_pieces_the_body_arrives_in(
    piece_bytes: int,
) -> None:
    assert verify_body(example_body(), piece_bytes) == 66560


def test_a_published_chunk_signature_changed_by_one_digit_is_refused_naming_its_chunk() -> None:
    forged = (CHUNK_SIGNATURES[0], "1" + CHUNK_SIGNATURES[1][1:], CHUNK_SIGNATURES[2])
    with pytest.raises(sigv4.SigV4Error, match="signature of chunk 2 does not match") as refused:
        verify_body(example_body(forged), 66824)
    assert refused.value.kind == sigv4.MISMATCH


def test_the_published_trailer_example_chains_its_chunk_and_trailer_signatures() -> None:
    headers = example_headers(
        authorization=(
            f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;"
            "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,"
            f"Signature={TRAILER_SEED}"
        ),
        **{
            "x-amz-content-sha256": sigv4_chunked.SIGNED_TRAILER,
            "x-amz-trailer": "x-amz-checksum-crc32c",
        },
    )
    signer = sigv4_chunked.ChunkSigner(authenticate(headers))
    chained = [
        signer.next_chunk(hashlib.sha256(data).hexdigest(), signature)
        for data, signature in zip(DATA, TRAILER_CHUNK_SIGNATURES, strict=True)
    ]
    assert chained == [True, True, True]
    assert signer.trailer(b"x-amz-checksum-crc32c:sOO8/Q==\n", TRAILER_SIGNATURE)


def test_a_line_longer_than_any_chunk_header_is_refused_without_waiting_for_its_end() -> None:
    headers = example_headers()
    chunked = sigv4_chunked.ChunkedBody.for_request(headers, authenticate(headers))
    with pytest.raises(sigv4.SigV4Error, match="line is longer than 4096 bytes") as refused:
        chunked.feed(b"1" * (sigv4_chunked.MAX_LINE_BYTES + 1))
    assert refused.value.kind == sigv4_chunked.INCOMPLETE_BODY


def test_bytes_after_the_final_chunk_are_refused() -> None:
    with pytest.raises(sigv4.SigV4Error, match="goes on after its final chunk") as refused:
        verify_body(example_body() + b"x", 66825)
    assert refused.value.kind == sigv4_chunked.INCOMPLETE_BODY


def test_a_signed_form_without_a_header_signature_is_refused() -> None:
    with pytest.raises(sigv4.SigV4Error, match="Authorization header's signature") as refused:
        sigv4_chunked.ChunkedBody.for_request(example_headers(), None)
    assert refused.value.kind == sigv4_chunked.UNSUPPORTED


def test_the_signer_is_not_shown_in_the_authenticated_repr() -> None:
    authenticated = authenticate(example_headers())
    assert SECRET not in repr(authenticated)
    assert "signer" not in repr(authenticated)

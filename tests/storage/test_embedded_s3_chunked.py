"""The embedded S3 takes streaming (aws-chunked) uploads as S3 does: chunk-signed PUTs and
UploadParts, with or without a signed trailer, and the unsigned-trailer form botocore sends,
read back byte for byte; and refuses a tampered or mis-framed body with S3's own error,
storing nothing. Over real HTTP, signed as the AWS SDKs for Java, Go and .NET sign."""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.compat import HAS_CRT
from botocore.config import Config
from botocore.httpchecksum import Crc32Checksum

from tests.support.chunk_signer import (
    SIGNED,
    SIGNED_TRAILER,
    ChunkedUpload,
    sign_chunked_put,
    unsigned_trailer_put,
)
from vod_testbed.storage.embedded import EmbeddedS3, start_embedded_s3

pytestmark = pytest.mark.e2e

KEY, SECRET = "AKIDCHUNKED", "chunked-upload-secret"
BUCKET = "chunked-uploads"
DATA = os.urandom(200_000)  # three full 64 KiB chunks and a short last one


@pytest.fixture(scope="module")
def s3_server() -> Iterator[EmbeddedS3]:
    server = start_embedded_s3(credentials={KEY: SECRET})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(s3_server: EmbeddedS3) -> Any:
    c = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    c.create_bucket(Bucket=BUCKET)
    return c


def url_of(server: EmbeddedS3, key: str) -> str:
    return f"{server.endpoint_url}/{BUCKET}/{key}"


def put(upload: ChunkedUpload, url: str) -> requests.Response:
    return requests.put(url, data=upload.body, headers=upload.headers, timeout=30)


def read_back(client: Any, key: str) -> bytes:
    body: bytes = client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return body


def s3_error(answer: requests.Response) -> tuple[int, str, str]:
    error = ET.fromstring(answer.content)
    return answer.status_code, error.findtext("Code") or "", error.findtext("Message") or ""


@pytest.mark.parametrize("form", [SIGNED, SIGNED_TRAILER])
def test_a_chunk_signed_put_reads_back_byte_identical(
    s3_server: EmbeddedS3, client: Any, form: str
) -> None:
    url = url_of(s3_server, f"{form}.bin")
    answer = put(sign_chunked_put(url, DATA, KEY, SECRET, form=form), url)
    assert answer.status_code == 200, answer.text
    assert read_back(client, f"{form}.bin") == DATA


def test_botocores_unsigned_trailer_put_reads_back_byte_identical(
    s3_server: EmbeddedS3, client: Any
) -> None:
    url = url_of(s3_server, "unsigned.bin")
    headers, body = unsigned_trailer_put(url, DATA, KEY, SECRET)
    answer = requests.put(url, data=body, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    assert read_back(client, "unsigned.bin") == DATA


def test_a_chunk_signed_upload_part_completes_a_multipart_upload(
    s3_server: EmbeddedS3, client: Any
) -> None:
    upload_id = client.create_multipart_upload(Bucket=BUCKET, Key="multipart.bin")["UploadId"]
    url = f"{url_of(s3_server, 'multipart.bin')}?partNumber=1&uploadId={upload_id}"
    answer = put(sign_chunked_put(url, DATA, KEY, SECRET), url)
    assert answer.status_code == 200, answer.text
    client.complete_multipart_upload(
        Bucket=BUCKET,
        Key="multipart.bin",
        UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": answer.headers["ETag"]}]},
    )
    assert read_back(client, "multipart.bin") == DATA


def _alter_data(upload: ChunkedUpload) -> None:
    frame = upload.frames[1]
    upload.frames[1] = frame[:-3] + bytes([frame[-3] ^ 1]) + frame[-2:]


def _forge_signature(upload: ChunkedUpload) -> None:
    upload.frames[1] = upload.frames[1].replace(upload.signatures[1].encode(), b"0" * 64)


def _drop_signature(upload: ChunkedUpload) -> None:
    upload.frames[1] = upload.frames[1].replace(
        f";chunk-signature={upload.signatures[1]}".encode(), b""
    )


def _reorder(upload: ChunkedUpload) -> None:
    upload.frames[1], upload.frames[2] = upload.frames[2], upload.frames[1]


def _drop_chunk(upload: ChunkedUpload) -> None:
    del upload.frames[1]


def _truncate(upload: ChunkedUpload) -> None:
    upload.frames[2] = upload.frames[2][:1000]
    del upload.frames[3:]
    upload.end = b""


def _bad_hex_size(upload: ChunkedUpload) -> None:
    upload.frames[0] = b"1000g" + upload.frames[0][5:]


def _extra_data(upload: ChunkedUpload) -> None:
    upload.frames[0] = upload.frames[0][:-2] + b"x\r\n"


def _forge_trailer_signature(upload: ChunkedUpload) -> None:
    upload.end = re.sub(rb"signature:[0-9a-f]{64}", b"signature:" + b"0" * 64, upload.end)


def _drop_trailer(upload: ChunkedUpload) -> None:
    upload.end = b"\r\n"


def _as_sent(upload: ChunkedUpload) -> None:
    pass


TRAILER = {"form": SIGNED_TRAILER}
ECDSA = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
REFUSALS = {
    # Tampered in flight: the signature chain breaks at the chunk that changed.
    "altered-data": ({}, _alter_data, 403, "SignatureDoesNotMatch", "signature of chunk 2"),
    "forged-signature": ({}, _forge_signature, 403, "SignatureDoesNotMatch", "of chunk 2"),
    "missing-signature": ({}, _drop_signature, 403, "SignatureDoesNotMatch", "no chunk-signa"),
    "reordered-chunks": ({}, _reorder, 403, "SignatureDoesNotMatch", "signature of chunk 2"),
    "dropped-chunk": ({}, _drop_chunk, 403, "SignatureDoesNotMatch", "signature of chunk 2"),
    "forged-trailer-signature": (
        TRAILER, _forge_trailer_signature, 403, "SignatureDoesNotMatch",
        "x-amz-trailer-signature does not match",
    ),
    # Mis-framed or not what the signed headers declare.
    "truncated-body": ({}, _truncate, 400, "IncompleteBody", "terminated unexpectedly"),
    "bad-hex-size": ({}, _bad_hex_size, 400, "IncompleteBody", "'1000g', is not hexadecimal"),
    "data-past-its-size": ({}, _extra_data, 400, "IncompleteBody", "more data than its size"),
    "chunks-larger-than-declared": (
        {"declared_bytes": len(DATA) - 1}, _as_sent, 400, "IncompleteBody",
        "goes past the 199999 bytes declared in x-amz-decoded-content-length",
    ),
    "chunks-smaller-than-declared": (
        {"declared_bytes": len(DATA) + 1}, _as_sent, 400, "IncompleteBody",
        "specified by the x-amz-decoded-content-length header (200001",
    ),
    "no-decoded-length": (
        {"declared_bytes": -1}, _as_sent, 411, "MissingContentLength",
        "A streaming upload must give the data's size in x-amz-decoded-content-length.",
    ),
    "chunk-under-8-kib-not-last": (
        {"chunk_bytes": 4096}, _as_sent, 403, "InvalidChunkSizeError",
        "Only the last chunk is allowed to have a size less than 8192 bytes (chunk 1).",
    ),
    "trailer-checksum-not-the-datas": (
        TRAILER | {"checksum": "AAAAAA=="}, _as_sent, 400, "BadDigest",
        "The CRC32 you specified did not match the calculated checksum.",
    ),
    "missing-trailer": (TRAILER, _drop_trailer, 400, "MalformedTrailerError", "exactly the"),
    # Forms this server cannot verify: refused rather than taken unchecked.
    "ecdsa-streaming": (
        {"form": ECDSA}, _as_sent, 400, "InvalidRequest",
        f"x-amz-content-sha256 '{ECDSA}' is not supported here",
    ),
    "unknown-trailer": (
        TRAILER | {"extra_headers": {"x-amz-trailer": "x-amz-checksum-md5"}}, _as_sent, 400,
        "InvalidRequest", "x-amz-trailer header is not supported here: x-amz-checksum-md5",
    ),
}  # fmt: skip
if not HAS_CRT:  # with awscrt, CRC32C trailers are verified
    REFUSALS["crc32c-trailer-without-awscrt"] = (
        TRAILER | {"extra_headers": {"x-amz-trailer": "x-amz-checksum-crc32c"}}, _as_sent, 400,
        "InvalidRequest", "x-amz-trailer header is not supported here: x-amz-checksum-crc32c",
    )  # fmt: skip


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_bad_streaming_upload_is_refused_with_s3s_error_and_nothing_is_stored(
    s3_server: EmbeddedS3,
    client: Any,
    refusal: tuple[dict[str, Any], Callable[[ChunkedUpload], None], int, str, str],
) -> None:
    signing, tamper, status, code, message = refusal
    url = url_of(s3_server, "refused.bin")
    upload = sign_chunked_put(url, DATA, KEY, SECRET, **signing)
    tamper(upload)
    answer = put(upload, url)
    assert s3_error(answer)[:2] == (status, code)
    assert message in s3_error(answer)[2]
    with pytest.raises(client.exceptions.NoSuchKey):
        client.get_object(Bucket=BUCKET, Key="refused.bin")


def test_a_refused_chunk_is_logged_at_info_without_the_secret_or_signatures(
    s3_server: EmbeddedS3, caplog: pytest.LogCaptureFixture
) -> None:
    url = url_of(s3_server, "logged.bin")
    upload = sign_chunked_put(url, DATA, KEY, SECRET)
    _forge_signature(upload)
    with caplog.at_level(logging.INFO, logger="vod_testbed.storage.s3_auth"):
        assert put(upload, url).status_code == 403
    [record] = [r for r in caplog.records if r.name == "vod_testbed.storage.s3_auth"]
    assert record.levelno == logging.INFO
    assert "refused: SignatureDoesNotMatch (The signature of chunk 2" in record.getMessage()
    seed = upload.headers["Authorization"].rpartition("Signature=")[2]
    secrets = [SECRET, seed, *upload.signatures]
    assert not any(secret in record.getMessage() for secret in secrets)


def test_the_stored_checksum_is_the_verified_trailers_not_one_inside_the_data(
    s3_server: EmbeddedS3, client: Any
) -> None:
    # Data that looks like a trailer line: a server that searched the raw body for a
    # checksum would store this forged one.
    data = b"x-amz-checksum-crc32:AAAAAA==\r\n" + DATA
    url = url_of(s3_server, "checksum.bin")
    upload = sign_chunked_put(
        url, data, KEY, SECRET, form=SIGNED_TRAILER,
        extra_headers={"x-amz-sdk-checksum-algorithm": "CRC32"},
    )  # fmt: skip
    assert put(upload, url).status_code == 200
    head = client.head_object(Bucket=BUCKET, Key="checksum.bin", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == Crc32Checksum().handle(data)
    got = client.get_object(Bucket=BUCKET, Key="checksum.bin", ChecksumMode="ENABLED")
    assert got["Body"].read() == data

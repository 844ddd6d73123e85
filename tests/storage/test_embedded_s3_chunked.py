"""The embedded S3 takes streaming (aws-chunked) uploads as S3 does: chunk-signed PUTs and
UploadParts, with or without a signed trailer, and the unsigned-trailer form botocore sends,
read back byte for byte; and refuses a tampered or mis-framed body with S3's own error,
storing nothing. Over real HTTP, signed as the AWS SDKs for Java, Go and .NET sign."""

from __future__ import annotations

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

from tests.chunk_signer import (
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


def test_a_chunk_signed_put_reads_back_byte_identical(s3_server: EmbeddedS3, client: Any) -> None:
    url = url_of(s3_server, "signed.bin")
    answer = put(sign_chunked_put(url, DATA, KEY, SECRET), url)
    assert answer.status_code == 200, answer.text
    assert read_back(client, "signed.bin") == DATA


def test_a_chunk_signed_put_with_a_signed_trailer_reads_back_byte_identical(
    s3_server: EmbeddedS3, client: Any
) -> None:
    url = url_of(s3_server, "trailer.bin")
    answer = put(sign_chunked_put(url, DATA, KEY, SECRET, form=SIGNED_TRAILER), url)
    assert answer.status_code == 200, answer.text
    assert read_back(client, "trailer.bin") == DATA


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


TAMPERINGS: dict[str, tuple[Callable[[ChunkedUpload], None], int, str, str]] = {
    "altered-data": (_alter_data, 403, "SignatureDoesNotMatch", "signature of chunk 2"),
    "forged-signature": (_forge_signature, 403, "SignatureDoesNotMatch", "signature of chunk 2"),
    "missing-signature": (_drop_signature, 403, "SignatureDoesNotMatch", "no chunk-signature"),
    "reordered-chunks": (_reorder, 403, "SignatureDoesNotMatch", "signature of chunk 2"),
    "dropped-chunk": (_drop_chunk, 403, "SignatureDoesNotMatch", "signature of chunk 2"),
    "truncated-body": (_truncate, 400, "IncompleteBody", "terminated unexpectedly"),
    "bad-hex-size": (_bad_hex_size, 400, "IncompleteBody", "'1000g', is not hexadecimal"),
    "data-past-its-size": (_extra_data, 400, "IncompleteBody", "more data than its size"),
}


@pytest.mark.parametrize("tampering", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_tampered_chunked_body_is_refused_with_s3s_error_and_nothing_is_stored(
    s3_server: EmbeddedS3,
    client: Any,
    tampering: tuple[Callable[[ChunkedUpload], None], int, str, str],
) -> None:
    tamper, status, code, message = tampering
    url = url_of(s3_server, "tampered.bin")
    upload = sign_chunked_put(url, DATA, KEY, SECRET)
    tamper(upload)
    answer = put(upload, url)
    assert s3_error(answer)[:2] == (status, code)
    assert message in s3_error(answer)[2]
    with pytest.raises(client.exceptions.NoSuchKey):
        client.get_object(Bucket=BUCKET, Key="tampered.bin")


@pytest.mark.parametrize(
    ("declared_bytes", "message"),
    [
        (len(DATA) - 1, "goes past the 199999 bytes declared in x-amz-decoded-content-length"),
        (len(DATA) + 1, "specified by the x-amz-decoded-content-length header (200001"),
    ],
    ids=["chunks-larger-than-declared", "chunks-smaller-than-declared"],
)
def test_chunks_that_are_not_the_declared_size_are_an_incomplete_body(
    s3_server: EmbeddedS3, client: Any, declared_bytes: int, message: str
) -> None:
    url = url_of(s3_server, "wrong-size.bin")
    answer = put(sign_chunked_put(url, DATA, KEY, SECRET, declared_bytes=declared_bytes), url)
    assert s3_error(answer)[:2] == (400, "IncompleteBody")
    assert message in s3_error(answer)[2]
    with pytest.raises(client.exceptions.NoSuchKey):
        client.get_object(Bucket=BUCKET, Key="wrong-size.bin")


def test_a_chunk_under_8_kib_that_is_not_the_last_is_refused(s3_server: EmbeddedS3) -> None:
    url = url_of(s3_server, "small-chunks.bin")
    answer = put(sign_chunked_put(url, DATA[:10_000], KEY, SECRET, chunk_bytes=4096), url)
    assert s3_error(answer) == (
        403,
        "InvalidChunkSizeError",
        "Only the last chunk is allowed to have a size less than 8192 bytes (chunk 1).",
    )


def test_a_trailer_checksum_that_is_not_the_datas_is_a_bad_digest(s3_server: EmbeddedS3) -> None:
    url = url_of(s3_server, "bad-digest.bin")
    upload = sign_chunked_put(url, DATA, KEY, SECRET, form=SIGNED_TRAILER, checksum="AAAAAA==")
    assert s3_error(put(upload, url)) == (
        400,
        "BadDigest",
        "The CRC32 you specified did not match the calculated checksum.",
    )


def test_a_forged_trailer_signature_is_refused(s3_server: EmbeddedS3) -> None:
    url = url_of(s3_server, "forged-trailer.bin")
    upload = sign_chunked_put(url, DATA, KEY, SECRET, form=SIGNED_TRAILER)
    upload.end = re.sub(rb"signature:[0-9a-f]{64}", b"signature:" + b"0" * 64, upload.end)
    status, code, message = s3_error(put(upload, url))
    assert (status, code) == (403, "SignatureDoesNotMatch")
    assert "x-amz-trailer-signature does not match" in message


def test_a_missing_trailer_is_malformed(s3_server: EmbeddedS3) -> None:
    url = url_of(s3_server, "no-trailer.bin")
    upload = sign_chunked_put(url, DATA, KEY, SECRET, form=SIGNED_TRAILER)
    upload.end = b"\r\n"
    assert s3_error(put(upload, url))[:2] == (400, "MalformedTrailerError")


def test_a_streaming_put_without_its_decoded_length_needs_one(s3_server: EmbeddedS3) -> None:
    url = url_of(s3_server, "no-length.bin")
    answer = put(sign_chunked_put(url, DATA, KEY, SECRET, declared_bytes=-1), url)
    assert s3_error(answer) == (
        411,
        "MissingContentLength",
        "A streaming upload must give the data's size in x-amz-decoded-content-length.",
    )


def test_ecdsa_streaming_is_refused_as_an_invalid_request(s3_server: EmbeddedS3) -> None:
    url = url_of(s3_server, "ecdsa.bin")
    form = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
    status, code, text = s3_error(put(sign_chunked_put(url, DATA, KEY, SECRET, form=form), url))
    assert (status, code) == (400, "InvalidRequest")
    assert f"x-amz-content-sha256 '{form}' is not supported here" in text


@pytest.mark.parametrize(
    "trailer",
    [
        "x-amz-checksum-md5",
        pytest.param(
            "x-amz-checksum-crc32c",
            marks=pytest.mark.skipif(HAS_CRT, reason="verified where awscrt is installed"),
        ),
    ],
)
def test_a_trailer_this_server_cannot_verify_is_refused_rather_than_taken_unchecked(
    s3_server: EmbeddedS3, trailer: str
) -> None:
    url = url_of(s3_server, "unverifiable-trailer.bin")
    upload = sign_chunked_put(
        url, DATA, KEY, SECRET, form=SIGNED_TRAILER, extra_headers={"x-amz-trailer": trailer}
    )
    status, code, text = s3_error(put(upload, url))
    assert (status, code) == (400, "InvalidRequest")
    assert f"x-amz-trailer header is not supported here: {trailer}" in text

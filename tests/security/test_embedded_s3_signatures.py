"""The embedded S3 verifies signatures as AWS and MinIO do: anonymous, tampered, expired
and wrongly signed requests fail locally with S3's XML errors, so a presigned URL's limits
(expiry, key, Content-Type, Content-Length) are exercised in development and CI."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.support.chunk_signer import sign_chunked_put
from vod_testbed.storage.embedded import EmbeddedS3, start_embedded_s3

KEY, SECRET = "AKIDEMBEDDEDS3", "embedded-s3-secret"
BUCKET = "signed-only"


class Clock:
    def __init__(self) -> None:
        self.offset_s = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset_s


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def s3_server(clock: Clock) -> Iterator[EmbeddedS3]:
    server = start_embedded_s3(credentials={KEY: SECRET}, clock=clock)
    yield server
    server.stop()


def s3(server: EmbeddedS3, secret: str = SECRET) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=secret,
        config=Config(
            signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}
        ),
    )


@pytest.fixture(scope="module")
def client(s3_server: EmbeddedS3) -> Any:
    c = s3(s3_server)
    c.create_bucket(Bucket=BUCKET)
    c.put_object(Bucket=BUCKET, Key="private.mp4", Body=b"lecture bytes")
    return c


@pytest.fixture(autouse=True)
def reset_clock(clock: Clock) -> None:
    clock.offset_s = 0


def s3_error(answer: requests.Response) -> tuple[int, str]:
    return answer.status_code, ET.fromstring(answer.content).findtext("Code") or ""


def test_an_anonymous_read_is_access_denied(s3_server: EmbeddedS3, client: Any) -> None:
    answer = requests.get(f"{s3_server.endpoint_url}/{BUCKET}/private.mp4", timeout=5)
    assert s3_error(answer) == (403, "AccessDenied")
    assert b"lecture bytes" not in answer.content


def test_a_presigned_url_reads_only_its_own_key(client: Any) -> None:
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": "private.mp4"}, ExpiresIn=60
    )
    assert requests.get(url, timeout=5).content == b"lecture bytes"
    other = url.replace("private.mp4", "other.mp4")
    assert s3_error(requests.get(other, timeout=5)) == (403, "SignatureDoesNotMatch")


def test_a_presigned_url_expires(client: Any, clock: Clock) -> None:
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": "private.mp4"}, ExpiresIn=60
    )
    clock.offset_s = 61
    answer = requests.get(url, timeout=5)
    assert s3_error(answer) == (403, "AccessDenied")
    assert b"Request has expired" in answer.content


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("text/html", b"12345"), ("video/mp4", b"123456789")],
    ids=["another-content-type", "another-length"],
)
def test_a_presigned_put_binds_its_content_type_and_length(
    client: Any, content_type: str, body: bytes
) -> None:
    params = {"Bucket": BUCKET, "Key": "up.mp4", "ContentType": "video/mp4", "ContentLength": 5}
    url = client.generate_presigned_url("put_object", Params=params, ExpiresIn=60)
    answer = requests.put(url, data=body, headers={"Content-Type": content_type}, timeout=5)
    assert s3_error(answer) == (403, "SignatureDoesNotMatch")
    ok = requests.put(url, data=b"12345", headers={"Content-Type": "video/mp4"}, timeout=5)
    assert ok.status_code == 200


def test_a_wrong_secret_does_not_match(s3_server: EmbeddedS3, client: Any) -> None:
    with pytest.raises(Exception, match="SignatureDoesNotMatch"):
        s3(s3_server, secret="guessed").get_object(Bucket=BUCKET, Key="private.mp4")


def test_a_body_swapped_after_signing_is_refused(s3_server: EmbeddedS3, client: Any) -> None:
    url = f"{s3_server.endpoint_url}/{BUCKET}/swapped.mp4"
    signed = AWSRequest(method="PUT", url=url, data=b"what was signed")
    S3SigV4Auth(Credentials(KEY, SECRET), "s3", "us-east-1").add_auth(signed)
    answer = requests.put(url, data=b"something else!", headers=dict(signed.headers), timeout=5)
    assert s3_error(answer) == (400, "XAmzContentSHA256Mismatch")


@pytest.mark.e2e
def test_a_chunk_signed_upload_whose_chunk_was_swapped_after_signing_is_refused(
    s3_server: EmbeddedS3, client: Any
) -> None:
    # A streaming upload's seed signature covers only the headers: a chunk replaced in
    # flight, its chunk signature kept, must not overwrite the object.
    url = f"{s3_server.endpoint_url}/{BUCKET}/private.mp4"
    upload = sign_chunked_put(url, b"v" * 70_000, KEY, SECRET)
    frame = upload.frames[1]
    upload.frames[1] = frame.replace(b"v" * 4464, b"x" * 4464)
    answer = requests.put(url, data=upload.body, headers=upload.headers, timeout=5)
    assert s3_error(answer) == (403, "SignatureDoesNotMatch")
    assert b"signature of chunk 2" in answer.content
    assert client.get_object(Bucket=BUCKET, Key="private.mp4")["Body"].read() == b"lecture bytes"


def test_a_clock_skew_beyond_15_minutes_is_refused(client: Any, clock: Clock) -> None:
    clock.offset_s = 16 * 60
    with pytest.raises(Exception, match="RequestTimeTooSkewed"):
        client.get_object(Bucket=BUCKET, Key="private.mp4")


def test_a_cors_preflight_is_answered_without_credentials_and_the_put_still_needs_them(
    s3_server: EmbeddedS3, client: Any
) -> None:
    # A browser's preflight carries no signature on AWS either; the PUT after it must.
    client.put_bucket_cors(
        Bucket=BUCKET,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": ["http://127.0.0.1:8000"],
                    "AllowedMethods": ["PUT"],
                    "AllowedHeaders": ["*"],
                }
            ]
        },
    )
    url = f"{s3_server.endpoint_url}/{BUCKET}/video/upload.mp4"
    preflight = requests.options(
        url,
        headers={
            "Origin": "http://127.0.0.1:8000",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=10,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8000"
    unsigned_put = requests.put(
        url, data=b"x", headers={"Origin": "http://127.0.0.1:8000"}, timeout=10
    )
    assert unsigned_put.status_code == 403


PREFLIGHT = {"Origin": "http://127.0.0.1:8000", "Access-Control-Request-Method": "GET"}


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/", {}),  # moto would list every bucket
        ("/", PREFLIGHT),  # the service has no CORS: only a bucket or an object does
        (f"/{BUCKET}", {}),
        (f"/{BUCKET}/private.mp4", {"Origin": "http://127.0.0.1:8000"}),
        ("/moto-api/data.json", {}),
    ],
)
def test_an_options_that_is_no_cors_preflight_needs_a_signature_like_any_request(
    s3_server: EmbeddedS3, client: Any, path: str, headers: dict[str, str]
) -> None:
    answer = requests.options(s3_server.endpoint_url + path, headers=headers, timeout=10)
    assert s3_error(answer) == (400, "BadRequest")
    assert BUCKET.encode() not in answer.content


@pytest.mark.parametrize("path", ["data.json", "recorder/start-recording"])
def test_motos_own_api_is_not_served(s3_server: EmbeddedS3, client: Any, path: str) -> None:
    # Signed, /moto-api/... is a bucket name like any other here, not moto's state dump or
    # its request recorder; preflighted, it answers no data either.
    with pytest.raises(ClientError) as signed:
        client.get_object(Bucket="moto-api", Key=path)
    assert signed.value.response["Error"]["Code"] == "NoSuchBucket"
    url = f"{s3_server.endpoint_url}/moto-api/{path}"
    preflighted = requests.options(url, headers=PREFLIGHT, timeout=10)
    assert preflighted.content == b""
    assert preflighted.status_code == 403


def signed_request(method: str, url: str, body: bytes) -> requests.Response:
    request = AWSRequest(method=method, url=url, data=body)
    S3SigV4Auth(Credentials(KEY, SECRET), "s3", "us-east-1").add_auth(request)
    return requests.request(method, url, data=body, headers=dict(request.headers), timeout=5)


@pytest.mark.parametrize(
    ("method", "query", "expected"),
    [
        ("PUT", "?tagging", (400, "MalformedXML")),
        ("PUT", "?cors", (400, "MalformedXML")),
        ("POST", "?delete", (400, "MalformedXML")),
        ("POST", "/upload.mp4?uploadId=made-up", (404, "NoSuchUpload")),
    ],
)
def test_a_signed_request_with_a_body_moto_cannot_read_gets_s3s_error_not_a_500(
    s3_server: EmbeddedS3,
    client: Any,
    method: str,
    query: str,
    expected: tuple[int, str],
) -> None:
    url = f"{s3_server.endpoint_url}/{BUCKET}{query}"
    # A well-formed parts list for an upload that does not exist (a malformed one is
    # refused before its upload is looked up).
    body = (
        b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part>"
        b"</CompleteMultipartUpload>"
        if "uploadId" in query
        else b"<not-xml"
    )
    assert s3_error(signed_request(method, url, body)) == expected

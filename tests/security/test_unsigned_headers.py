"""Signed means signed, as S3 does it: an ``x-amz-*`` header (or ``Content-MD5``) that the
signature does not cover is refused with S3's ``AccessDenied`` and ``HeadersNotSigned``,
never obeyed. Without this, a presigned upload URL plus ``x-amz-copy-source`` became a
server-side copy of another user's private video."""

from __future__ import annotations

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

from vod_testbed.storage.embedded import EmbeddedS3, start_embedded_s3

KEY, SECRET = "AKIDUNSIGNEDHEADERS", "unsigned-headers-secret"
BUCKET = "uploads"
PRIVATE = b"someone else's private lecture"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedS3]:
    s3 = start_embedded_s3(credentials={KEY: SECRET})
    yield s3
    s3.stop()


@pytest.fixture(scope="module")
def client(server: EmbeddedS3) -> Any:
    c = boto3.client(
        "s3",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(
            signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}
        ),
    )
    c.create_bucket(Bucket=BUCKET)
    c.put_object(Bucket=BUCKET, Key="private/lecture.mp4", Body=PRIVATE)
    return c


def presigned_put(client: Any, key: str, size: int) -> str:
    url: str = client.generate_presigned_url(
        "put_object",
        Params={"Bucket": BUCKET, "Key": key, "ContentType": "video/mp4", "ContentLength": size},
        ExpiresIn=600,
    )
    return url


def refusal(answer: requests.Response) -> tuple[int, str, str, str]:
    root = ET.fromstring(answer.content)
    return (
        answer.status_code,
        root.findtext("Code") or "",
        root.findtext("Message") or "",
        root.findtext("HeadersNotSigned") or "",
    )


UNSIGNED_INSTRUCTIONS = {
    "x-amz-copy-source": f"/{BUCKET}/private/lecture.mp4",
    "x-amz-acl": "public-read",
    "x-amz-meta-owner": "mallory",
    "x-amz-tagging": "owner=mallory",
    "x-amz-storage-class": "GLACIER",
    "x-amz-website-redirect-location": "https://evil.example/",
}


@pytest.mark.parametrize("header", sorted(UNSIGNED_INSTRUCTIONS))
def test_a_presigned_put_with_an_unsigned_instruction_is_refused(
    server: EmbeddedS3, client: Any, header: str
) -> None:
    body = b"x" * len(PRIVATE)
    key = f"uploads/{header}.mp4"
    answer = requests.put(
        presigned_put(client, key, len(body)),
        data=body,
        headers={"Content-Type": "video/mp4", header: UNSIGNED_INSTRUCTIONS[header]},
        timeout=10,
    )
    assert refusal(answer) == (
        403,
        "AccessDenied",
        "There were headers present in the request which were not signed",
        header,
    )
    # Nothing was written: neither the copy nor the upload itself.
    with pytest.raises(ClientError) as missing:
        client.head_object(Bucket=BUCKET, Key=key)
    assert missing.value.response["Error"]["Code"] == "404"


def test_the_copy_never_happens_even_with_an_empty_body(server: EmbeddedS3, client: Any) -> None:
    key = "uploads/copy.mp4"
    answer = requests.put(
        presigned_put(client, key, 0),
        data=b"",
        headers={
            "Content-Type": "video/mp4",
            "x-amz-copy-source": f"/{BUCKET}/private/lecture.mp4",
        },
        timeout=10,
    )
    assert answer.status_code == 403
    assert PRIVATE not in answer.content
    with pytest.raises(ClientError):
        client.get_object(Bucket=BUCKET, Key=key)


def test_a_header_signature_with_an_unsigned_header_added_is_refused(
    server: EmbeddedS3, client: Any
) -> None:
    url = f"{server.endpoint_url}/{BUCKET}/uploads/header-signed.mp4"
    request = AWSRequest(method="PUT", url=url, data=b"body")
    S3SigV4Auth(Credentials(KEY, SECRET), "s3", "us-east-1").add_auth(request)
    headers = dict(request.headers.items())
    headers["x-amz-acl"] = "public-read-write"
    headers["Content-MD5"] = "AAAAAAAAAAAAAAAAAAAAAA=="
    answer = requests.put(url, data=b"body", headers=headers, timeout=10)
    status, code, _, unsigned = refusal(answer)
    assert (status, code, unsigned) == (403, "AccessDenied", "content-md5, x-amz-acl")


def test_signed_instructions_and_the_presigned_payload_header_still_work(
    server: EmbeddedS3, client: Any
) -> None:
    # boto3 signs every x-amz-* header it sends: metadata and a copy go through.
    client.put_object(Bucket=BUCKET, Key="ok/meta.mp4", Body=b"1", Metadata={"owner": "alice"})
    client.copy_object(
        Bucket=BUCKET, Key="ok/copy.mp4", CopySource={"Bucket": BUCKET, "Key": "ok/meta.mp4"}
    )
    metadata = client.head_object(Bucket=BUCKET, Key="ok/meta.mp4")["Metadata"]
    assert {name.lower(): value for name, value in metadata.items()} == {"owner": "alice"}
    # A presigned URL's client may send x-amz-content-sha256 unsigned, as S3 allows.
    answer = requests.put(
        presigned_put(client, "ok/presigned.mp4", 3),
        data=b"abc",
        headers={"Content-Type": "video/mp4", "x-amz-content-sha256": "UNSIGNED-PAYLOAD"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert client.get_object(Bucket=BUCKET, Key="ok/presigned.mp4")["Body"].read() == b"abc"

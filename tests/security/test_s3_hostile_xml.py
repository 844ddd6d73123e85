"""Signed but hostile XML gets S3's ``MalformedXML`` (400) from the embedded S3, never a 500:
a DTD or entity in a delete list or CORS rules, a document of the wrong kind as a
lifecycle. Nothing of it reaches moto's parser."""

from __future__ import annotations

import base64
import hashlib
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

from vod_testbed.storage.embedded import EmbeddedS3, start_embedded_s3

KEY, SECRET = "AKIDHOSTILEXML", "hostile-xml-secret"
BUCKET = "xml-bucket"

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Delete [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    "<Delete><Object><Key>&c;</Key></Object></Delete>"
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE CORSConfiguration [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<CORSConfiguration><CORSRule><AllowedOrigin>&x;</AllowedOrigin>"
    "<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"
)
DTD_ONLY = '<?xml version="1.0"?><!DOCTYPE Delete><Delete><Object><Key>k</Key></Object></Delete>'


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedS3]:
    s3 = start_embedded_s3(credentials={KEY: SECRET})
    client = boto3.client(
        "s3",
        endpoint_url=s3.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    client.create_bucket(Bucket=BUCKET)
    client.put_object(Bucket=BUCKET, Key="k", Body=b"kept")
    yield s3
    s3.stop()


def signed(server: EmbeddedS3, method: str, query: str, body: str) -> requests.Response:
    """A correctly signed request with ``body`` (and its signed Content-MD5)."""
    url = f"{server.endpoint_url}/{BUCKET}?{query}"
    data = body.encode()
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    request = AWSRequest(method=method, url=url, data=data, headers={"Content-MD5": md5})
    S3SigV4Auth(Credentials(KEY, SECRET), "s3", "us-east-1").add_auth(request)
    return requests.request(method, url, data=data, headers=dict(request.headers), timeout=10)


def code(answer: requests.Response) -> tuple[int, str]:
    return answer.status_code, ET.fromstring(answer.content).findtext("Code") or ""


CASES: dict[str, tuple[str, str, str]] = {
    "entities in a delete": ("POST", "delete", LAUGHS),
    "an external entity in CORS rules": ("PUT", "cors", EXTERNAL),
    "a DTD in a delete": ("POST", "delete", DTD_ONLY),
    "<x/> as a lifecycle": ("PUT", "lifecycle", "<x/>"),
    "an unknown rule in a lifecycle": (
        "PUT",
        "lifecycle",
        "<LifecycleConfiguration><x/></LifecycleConfiguration>",
    ),
    "not XML as tags": ("PUT", "tagging", "{not xml"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_xml_is_malformed_xml(server: EmbeddedS3, case: str) -> None:
    method, query, body = CASES[case]
    assert code(signed(server, method, query, body)) == (400, "MalformedXML")


def test_a_plain_delete_list_still_works_and_the_hostile_one_deleted_nothing(
    server: EmbeddedS3,
) -> None:
    signed(server, "POST", "delete", DTD_ONLY)
    kept = requests.get(
        boto3.client(
            "s3",
            endpoint_url=server.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        ).generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "k"}),
        timeout=5,
    )
    assert kept.content == b"kept"
    answer = signed(server, "POST", "delete", "<Delete><Object><Key>k</Key></Object></Delete>")
    assert answer.status_code == 200, answer.text
    root: Any = ET.fromstring(answer.content)
    assert [e.text for e in root.iter() if e.tag.endswith("Key")] == ["k"]

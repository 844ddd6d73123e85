"""URL signing: presigned GETs identical to botocore's; CloudFront policies that verify."""

from __future__ import annotations

import base64
import datetime as dt
import json
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.config import Config
from botocore.credentials import ReadOnlyCredentials
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from vod_testbed.pipeline.playback.signing import CloudFrontUrlSigner, PlainUrls, S3UrlSigner

NOW = 1_800_000_000
CREDS = ReadOnlyCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)


def botocore_url(endpoint: str | None, key: str, expires_s: int, token: str | None = None) -> str:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id=CREDS.access_key,
        aws_secret_access_key=CREDS.secret_key,
        aws_session_token=token,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint else "virtual"},
        ),
    )
    frozen = dt.datetime.fromtimestamp(NOW, dt.UTC).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=frozen):
        url: str = client.generate_presigned_url(
            "get_object", Params={"Bucket": "media", "Key": key}, ExpiresIn=expires_s
        )
    return url


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:9000", "https://minio.example", None])
@pytest.mark.parametrize(
    "key",
    [
        "video/u1/2026/11/abc-20261101T000000Z-clip_processed/hls/master_1080p_00001.ts",
        "video/u1/2026/11/x-my lecture (1)+é~_processed/thumbnails/master_thumb.0000000.jpg",
    ],
)
def test_a_presigned_url_is_the_one_botocore_makes(endpoint: str | None, key: str) -> None:
    signer = S3UrlSigner(endpoint, "eu-west-1", "media", lambda: CREDS, clock=lambda: NOW)
    assert signer.batch(NOW + 3600)(key) == botocore_url(endpoint, key, 3600)


def test_temporary_credentials_carry_their_session_token() -> None:
    creds = ReadOnlyCredentials(CREDS.access_key, CREDS.secret_key, "FQoGZXIvYXdzE+/token=")
    signer = S3UrlSigner(None, "eu-west-1", "media", lambda: creds, clock=lambda: NOW)
    url = signer.batch(NOW + 60)("a/b.ts")
    assert url == botocore_url(None, "a/b.ts", 60, token=creds.token)


def test_presigned_urls_expire_with_the_token_and_at_most_after_seven_days() -> None:
    signer = S3UrlSigner("http://s3", "eu-west-1", "media", lambda: CREDS, clock=lambda: NOW)
    short = parse_qs(urlsplit(signer.batch(NOW + 125)("k.ts")).query)
    long = parse_qs(urlsplit(signer.batch(NOW + 30 * 86400)("k.ts")).query)
    assert (short["X-Amz-Expires"], long["X-Amz-Expires"]) == (["125"], ["604800"])


def _rsa_pem() -> tuple[bytes, rsa.RSAPublicKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, key.public_key()


def _cf_b64decode(value: str) -> bytes:
    return base64.b64decode(value.replace("-", "+").replace("_", "=").replace("~", "/"))


def test_cloudfront_urls_carry_one_wildcard_policy_signed_with_the_key() -> None:
    pem, public = _rsa_pem()
    signer = CloudFrontUrlSigner("https://d111.cloudfront.net/", "K2JCJMDEHXQW5F", pem)
    sign = signer.batch(NOW + 3600, "video/u1/x_processed/")
    url = sign("video/u1/x_processed/hls/master_1080p_00001.ts")
    assert url.startswith("https://d111.cloudfront.net/video/u1/x_processed/hls/")
    query = parse_qs(urlsplit(url).query)
    assert query["Key-Pair-Id"] == ["K2JCJMDEHXQW5F"]
    policy = _cf_b64decode(query["Policy"][0])
    statement = json.loads(policy)["Statement"][0]
    assert statement["Resource"] == "https://d111.cloudfront.net/video/u1/x_processed/*"
    assert statement["Condition"]["DateLessThan"]["AWS:EpochTime"] == NOW + 3600
    signature = _cf_b64decode(query["Signature"][0])
    public.verify(signature, policy, padding.PKCS1v15(), hashes.SHA1())  # raises if wrong


def test_a_cdn_without_a_key_gets_plain_urls() -> None:
    assert (
        PlainUrls("https://cdn.example/").batch(NOW)("a b/c.ts") == "https://cdn.example/a%20b/c.ts"
    )

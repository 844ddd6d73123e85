"""The embedded S3 answers CORS only for the origins it is configured with (a stack sets
its console's), as S3 does from the bucket's rules: a page on any other origin gets no
``Access-Control-Allow-Origin`` (moto's server alone echoed every ``Origin``, so any web
page could read what it could sign for), and its preflights are refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config

from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import Stack, start_stack
from vod_testbed.storage.cors import console_origins

pytestmark = pytest.mark.e2e

EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    settings = StackSettings(
        data_dir=tmp_path_factory.mktemp("cors"), s3_port=0, emulator_port=0, api_port=0
    )
    with start_stack(settings) as running:
        yield running


def allowed_origin(answer: requests.Response) -> str | None:
    return answer.headers.get("Access-Control-Allow-Origin")


@pytest.fixture(scope="module")
def object_url(stack: Stack) -> str:
    s3 = stack_client(stack)
    s3.put_object(Bucket=stack.bucket, Key="cors/lecture.mp4", Body=b"media")
    url: str = s3.generate_presigned_url(
        "get_object", Params={"Bucket": stack.bucket, "Key": "cors/lecture.mp4"}, ExpiresIn=300
    )
    return url


def stack_client(stack: Stack) -> Any:
    assert stack.endpoints is not None
    return boto3.client(
        "s3",
        endpoint_url=stack.endpoints.s3,
        region_name=stack.region,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        aws_access_key_id=stack.credentials()["aws_access_key_id"],
        aws_secret_access_key=stack.credentials()["aws_secret_access_key"],
    )


def test_another_origin_gets_no_cors_on_any_answer(stack: Stack, object_url: str) -> None:
    assert stack.endpoints is not None
    signed_read = requests.get(object_url, headers={"Origin": EVIL}, timeout=5)
    assert signed_read.status_code == 200
    anonymous_list = requests.get(
        f"{stack.endpoints.s3}/{stack.bucket}", headers={"Origin": EVIL}, timeout=5
    )
    assert anonymous_list.status_code == 403
    assert allowed_origin(signed_read) is None
    assert allowed_origin(anonymous_list) is None
    assert "Access-Control-Allow-Credentials" not in anonymous_list.headers


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_another_origins_preflight_is_refused(stack: Stack, method: str) -> None:
    assert stack.endpoints is not None
    answer = requests.options(
        f"{stack.endpoints.s3}/{stack.bucket}/cors/lecture.mp4",
        headers={"Origin": EVIL, "Access-Control-Request-Method": method},
        timeout=5,
    )
    assert answer.status_code == 403
    assert allowed_origin(answer) is None


def test_the_consoles_origin_is_answered(stack: Stack, object_url: str) -> None:
    assert stack.endpoints is not None
    console = console_origins(stack.endpoints.pipeline)[0]
    preflight = requests.options(
        f"{stack.endpoints.s3}/{stack.bucket}/cors/upload.mp4",
        headers={
            "Origin": console,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=5,
    )
    assert (preflight.status_code, allowed_origin(preflight)) == (200, console)
    # Preflight of an object that exists, too (hls.js asks with Range).
    existing = requests.options(
        object_url.split("?")[0],
        headers={"Origin": console, "Access-Control-Request-Method": "GET"},
        timeout=5,
    )
    assert (existing.status_code, allowed_origin(existing)) == (200, console)
    read = requests.get(object_url, headers={"Origin": console}, timeout=5)
    assert allowed_origin(read) == console

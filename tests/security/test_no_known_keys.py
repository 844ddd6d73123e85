"""No key anyone knows: a local stack's embedded S3 and emulator take only the run's own
random credentials (printed and in the ready file), so a request signed with the well-known
``testing``/``testing`` or ``test``/``test`` - by anyone local, or a web page - is refused
by both. ``VOD_AUTH=off`` is the one switch back to moto's "any credentials"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import Stack, start_stack

pytestmark = pytest.mark.e2e

WELL_KNOWN = [("testing", "testing"), ("test", "test"), ("minioadmin", "minioadmin")]


def stack_settings(data_dir: Path, **changes: Any) -> StackSettings:
    return StackSettings(data_dir=data_dir, s3_port=0, emulator_port=0, api_port=0, **changes)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with start_stack(stack_settings(tmp_path_factory.mktemp("keys"))) as running:
        yield running


def client(stack: Stack, service: str, key: str, secret: str) -> Any:
    assert stack.endpoints is not None
    endpoint = stack.endpoints.s3 if service == "s3" else stack.endpoints.mediaconvert
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=endpoint,
        region_name=stack.region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
    )


def own_keys(stack: Stack) -> tuple[str, str]:
    credentials = stack.describe()["credentials"]
    return credentials["aws_access_key_id"], credentials["aws_secret_access_key"]


@pytest.mark.parametrize(("key", "secret"), WELL_KNOWN)
def test_the_embedded_s3_refuses_well_known_keys(stack: Stack, key: str, secret: str) -> None:
    with pytest.raises(ClientError) as refused:
        client(stack, "s3", key, secret).list_objects_v2(Bucket=stack.bucket)
    assert refused.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.parametrize(("key", "secret"), WELL_KNOWN)
def test_the_emulator_refuses_well_known_keys(stack: Stack, key: str, secret: str) -> None:
    with pytest.raises(ClientError) as refused:
        client(stack, "mediaconvert", key, secret).list_jobs()
    assert refused.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_the_runs_own_keys_are_random_and_open_both(stack: Stack) -> None:
    key, secret = own_keys(stack)
    assert (key, secret) not in WELL_KNOWN
    assert len(secret) >= 32
    # The pair the ready file and the banner's exports hold is the one that works.
    assert stack.environment()["AWS_ACCESS_KEY_ID"] == key
    client(stack, "s3", key, secret).list_objects_v2(Bucket=stack.bucket)
    client(stack, "mediaconvert", key, secret).list_jobs()
    # The right key id with a guessed secret is still refused.
    with pytest.raises(ClientError) as refused:
        client(stack, "s3", key, "testing").list_objects_v2(Bucket=stack.bucket)
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_vod_auth_off_accepts_any_credentials_everywhere(tmp_path: Path) -> None:
    relaxed = stack_settings(tmp_path, pipeline=PipelineSettings().replace(auth_enabled=False))
    with start_stack(relaxed) as stack:
        assert stack.any_credentials
        client(stack, "s3", "testing", "testing").list_objects_v2(Bucket=stack.bucket)
        client(stack, "mediaconvert", "test", "test").list_jobs()

"""Bucket CORS for the console's origin."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from vod_testbed.storage.cors import allow_origins, console_origins, cors_rules
from vod_testbed.storage.s3 import Storage


def test_a_loopback_console_is_allowed_under_both_of_its_names() -> None:
    assert console_origins("http://127.0.0.1:8000/console") == [
        "http://127.0.0.1:8000",
        "http://localhost:8000",
    ]
    assert console_origins("https://console.example.com/x") == ["https://console.example.com"]


def test_the_bucket_answers_cors_for_the_console(storage: Storage, backend_settings: Any) -> None:
    bucket = backend_settings.s3_bucket
    assert allow_origins(storage.client, bucket, ["http://127.0.0.1:8000"])
    (rule,) = storage.client.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rule["AllowedOrigins"] == ["http://127.0.0.1:8000"]
    assert sorted(rule["AllowedMethods"]) == ["GET", "HEAD", "PUT"]


class NoCorsApi:
    def put_bucket_cors(self, **_kwargs: Any) -> None:
        raise ClientError({"Error": {"Code": "NotImplemented"}}, "PutBucketCors")


def test_storage_without_a_cors_api_is_reported_not_raised(caplog: Any) -> None:
    assert allow_origins(NoCorsApi(), "b", ["http://127.0.0.1:8000"]) is False
    assert "MINIO_API_CORS_ALLOW_ORIGIN" in caplog.text


def test_only_uploads_and_media_reads_are_allowed() -> None:
    (rule,) = cors_rules(["http://a"])["CORSRules"]
    assert "DELETE" not in rule["AllowedMethods"] and "POST" not in rule["AllowedMethods"]

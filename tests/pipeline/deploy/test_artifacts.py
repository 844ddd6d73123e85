"""Staging artifacts rendered from the configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vod_testbed.pipeline.deploy.__main__ import main
from vod_testbed.pipeline.deploy.artifacts import DeployConfig, render

ENV = {
    "AWS_ACCOUNT_ID": "210987654321",
    "AWS_REGION": "eu-west-1",
    "S3_BUCKET": "media-staging",
    "MEDIACONVERT_ROLE_ARN": "arn:aws:iam::210987654321:role/MediaConvertStaging",
    "MEDIACONVERT_QUEUE_ARN": "arn:aws:mediaconvert:eu-west-1:210987654321:queues/Default",
    "PIPELINE_WEBHOOK_URL": "https://staging.example.com",
    "WEBHOOK_SECRET": "do-not-write-me",
}


@pytest.fixture
def artifacts() -> dict[str, Any]:
    return render(DeployConfig.from_env(ENV))


def statements(policy: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in policy["Statement"]}


def test_lambda_policy_grants_only_what_the_trigger_does(artifacts: dict[str, Any]) -> None:
    granted = statements(artifacts["iam/lambda-policy.json"])
    assert granted["ReadUploads"]["Action"] == ["s3:GetObject"]
    assert granted["ReadUploads"]["Resource"] == ["arn:aws:s3:::media-staging/video/*"]
    assert granted["CreateTranscodingJobs"]["Action"] == ["mediaconvert:CreateJob"]
    assert granted["CreateTranscodingJobs"]["Resource"] == [ENV["MEDIACONVERT_QUEUE_ARN"]]
    assert granted["PassMediaConvertRole"]["Resource"] == [ENV["MEDIACONVERT_ROLE_ARN"]]


def test_mediaconvert_role_reads_and_writes_the_bucket(artifacts: dict[str, Any]) -> None:
    (statement,) = artifacts["iam/mediaconvert-policy.json"]["Statement"]
    assert statement["Action"] == ["s3:GetObject", "s3:PutObject"]
    assert statement["Resource"] == ["arn:aws:s3:::media-staging/*"]


def test_s3_notifies_the_lambda_of_uploads_under_video(artifacts: dict[str, Any]) -> None:
    (config,) = artifacts["s3/notification.json"]["LambdaFunctionConfigurations"]
    assert config["Events"] == ["s3:ObjectCreated:*"]
    assert config["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "video/"}]
    assert config["LambdaFunctionArn"].endswith(":function:vod-testbed-upload-trigger")


def test_eventbridge_sends_mediaconvert_events_to_the_webhook(artifacts: dict[str, Any]) -> None:
    pattern = json.loads(artifacts["eventbridge/rule.json"]["EventPattern"])
    assert pattern == {
        "source": ["aws.mediaconvert"],
        "detail-type": ["MediaConvert Job State Change"],
    }
    destination = artifacts["eventbridge/api-destination.json"]
    assert destination["InvocationEndpoint"] == "https://staging.example.com/webhooks/mediaconvert"
    key = artifacts["eventbridge/connection.json"]["AuthParameters"]["ApiKeyAuthParameters"]
    assert key["ApiKeyName"] == "X-Vod-Webhook-Secret"


def test_the_secret_is_never_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    assert main(["render", "--out", str(tmp_path)]) == 0
    written = list(tmp_path.rglob("*.json"))
    assert len(written) >= 10
    assert all(ENV["WEBHOOK_SECRET"] not in path.read_text() for path in written)
    function = json.loads((tmp_path / "lambda/function.json").read_text())
    assert function["Handler"] == "vod_testbed.pipeline.trigger.handler.handler"
    assert function["Environment"]["Variables"]["TRANSCODER_BACKEND"] == "mediaconvert"

"""Staging artifacts rendered from the configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vod_testbed.pipeline.deploy.__main__ import main
from vod_testbed.pipeline.deploy.artifacts import render
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.upload_keys import UPLOAD_SUFFIXES, upload_key

ENV = {
    "AWS_ACCOUNT_ID": "210987654321",
    "AWS_REGION": "eu-west-1",
    "S3_BUCKET": "media-staging",
    "MEDIACONVERT_ROLE_ARN": "arn:aws:iam::210987654321:role/MediaConvertStaging",
    "MEDIACONVERT_QUEUE_ARN": "arn:aws:mediaconvert:eu-west-1:210987654321:queues/Default",
    "PIPELINE_WEBHOOK_URL": "https://staging.example.com",
    "WEBHOOK_SECRET": "do-not-write-me",
}
RULE_ARN = "arn:aws:events:eu-west-1:210987654321:rule/vod-testbed-mediaconvert-job-state"


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
    configs = artifacts["s3/notification.json"]["LambdaFunctionConfigurations"]
    assert len(configs) == len(UPLOAD_SUFFIXES)
    for config, suffix in zip(configs, UPLOAD_SUFFIXES, strict=True):
        assert config["Events"] == ["s3:ObjectCreated:Put"]  # not the trigger's copy
        assert config["Filter"]["Key"]["FilterRules"] == [
            {"Name": "prefix", "Value": "video/"},
            {"Name": "suffix", "Value": suffix},
        ]
        assert config["LambdaFunctionArn"].endswith(":function:vod-testbed-upload-trigger")


def matches(rules: list[dict[str, str]], key: str) -> bool:
    """S3's key filter: the prefix and the suffix rules both hold."""
    values = {rule["Name"]: rule["Value"] for rule in rules}
    return key.startswith(values.get("prefix", "")) and key.endswith(values.get("suffix", ""))


def test_the_notification_fires_for_uploads_and_never_for_a_jobs_outputs(
    artifacts: dict[str, Any],
) -> None:
    configs = artifacts["s3/notification.json"]["LambdaFunctionConfigurations"]
    rules = [c["Filter"]["Key"]["FilterRules"] for c in configs]
    upload = upload_key("u1", "Lecture 1.MOV", "0b7e3c2a-5d1e-4f7a-9c1b-2f3e4d5a6b7c")
    processed = upload.rsplit(".", 1)[0] + "_processed"
    outputs = [
        f"{processed}/hls/master.m3u8",
        f"{processed}/hls/master_1080p.m3u8",
        f"{processed}/hls/master_1080p_00001.ts",
        f"{processed}/thumbnails/master_thumb.0000000.jpg",
    ]
    assert [r for r in rules if matches(r, upload)] != []
    assert [key for key in outputs for r in rules if matches(r, key)] == []


def test_no_two_notification_rules_overlap(artifacts: dict[str, Any]) -> None:
    """S3 refuses overlapping rules for one event type: no suffix ends another."""
    suffixes = [
        c["Filter"]["Key"]["FilterRules"][1]["Value"]
        for c in artifacts["s3/notification.json"]["LambdaFunctionConfigurations"]
    ]
    assert [(a, b) for a in suffixes for b in suffixes if a != b and a.endswith(b)] == []


def test_mediaconvert_trusts_only_this_accounts_queue(artifacts: dict[str, Any]) -> None:
    """aws:SourceAccount and aws:SourceArn, "the ARN of the MediaConvert queue" (MediaConvert
    user guide, "Cross-service confused deputy prevention")."""
    (grant,) = artifacts["iam/mediaconvert-trust-policy.json"]["Statement"]
    assert grant["Principal"] == {"Service": "mediaconvert.amazonaws.com"}
    assert grant["Condition"] == {
        "ArnLike": {"aws:SourceArn": ENV["MEDIACONVERT_QUEUE_ARN"]},
        "StringEquals": {"aws:SourceAccount": "210987654321"},
    }


def test_eventbridge_trusts_only_the_rule(artifacts: dict[str, Any]) -> None:
    (grant,) = artifacts["iam/eventbridge-trust-policy.json"]["Statement"]
    assert grant["Condition"]["ArnLike"] == {"aws:SourceArn": RULE_ARN}
    assert grant["Condition"]["StringEquals"] == {"aws:SourceAccount": "210987654321"}


def test_the_pipeline_host_may_presign_list_thumbnails_and_head_the_bucket(
    artifacts: dict[str, Any],
) -> None:
    granted = statements(artifacts["iam/pipeline-policy.json"])
    assert granted["PresignUploads"]["Action"] == ["s3:PutObject"]
    assert granted["PresignPlayback"]["Action"] == ["s3:GetObject"]
    assert granted["PresignUploads"]["Resource"] == ["arn:aws:s3:::media-staging/video/*"]
    listing = granted["ListThumbnailsAndHeadBucket"]
    assert (listing["Action"], listing["Resource"]) == (
        ["s3:ListBucket"],
        ["arn:aws:s3:::media-staging"],
    )
    assert listing["Condition"] == {"StringLikeIfExists": {"s3:prefix": ["video/*"]}}
    actions = {a for s in granted.values() for a in s["Action"]}
    assert "s3:CreateBucket" not in actions


def test_undeliverable_events_go_to_a_dead_letter_queue_only_the_rule_may_fill(
    artifacts: dict[str, Any],
) -> None:
    (target,) = artifacts["eventbridge/targets.json"]["Targets"]
    queue_arn = "arn:aws:sqs:eu-west-1:210987654321:vod-testbed-webhook-dead-letters"
    assert target["DeadLetterConfig"] == {"Arn": queue_arn}
    queue = artifacts["sqs/dead-letter-queue.json"]
    assert queue["QueueName"] == "vod-testbed-webhook-dead-letters"
    (grant,) = json.loads(queue["Attributes"]["Policy"])["Statement"]
    assert (grant["Principal"], grant["Action"], grant["Resource"]) == (
        {"Service": "events.amazonaws.com"},
        "sqs:SendMessage",
        queue_arn,
    )
    assert grant["Condition"] == {"ArnEquals": {"aws:SourceArn": RULE_ARN}}
    readme = artifacts["README.md"]
    assert "## Redriving dead letters" in readme
    assert "aws sqs receive-message --queue-url" in readme
    assert "aws sqs delete-message" in readme


def test_a_webhook_that_is_not_https_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match="must be an https:// URL"):
        render(DeployConfig.from_env({**ENV, "PIPELINE_WEBHOOK_URL": "http://staging.example.com"}))
    for name, value in {**ENV, "PIPELINE_WEBHOOK_URL": "http://staging.example.com"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exited:
        main(["render", "--out", str(tmp_path)])
    assert exited.value.code == 2
    assert "only calls HTTPS endpoints" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


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

"""Staging's CloudFormation template, rendered from the configuration: every resource the
flow needs, wired to each other, and the certificate a custom playback host needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.backends.mediaconvert.backend import gives_every_member
from vod_testbed.backends.mediaconvert.render import render_job_settings, render_template_settings
from vod_testbed.cli.main import main
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.deploy.lambda_package import HANDLER, LAMBDA_RUNTIME
from vod_testbed.pipeline.deploy.template import render_template
from vod_testbed.pipeline.trigger.handler import PINNED_TAG
from vod_testbed.pipeline.trigger.upload_keys import UPLOAD_SUFFIXES, upload_key

ENV = {
    "AWS_REGION": "eu-west-1",
    "S3_BUCKET": "media-staging",
    "PIPELINE_WEBHOOK_URL": "https://staging.example.com",
    "WEBHOOK_SECRET": "do-not-write-me-do-not-write-me-0",
}

# What the flow needs: upload -> S3 notification -> Lambda -> MediaConvert (queue, template,
# role) -> EventBridge rule -> API destination (connection, role, retries, dead letters).
FLOW = {
    "MediaBucket": "AWS::S3::Bucket",
    "MediaBucketPolicy": "AWS::S3::BucketPolicy",
    "UploadTrigger": "AWS::Lambda::Function",
    "TriggerInvokePermission": "AWS::Lambda::Permission",
    "TriggerRole": "AWS::IAM::Role",
    "TranscodingQueue": "AWS::MediaConvert::Queue",
    "LadderTemplate": "AWS::MediaConvert::JobTemplate",
    "MediaConvertRole": "AWS::IAM::Role",
    "JobStateRule": "AWS::Events::Rule",
    "WebhookConnection": "AWS::Events::Connection",
    "WebhookDestination": "AWS::Events::ApiDestination",
    "EventBridgeRole": "AWS::IAM::Role",
    "WebhookDeadLetters": "AWS::SQS::Queue",
    "WebhookDeadLettersPolicy": "AWS::SQS::QueuePolicy",
    "PipelineHostPolicy": "AWS::IAM::ManagedPolicy",
}
PLAYBACK = {
    "PlaybackDistribution": "AWS::CloudFront::Distribution",
    "PlaybackOriginAccess": "AWS::CloudFront::OriginAccessControl",
    "PlaybackPublicKey": "AWS::CloudFront::PublicKey",
    "PlaybackKeyGroup": "AWS::CloudFront::KeyGroup",
}


def render(**env: str) -> dict[str, Any]:
    return render_template(DeployConfig.from_env({**ENV, **env}))


def resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return template["Resources"]


def props(template: dict[str, Any], name: str) -> dict[str, Any]:
    return resources(template)[name]["Properties"]


def references(node: Any) -> set[str]:
    """Every name a Ref, Fn::GetAtt or Fn::Sub in ``node`` points at."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref":
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0])
            elif key == "Fn::Sub":
                found |= {part.split("}")[0].split(".")[0] for part in value.split("${")[1:]}
            else:
                found |= references(value)
    elif isinstance(node, list):
        for value in node:
            found |= references(value)
    return found


def test_the_template_has_every_resource_the_flow_needs_and_each_reference_resolves() -> None:
    template = render()
    assert {name: r["Type"] for name, r in resources(template).items()} == FLOW
    known = set(resources(template)) | set(template["Parameters"])
    pseudo = {"AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::NoValue"}
    assert sorted(references(template) - known - pseudo) == []


def test_uploads_notify_the_trigger_which_runs_on_the_declared_runtime() -> None:
    template = render()
    configs = props(template, "MediaBucket")["NotificationConfiguration"]["LambdaConfigurations"]
    assert len(configs) == len(UPLOAD_SUFFIXES)
    upload = upload_key("u1", "Lecture 1.MOV", "0b7e3c2a-5d1e-4f7a-9c1b-2f3e4d5a6b7c")
    processed = upload.rsplit(".", 1)[0] + "_processed"
    outputs = [f"{processed}/hls/master_1080p_00001.ts", f"{processed}/source/Lecture_1.MOV"]

    def fires(key: str) -> bool:
        return any(
            key.startswith(rules[0]["Value"]) and key.endswith(rules[1]["Value"])
            for rules in (c["Filter"]["S3Key"]["Rules"] for c in configs)
        )

    assert all(c["Event"] == "s3:ObjectCreated:Put" for c in configs)  # not the pinned copy
    assert all(c["Function"] == {"Fn::GetAtt": ["UploadTrigger", "Arn"]} for c in configs)
    assert fires(upload)
    assert not fires(outputs[0])
    trigger = props(template, "UploadTrigger")
    assert (trigger["Runtime"], trigger["Handler"]) == (LAMBDA_RUNTIME, HANDLER)
    variables = trigger["Environment"]["Variables"]
    assert variables["MEDIACONVERT_JOB_TEMPLATE"] == {"Fn::GetAtt": ["LadderTemplate", "Name"]}
    assert variables["MEDIACONVERT_QUEUE_ARN"] == {"Fn::GetAtt": ["TranscodingQueue", "Arn"]}
    permission = props(template, "TriggerInvokePermission")
    assert (permission["Principal"], permission["SourceAccount"]) == (
        "s3.amazonaws.com",
        {"Ref": "AWS::AccountId"},
    )


def test_the_pinned_sources_expire_by_the_tag_the_trigger_gives_them() -> None:
    rules = props(render(), "MediaBucket")["LifecycleConfiguration"]["Rules"]
    (pinned,) = [rule for rule in rules if "TagFilters" in rule]
    assert pinned["TagFilters"] == [{"Key": PINNED_TAG[0], "Value": PINNED_TAG[1]}]
    assert pinned["Status"] == "Enabled"
    assert 0 < pinned["ExpirationInDays"] <= 30


def test_the_job_template_is_the_ladder_the_jobs_render(tmp_path: Path) -> None:
    """The template's settings are the ladder's, and a job for an ordinary source gives every
    member of them, so naming the template changes nothing it runs."""
    template = props(render(), "LadderTemplate")
    assert template["SettingsJson"] == render_template_settings(DEFAULT_LADDER)
    assert template["Queue"] == {"Fn::GetAtt": ["TranscodingQueue", "Arn"]}
    hls = template["SettingsJson"]["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]
    assert hls["TargetDurationCompatibilityMode"] == "SPEC_COMPLIANT"
    request = JobRequest.for_prefix("s3://media-staging/video/u1/a.mp4")
    assert gives_every_member(template["SettingsJson"], render_job_settings(request))


def test_a_job_without_audio_does_not_name_the_template() -> None:
    """A job's settings are layered over its template's: a silent source's job naming it
    would get the template's audio back (and fail with 1021)."""
    settings = render_job_settings(JobRequest.for_prefix("s3://media-staging/video/u1/a.mp4"))
    for output in settings["OutputGroups"][0]["Outputs"]:
        del output["AudioDescriptions"]
    assert not gives_every_member(render_template_settings(DEFAULT_LADDER), settings)


def test_roles_trust_only_this_accounts_queue_and_rule() -> None:
    """aws:SourceAccount and aws:SourceArn (MediaConvert user guide and EventBridge user
    guide, "Cross-service confused deputy prevention")."""
    template = render()
    (mediaconvert,) = props(template, "MediaConvertRole")["AssumeRolePolicyDocument"]["Statement"]
    assert mediaconvert["Principal"] == {"Service": "mediaconvert.amazonaws.com"}
    assert mediaconvert["Condition"] == {
        "ArnLike": {"aws:SourceArn": {"Fn::GetAtt": ["TranscodingQueue", "Arn"]}},
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
    }
    (events,) = props(template, "EventBridgeRole")["AssumeRolePolicyDocument"]["Statement"]
    rule_name = props(template, "JobStateRule")["Name"]
    assert events["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"].endswith(f":rule/{rule_name}")
    assert events["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}


def test_events_go_to_the_webhook_with_retries_and_dead_letters() -> None:
    template = render()
    rule = props(template, "JobStateRule")
    assert rule["EventPattern"]["source"] == ["aws.mediaconvert"]
    assert rule["EventPattern"]["detail-type"] == ["MediaConvert Job State Change"]
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["WebhookDestination", "Arn"]}
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["WebhookDeadLetters", "Arn"]}}
    destination = props(template, "WebhookDestination")
    assert destination["InvocationEndpoint"] == "https://staging.example.com/webhooks/mediaconvert"
    key = props(template, "WebhookConnection")["AuthParameters"]["ApiKeyAuthParameters"]
    assert key == {"ApiKeyName": "X-Vod-Webhook-Secret", "ApiKeyValue": {"Ref": "WebhookSecret"}}
    (grant,) = props(template, "WebhookDeadLettersPolicy")["PolicyDocument"]["Statement"]
    assert grant["Condition"] == {
        "ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["JobStateRule", "Arn"]}}
    }


def test_a_custom_playback_host_gets_an_acm_certificate_on_the_distribution() -> None:
    template = render(PLAYBACK_BASE_URL="https://media.example.com")
    assert {n: r["Type"] for n, r in resources(template).items() if n in PLAYBACK} == PLAYBACK
    certificate = resources(template)["PlaybackCertificate"]
    assert certificate["Type"] == "AWS::CertificateManager::Certificate"
    assert certificate["Properties"]["DomainName"] == "media.example.com"
    assert certificate["Properties"]["ValidationMethod"] == "DNS"
    config = props(template, "PlaybackDistribution")["DistributionConfig"]
    assert config["Aliases"] == ["media.example.com"]
    viewer = config["ViewerCertificate"]
    assert viewer["AcmCertificateArn"]["Fn::If"][1] == {"Ref": "PlaybackCertificate"}
    assert viewer["SslSupportMethod"] == "sni-only"
    # CloudFront takes certificates from us-east-1 only: the stack says so before creating.
    (assertion,) = template["Rules"]["CertificateForCloudFront"]["Assertions"]
    assert assertion["Assert"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["TrustedKeyGroups"] == [{"Ref": "PlaybackKeyGroup"}]
    assert behaviour["ViewerProtocolPolicy"] == "https-only"
    (origin,) = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["PlaybackOriginAccess", "Id"]}
    statements = props(template, "MediaBucketPolicy")["PolicyDocument"]["Statement"]
    (reads,) = [s for s in statements if s["Sid"] == "CloudFrontReadsMedia"]
    assert reads["Principal"] == {"Service": "cloudfront.amazonaws.com"}


def test_a_cloudfront_host_needs_no_alias_nor_certificate() -> None:
    template = render(PLAYBACK_BASE_URL="https://d1234abcd.cloudfront.net")
    config = props(template, "PlaybackDistribution")["DistributionConfig"]
    assert "Aliases" not in config
    assert config["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True}
    assert "PlaybackCertificate" not in resources(template)


def test_without_a_cdn_no_cloudfront_is_rendered() -> None:
    assert [n for n in resources(render()) if n.startswith("Playback")] == []


def test_a_webhook_that_is_not_https_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match="must be an https:// URL"):
        render(PIPELINE_WEBHOOK_URL="http://staging.example.com")
    for name, value in {**ENV, "PIPELINE_WEBHOOK_URL": "http://staging.example.com"}.items():
        monkeypatch.setenv(name, value)
    assert main(["deploy", "render", "--out", str(tmp_path)]) == 2
    assert "only calls HTTPS endpoints" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_secret_is_a_parameter_never_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    assert main(["deploy", "render", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "template.json").read_text()
    assert ENV["WEBHOOK_SECRET"] not in text
    assert json.loads(text)["Parameters"]["WebhookSecret"]["NoEcho"] is True

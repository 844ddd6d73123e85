"""Staging delivery artifacts: bucket CORS always, CloudFront when a CDN is configured."""

from __future__ import annotations

from vod_testbed.pipeline.deploy.artifacts import render
from vod_testbed.pipeline.deploy.config import DeployConfig

ENV = {
    "AWS_ACCOUNT_ID": "210987654321",
    "AWS_REGION": "eu-west-1",
    "S3_BUCKET": "media-staging",
    "PIPELINE_WEBHOOK_URL": "https://pipeline.staging.example.com/webhooks/mediaconvert",
}


def test_the_bucket_cors_lets_the_console_upload_and_play() -> None:
    (rule,) = render(DeployConfig.from_env(ENV))["s3/cors.json"]["CORSRules"]
    assert rule["AllowedOrigins"] == ["https://pipeline.staging.example.com"]
    assert sorted(rule["AllowedMethods"]) == ["GET", "HEAD", "PUT"]


def test_without_a_cdn_no_cloudfront_is_rendered() -> None:
    assert not [name for name in render(DeployConfig.from_env(ENV)) if "cloudfront" in name]


def test_a_cdn_gets_a_distribution_that_reads_the_private_bucket_and_serves_only_signed_urls() -> (
    None
):
    artifacts = render(
        DeployConfig.from_env({**ENV, "PLAYBACK_BASE_URL": "https://media.example.com"})
    )
    config = artifacts["cloudfront/distribution.json"]["DistributionConfig"]
    (origin,) = config["Origins"]["Items"]
    assert origin["DomainName"] == "media-staging.s3.eu-west-1.amazonaws.com"
    assert origin["OriginAccessControlId"] == "<origin-access-control-id>"
    assert config["Aliases"]["Items"] == ["media.example.com"]
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["TrustedKeyGroups"] == {
        "Enabled": True,
        "Quantity": 1,
        "Items": ["<key-group-id>"],
    }
    assert behaviour["ViewerProtocolPolicy"] == "https-only"
    oac = artifacts["cloudfront/origin-access-control.json"]["OriginAccessControlConfig"]
    assert (oac["SigningBehavior"], oac["OriginAccessControlOriginType"]) == ("always", "s3")
    (grant,) = artifacts["s3/bucket-policy-cloudfront.json"]["Statement"]
    assert grant["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert grant["Action"] == "s3:GetObject"
    assert grant["Condition"]["StringEquals"]["AWS:SourceArn"].startswith(
        "arn:aws:cloudfront::210987654321:distribution/"
    )
    assert "cloudfront/README.md" in artifacts["README.md"]

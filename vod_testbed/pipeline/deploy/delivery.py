"""Staging artifacts for delivering media to players: the bucket's CORS for the console,
and - when ``PLAYBACK_BASE_URL`` names a CDN - a CloudFront distribution in front of the
private bucket (origin access control) that only serves URLs signed by a key group.

:func:`render_delivery` returns them by relative file name, as ``deploy.render`` does.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import urlsplit

from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.storage.cors import console_origins, cors_rules

# AWS-managed CloudFront policies (ids are fixed across accounts).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CORS_S3_ORIGIN = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
CORS_WITH_PREFLIGHT = "5cc3b908-e619-4b99-88e5-2cf7f45965bd"
PUBLIC_KEY_PLACEHOLDER = "${CLOUDFRONT_PUBLIC_KEY_PEM}"


class DeployTarget(Protocol):
    """What rendering needs of ``deploy.DeployConfig``."""

    @property
    def pipeline(self) -> PipelineSettings: ...

    @property
    def account_id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def bucket(self) -> str: ...

    @property
    def region(self) -> str: ...


def _console_url(settings: PipelineSettings) -> str:
    # The console is served by the pipeline, whose public URL the webhook URL carries.
    url = settings.pipeline_webhook_url or "https://pipeline.example.com"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def render_delivery(config: DeployTarget) -> dict[str, Any]:
    """Bucket CORS, and the CloudFront set when ``PLAYBACK_BASE_URL`` is configured."""
    artifacts: dict[str, Any] = {
        "s3/cors.json": cors_rules(console_origins(_console_url(config.pipeline))),
    }
    base = config.pipeline.playback_base_url
    if not base:
        return artifacts
    host = urlsplit(base).hostname or ""
    name = config.name
    distribution_arn = f"arn:aws:cloudfront::{config.account_id}:distribution/<distribution-id>"
    origin_id = f"{name}-media"
    artifacts.update(
        {
            "cloudfront/origin-access-control.json": {
                "OriginAccessControlConfig": {
                    "Name": f"{name}-media",
                    "Description": "CloudFront signs its requests to the private media bucket",
                    "SigningProtocol": "sigv4",
                    "SigningBehavior": "always",
                    "OriginAccessControlOriginType": "s3",
                }
            },
            "cloudfront/public-key.json": {
                "PublicKeyConfig": {
                    "CallerReference": f"{name}-playback-key-1",
                    "Name": f"{name}-playback-key-1",
                    "EncodedKey": PUBLIC_KEY_PLACEHOLDER,
                    "Comment": "verifies the pipeline's signed playback URLs",
                }
            },
            "cloudfront/key-group.json": {
                "KeyGroupConfig": {"Name": f"{name}-playback", "Items": ["<public-key-id>"]}
            },
            "cloudfront/distribution.json": {
                "DistributionConfig": {
                    "CallerReference": f"{name}-media",
                    "Comment": f"{name}: HLS media from s3://{config.bucket}, signed URLs only",
                    "Enabled": True,
                    "Aliases": {"Quantity": 0, "Items": []}
                    if host.endswith(".cloudfront.net")
                    else {"Quantity": 1, "Items": [host]},
                    "Origins": {
                        "Quantity": 1,
                        "Items": [
                            {
                                "Id": origin_id,
                                "DomainName": (f"{config.bucket}.s3.{config.region}.amazonaws.com"),
                                "OriginAccessControlId": "<origin-access-control-id>",
                                "S3OriginConfig": {"OriginAccessIdentity": ""},
                            }
                        ],
                    },
                    "DefaultCacheBehavior": {
                        "TargetOriginId": origin_id,
                        "ViewerProtocolPolicy": "https-only",
                        "AllowedMethods": {
                            "Quantity": 3,
                            "Items": ["GET", "HEAD", "OPTIONS"],
                            "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
                        },
                        # Only URLs (or cookies) signed with a key of this group are served.
                        "TrustedKeyGroups": {
                            "Enabled": True,
                            "Quantity": 1,
                            "Items": ["<key-group-id>"],
                        },
                        "CachePolicyId": CACHING_OPTIMIZED,
                        "OriginRequestPolicyId": CORS_S3_ORIGIN,
                        "ResponseHeadersPolicyId": CORS_WITH_PREFLIGHT,
                        "Compress": True,
                    },
                    "PriceClass": "PriceClass_100",
                    "HttpVersion": "http2and3",
                }
            },
            "s3/bucket-policy-cloudfront.json": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudFrontReadsMedia",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudfront.amazonaws.com"},
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{config.bucket}/video/*",
                        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
                    }
                ],
            },
            "cloudfront/README.md": _readme(config, base),
        }
    )
    return artifacts


def _readme(config: DeployTarget, base: str) -> str:
    return f"""# {config.name}: media through CloudFront ({base})

The bucket stays private; CloudFront reads it with origin access control and serves only
requests signed by the key group. The pipeline signs: set `CLOUDFRONT_KEY_PAIR_ID` (the
public key's id) and `CLOUDFRONT_PRIVATE_KEY_FILE` (its RSA private key) in its
environment, and each media playlist it serves carries URLs signed with one wildcard
policy for the video's folder, valid until the playback token expires.

1. Key pair: `openssl genrsa -out playback.pem 2048` and
   `openssl rsa -pubout -in playback.pem -out playback.pub`; put the public PEM in place
   of `{PUBLIC_KEY_PLACEHOLDER}`, then `aws cloudfront create-public-key
   --cli-input-json file://public-key.json` and `aws cloudfront create-key-group
   --cli-input-json file://key-group.json` (with the public key's id).
2. `aws cloudfront create-origin-access-control --cli-input-json
   file://origin-access-control.json`.
3. `aws cloudfront create-distribution --cli-input-json file://distribution.json` (with the
   two ids), then point `{urlsplit(base).hostname}` at it.
4. `aws s3api put-bucket-policy --bucket {config.bucket} --policy
   file://../s3/bucket-policy-cloudfront.json` (with the distribution's id), and
   `aws s3api put-bucket-cors --bucket {config.bucket} --cors-configuration
   file://../s3/cors.json`.
"""

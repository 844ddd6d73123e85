"""CloudFront in front of the bucket when ``PLAYBACK_BASE_URL`` names a CDN: the
distribution, its origin access control, key group and, for a custom host, its ACM
certificate. Part of :mod:`.template`."""

from __future__ import annotations

from typing import Any

from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.deploy.delivery import (
    CACHING_OPTIMIZED,
    CORS_S3_ORIGIN,
    CORS_WITH_PREFLIGHT,
)
from vod_testbed.pipeline.deploy.functions import custom_host, ref

# ACM certificates for CloudFront must live in us-east-1.
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"


def viewer_certificate(host: str | None) -> dict[str, Any]:
    if host is None:
        return {"CloudFrontDefaultCertificate": True}
    return {
        "AcmCertificateArn": {
            "Fn::If": [
                "RequestCertificate",
                ref("PlaybackCertificate"),
                ref("PlaybackCertificateArn"),
            ]
        },
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }


def playback_resources(config: DeployConfig) -> dict[str, Any]:
    """CloudFront in front of the private bucket: origin access control, signed URLs of
    one key group only, and for a custom host its alias with a certificate covering it."""
    name = config.name
    host = custom_host(config)
    origin_id = f"{name}-media"
    distribution: dict[str, Any] = {
        "Comment": f"{name}: HLS media from s3://{config.bucket}, signed URLs only",
        "Enabled": True,
        "Origins": [
            {
                "Id": origin_id,
                "DomainName": {"Fn::GetAtt": ["MediaBucket", "RegionalDomainName"]},
                "OriginAccessControlId": {"Fn::GetAtt": ["PlaybackOriginAccess", "Id"]},
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            }
        ],
        "DefaultCacheBehavior": {
            "TargetOriginId": origin_id,
            "ViewerProtocolPolicy": "https-only",
            "AllowedMethods": ["GET", "HEAD", "OPTIONS"],
            "CachedMethods": ["GET", "HEAD"],
            # Only URLs (or cookies) signed with a key of this group are served.
            "TrustedKeyGroups": [ref("PlaybackKeyGroup")],
            "CachePolicyId": CACHING_OPTIMIZED,
            "OriginRequestPolicyId": CORS_S3_ORIGIN,
            "ResponseHeadersPolicyId": CORS_WITH_PREFLIGHT,
            "Compress": True,
        },
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2and3",
        "ViewerCertificate": viewer_certificate(host),
    }
    if host:
        distribution["Aliases"] = [host]
    resources: dict[str, Any] = {
        "PlaybackOriginAccess": {
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": {
                "OriginAccessControlConfig": {
                    "Name": f"{name}-media",
                    "Description": "CloudFront signs its requests to the private media bucket",
                    "SigningProtocol": "sigv4",
                    "SigningBehavior": "always",
                    "OriginAccessControlOriginType": "s3",
                }
            },
        },
        "PlaybackPublicKey": {
            "Type": "AWS::CloudFront::PublicKey",
            "Properties": {
                "PublicKeyConfig": {
                    "CallerReference": f"{name}-playback-key-1",
                    "Name": f"{name}-playback-key-1",
                    "EncodedKey": ref("PlaybackPublicKeyPem"),
                    "Comment": "verifies the pipeline's signed playback URLs",
                }
            },
        },
        "PlaybackKeyGroup": {
            "Type": "AWS::CloudFront::KeyGroup",
            "Properties": {
                "KeyGroupConfig": {"Name": f"{name}-playback", "Items": [ref("PlaybackPublicKey")]}
            },
        },
        "PlaybackDistribution": {
            "Type": "AWS::CloudFront::Distribution",
            "Properties": {"DistributionConfig": distribution},
        },
    }
    if host:
        resources["PlaybackCertificate"] = {
            "Type": "AWS::CertificateManager::Certificate",
            "Condition": "RequestCertificate",
            "Properties": {
                "DomainName": host,
                "ValidationMethod": "DNS",
                "DomainValidationOptions": {
                    "Fn::If": [
                        "ValidateInHostedZone",
                        [{"DomainName": host, "HostedZoneId": ref("PlaybackHostedZoneId")}],
                        ref("AWS::NoValue"),
                    ]
                },
            },
        }
    return resources

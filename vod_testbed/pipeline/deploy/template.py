"""The staging side as one CloudFormation template, written from the project's own data.

Everything AWS runs for staging is one stack: the media bucket (its upload notification,
CORS and the lifecycle rule that expires the jobs' pinned sources), the MediaConvert queue
and the ladder as a job template, the roles, the upload-trigger Lambda, the EventBridge rule
with its connection, API destination, retry policy and dead-letter queue, and - when
``PLAYBACK_BASE_URL`` names a CDN - CloudFront with origin access control, a key group and,
for a custom host, an ACM certificate. ``aws cloudformation deploy`` creates or updates it
all; docs/aws-staging.md says how.

Why plain data rather than the AWS CDK: every value comes from the code that uses it at run
time (the ladder's renderer, the upload-key contract, the webhook's header, the Lambda's
runtime), so a Python dict is the shortest path from there to the template, needs no Node.js
toolchain or synth step, and the rendered JSON is what cfn-lint checks and tests read.

The webhook secret is a ``NoEcho`` parameter: it is never rendered.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from vod_testbed.backends import naming
from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.backends.mediaconvert import events
from vod_testbed.backends.mediaconvert.render import render_template_settings
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.deploy.delivery import (
    CACHING_OPTIMIZED,
    CORS_S3_ORIGIN,
    CORS_WITH_PREFLIGHT,
    console_url,
)
from vod_testbed.pipeline.deploy.iam import policy, statement, trust
from vod_testbed.pipeline.deploy.lambda_package import HANDLER, LAMBDA_RUNTIME
from vod_testbed.pipeline.trigger import upload_keys
from vod_testbed.pipeline.trigger.handler import PINNED_FOLDER, PINNED_TAG
from vod_testbed.storage.cors import console_origins, cors_rules

# The trigger tags its pinned copy of an upload so that the lifecycle rule can find it
# (a rule filters by prefix or tag, and the copies share no prefix: `<upload>_processed/`).
PINNED_TAG_FILTER = {"Key": PINNED_TAG[0], "Value": PINNED_TAG[1]}
PINNED_SOURCE_DAYS = 7
# EventBridge's maximum: retry for a day, up to 185 times.
RETRY_POLICY = {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}
# ACM certificates for CloudFront must live in us-east-1.
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"


def sub(text: str) -> dict[str, str]:
    return {"Fn::Sub": text}


def ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def arn(resource: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [resource, "Arn"]}


def bucket_arn(config: DeployConfig, path: str = "") -> dict[str, str]:
    """The media bucket's ARN (``path``: of objects in it), from its name: the bucket waits
    for the trigger's invoke permission, so nothing the trigger needs may wait for it."""
    return sub(f"arn:${{AWS::Partition}}:s3:::{config.bucket}{path}")


def webhook_endpoint(config: DeployConfig) -> str:
    """The API destination's endpoint: the pipeline's webhook, over HTTPS.

    Raises:
        ValueError: ``PIPELINE_WEBHOOK_URL`` is not an https:// URL; EventBridge API
            destinations call HTTPS endpoints only.
    """
    url = (config.pipeline.pipeline_webhook_url or "https://pipeline.example.com").rstrip("/")
    if not url.startswith("https://"):
        raise ValueError(
            f"PIPELINE_WEBHOOK_URL {url!r} must be an https:// URL: an EventBridge API "
            "destination only calls HTTPS endpoints"
        )
    return url if url.endswith("/webhooks/mediaconvert") else f"{url}/webhooks/mediaconvert"


def playback_host(config: DeployConfig) -> str | None:
    """The CDN's host name, or None without ``PLAYBACK_BASE_URL``."""
    base = config.pipeline.playback_base_url
    return (urlsplit(base).hostname or None) if base else None


def custom_host(config: DeployConfig) -> str | None:
    """The CDN host when it is the team's own domain (not ``*.cloudfront.net``): it goes into
    the distribution's aliases, which CloudFront accepts only with a certificate covering it."""
    host = playback_host(config)
    return host if host and not host.endswith(".cloudfront.net") else None


def _parameters(config: DeployConfig) -> dict[str, Any]:
    parameters: dict[str, Any] = {
        "WebhookSecret": {
            "Type": "String",
            "NoEcho": True,
            "MinLength": 32,
            "Description": "the shared secret of the pipeline's webhook (WEBHOOK_SECRET)",
        },
        "TriggerCodeBucket": {
            "Type": "String",
            "Description": "bucket holding the upload trigger's zip (make lambda-package)",
        },
        "TriggerCodeKey": {
            "Type": "String",
            "Default": "lambda-upload-trigger.zip",
            "Description": "key of the upload trigger's zip in TriggerCodeBucket",
        },
    }
    if playback_host(config):
        parameters["PlaybackPublicKeyPem"] = {
            "Type": "String",
            "Description": "the PEM public key of the pipeline's CloudFront signing key",
        }
    if custom_host(config):
        parameters["PlaybackCertificateArn"] = {
            "Type": "String",
            "Default": "",
            "Description": "an ACM certificate (us-east-1) for the playback host; "
            "empty: the stack requests one (deploy in us-east-1)",
        }
        parameters["PlaybackHostedZoneId"] = {
            "Type": "String",
            "Default": "",
            "Description": "the Route 53 zone of the playback host, to validate the "
            "certificate automatically; empty: add the DNS record ACM asks for",
        }
    return parameters


def _trigger_environment(config: DeployConfig, webhook_url: str) -> dict[str, Any]:
    backend = config.pipeline.backend
    variables: dict[str, Any] = {
        "TRANSCODER_BACKEND": "mediaconvert",
        "S3_BUCKET": config.bucket,
        "MEDIACONVERT_ROLE_ARN": arn("MediaConvertRole"),
        "MEDIACONVERT_QUEUE_ARN": arn("TranscodingQueue"),
        "MEDIACONVERT_JOB_TEMPLATE": {"Fn::GetAtt": ["LadderTemplate", "Name"]},
        "PIPELINE_WEBHOOK_URL": webhook_url,
        "WEBHOOK_SECRET": ref("WebhookSecret"),
        "MAX_UPLOAD_BYTES": str(config.pipeline.max_upload_bytes),
        "PROBE_SAMPLE_BYTES": str(config.pipeline.probe_sample_bytes),
        "VOD_WORK_DIR": "/tmp/vod-testbed",  # noqa: S108 - Lambda's only writable place
    }
    if backend.mediaconvert_endpoint:
        variables["MEDIACONVERT_ENDPOINT"] = backend.mediaconvert_endpoint
    return {"Variables": variables}


def _trigger_policy(config: DeployConfig) -> dict[str, Any]:
    uploads = bucket_arn(config, f"/{upload_keys.UPLOAD_PREFIX}*")
    pinned = bucket_arn(
        config, f"/{upload_keys.UPLOAD_PREFIX}*{naming.PROCESSED_SUFFIX}/{PINNED_FOLDER}/*"
    )
    return policy(
        statement("ReadUploads", ["s3:GetObject"], [uploads]),
        # The trigger copies a checked upload to the job's own key, tagged for the lifecycle
        # rule, and removes the copy again if the upload changed under it.
        statement(
            "PinUploadsForJobs",
            ["s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject"],
            [pinned],
        ),
        statement(
            "CreateTranscodingJobs",
            ["mediaconvert:CreateJob"],
            [arn("TranscodingQueue"), arn("LadderTemplate")],
        ),
        statement(
            "ReadTranscodingJobs",
            ["mediaconvert:GetJob"],
            [sub("arn:${AWS::Partition}:mediaconvert:${AWS::Region}:${AWS::AccountId}:jobs/*")],
        ),
        statement(
            "PassMediaConvertRole",
            ["iam:PassRole"],
            [arn("MediaConvertRole")],
            Condition={"StringEquals": {"iam:PassedToService": "mediaconvert.amazonaws.com"}},
        ),
        statement(
            "WriteLogs",
            ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            [sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*")],
        ),
    )


def _roles(config: DeployConfig) -> dict[str, Any]:
    name = config.name
    rule_arn = sub(
        f"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{name}-mediaconvert-job-state"
    )
    account = {"aws:SourceAccount": ref("AWS::AccountId")}
    return {
        "TriggerRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": f"{name}-upload-trigger",
                "AssumeRolePolicyDocument": trust("lambda.amazonaws.com"),
                "Policies": [
                    {"PolicyName": "upload-trigger", "PolicyDocument": _trigger_policy(config)}
                ],
            },
        },
        # MediaConvert may assume the role only for jobs of this account's queue: "The value
        # of aws:SourceArn must be the ARN of the MediaConvert queue" (user guide,
        # "Cross-service confused deputy prevention").
        "MediaConvertRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": f"{name}-mediaconvert",
                "AssumeRolePolicyDocument": trust(
                    "mediaconvert.amazonaws.com",
                    ArnLike={"aws:SourceArn": arn("TranscodingQueue")},
                    StringEquals=account,
                ),
                "Policies": [
                    {
                        "PolicyName": "media",
                        "PolicyDocument": policy(
                            statement(
                                "ReadAndWriteMedia",
                                ["s3:GetObject", "s3:PutObject"],
                                [bucket_arn(config, "/*")],
                            )
                        ),
                    }
                ],
            },
        },
        "EventBridgeRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": f"{name}-eventbridge",
                "AssumeRolePolicyDocument": trust(
                    "events.amazonaws.com",
                    ArnLike={"aws:SourceArn": rule_arn},
                    StringEquals=account,
                ),
                "Policies": [
                    {
                        "PolicyName": "invoke-webhook",
                        "PolicyDocument": policy(
                            statement(
                                "InvokePipelineWebhook",
                                ["events:InvokeApiDestination"],
                                [arn("WebhookDestination")],
                            )
                        ),
                    }
                ],
            },
        },
        # Attach to the role the pipeline's API runs as (see iam.pipeline_host_policy).
        "PipelineHostPolicy": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "ManagedPolicyName": f"{name}-pipeline-host",
                "Description": "presign uploads and playback, list thumbnails, HeadBucket",
                "PolicyDocument": _pipeline_host_policy(config),
            },
        },
    }


def _pipeline_host_policy(config: DeployConfig) -> dict[str, Any]:
    uploads = bucket_arn(config, f"/{upload_keys.UPLOAD_PREFIX}*")
    return policy(
        statement("PresignUploads", ["s3:PutObject"], [uploads]),
        statement("PresignPlayback", ["s3:GetObject"], [uploads]),
        statement(
            "ListThumbnailsAndHeadBucket",
            ["s3:ListBucket"],
            [bucket_arn(config)],
            # IfExists: HeadBucket carries no prefix; listings stay under the uploads.
            Condition={"StringLikeIfExists": {"s3:prefix": [f"{upload_keys.UPLOAD_PREFIX}*"]}},
        ),
    )


def _notifications() -> list[dict[str, Any]]:
    """One rule per upload suffix under ``video/``, for PUTs only: uploads arrive by
    presigned PUT; the job's outputs (.m3u8, .ts, .jpg), written under the same prefix,
    match no suffix, and the trigger's pinned copy is a copy, not a PUT."""
    return [
        {
            "Event": "s3:ObjectCreated:Put",
            "Function": arn("UploadTrigger"),
            "Filter": {
                "S3Key": {
                    "Rules": [
                        {"Name": "prefix", "Value": upload_keys.UPLOAD_PREFIX},
                        {"Name": "suffix", "Value": suffix},
                    ]
                }
            },
        }
        for suffix in upload_keys.UPLOAD_SUFFIXES
    ]


def _bucket(config: DeployConfig) -> dict[str, Any]:
    (cors,) = [
        {
            "AllowedOrigins": rule["AllowedOrigins"],
            "AllowedMethods": rule["AllowedMethods"],
            "AllowedHeaders": rule.get("AllowedHeaders", []),
            "ExposedHeaders": rule.get("ExposeHeaders", []),
            "MaxAge": rule.get("MaxAgeSeconds", 0),
        }
        for rule in cors_rules(console_origins(console_url(config.pipeline)))["CORSRules"]
    ]
    return {
        "Type": "AWS::S3::Bucket",
        # The media outlives the stack; an existing bucket can be imported instead.
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "DependsOn": "TriggerInvokePermission",
        "Properties": {
            "BucketName": config.bucket,
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "CorsConfiguration": {"CorsRules": [cors]},
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        # A job's own copy of its upload is needed only while the job runs.
                        "Id": "expire-pinned-sources",
                        "Status": "Enabled",
                        "TagFilters": [PINNED_TAG_FILTER],
                        "ExpirationInDays": PINNED_SOURCE_DAYS,
                    },
                    {
                        "Id": "abort-incomplete-uploads",
                        "Status": "Enabled",
                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                    },
                ]
            },
            "NotificationConfiguration": {"LambdaConfigurations": _notifications()},
        },
    }


def _trigger(config: DeployConfig, webhook_url: str) -> dict[str, Any]:
    return {
        "UploadTrigger": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": config.function_name,
                "Description": "checks each upload and creates its MediaConvert job",
                "Runtime": LAMBDA_RUNTIME,
                "Architectures": ["x86_64"],
                "Handler": HANDLER,
                "Role": arn("TriggerRole"),
                "Code": {"S3Bucket": ref("TriggerCodeBucket"), "S3Key": ref("TriggerCodeKey")},
                "Timeout": 120,
                "MemorySize": 1024,
                "EphemeralStorage": {"Size": 1024},
                "Environment": _trigger_environment(config, webhook_url),
            },
        },
        "TriggerInvokePermission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "FunctionName": ref("UploadTrigger"),
                "Action": "lambda:InvokeFunction",
                "Principal": "s3.amazonaws.com",
                "SourceArn": bucket_arn(config),
                "SourceAccount": ref("AWS::AccountId"),
            },
        },
    }


def _transcoding(config: DeployConfig) -> dict[str, Any]:
    return {
        "TranscodingQueue": {
            "Type": "AWS::MediaConvert::Queue",
            "Properties": {
                "Name": f"{config.name}-staging",
                "Description": "staging's transcoding jobs",
                "PricingPlan": "ON_DEMAND",
                "Status": "ACTIVE",
            },
        },
        # The ladder, rendered by the code that renders each job's Settings; jobs name it
        # when their settings give every member it has (backends/mediaconvert/backend.py).
        "LadderTemplate": {
            "Type": "AWS::MediaConvert::JobTemplate",
            "Properties": {
                "Name": f"{config.name}-ladder",
                "Description": "the HLS ladder and thumbnails of vod-testbed",
                "Queue": arn("TranscodingQueue"),
                "StatusUpdateInterval": "SECONDS_10",
                "SettingsJson": render_template_settings(DEFAULT_LADDER),
            },
        },
    }


def _events(config: DeployConfig, webhook_url: str) -> dict[str, Any]:
    name = config.name
    return {
        "JobStateRule": {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Name": f"{name}-mediaconvert-job-state",
                "Description": "MediaConvert job state changes of staging's queue to the webhook",
                "State": "ENABLED",
                "EventPattern": {
                    "source": [events.SOURCE],
                    "detail-type": [events.DETAIL_TYPE],
                    "detail": {"queue": [arn("TranscodingQueue")]},
                },
                "Targets": [
                    {
                        "Id": "pipeline-webhook",
                        "Arn": arn("WebhookDestination"),
                        "RoleArn": arn("EventBridgeRole"),
                        # The webhook answers 5xx while it cannot apply an event: keep
                        # retrying for a day; what is still undelivered then, and what the
                        # webhook refuses with a 400, waits in the dead-letter queue.
                        "RetryPolicy": RETRY_POLICY,
                        "DeadLetterConfig": {"Arn": arn("WebhookDeadLetters")},
                    }
                ],
            },
        },
        "WebhookConnection": {
            "Type": "AWS::Events::Connection",
            "Properties": {
                "Name": f"{name}-pipeline-webhook",
                "AuthorizationType": "API_KEY",
                "AuthParameters": {
                    "ApiKeyAuthParameters": {
                        "ApiKeyName": config.pipeline.webhook_api_key_header,
                        "ApiKeyValue": ref("WebhookSecret"),
                    }
                },
            },
        },
        "WebhookDestination": {
            "Type": "AWS::Events::ApiDestination",
            "Properties": {
                "Name": f"{name}-pipeline-webhook",
                "ConnectionArn": arn("WebhookConnection"),
                "InvocationEndpoint": webhook_url,
                "HttpMethod": "POST",
                "InvocationRateLimitPerSecond": 20,
            },
        },
        "WebhookDeadLetters": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": f"{name}-webhook-dead-letters",
                # SQS's longest retention: two weeks to notice, fix and redrive.
                "MessageRetentionPeriod": 1209600,
                "SqsManagedSseEnabled": True,
            },
        },
        "WebhookDeadLettersPolicy": {
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "Queues": [ref("WebhookDeadLetters")],
                # Only this rule's target may drop its undeliverable events here.
                "PolicyDocument": policy(
                    {
                        "Sid": "EventBridgeDeadLetters",
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": arn("WebhookDeadLetters"),
                        "Condition": {"ArnEquals": {"aws:SourceArn": arn("JobStateRule")}},
                    }
                ),
            },
        },
    }


def _bucket_policy(config: DeployConfig) -> dict[str, Any]:
    statements: list[dict[str, Any]] = [
        {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [
                sub("arn:${AWS::Partition}:s3:::${MediaBucket}"),
                sub("arn:${AWS::Partition}:s3:::${MediaBucket}/*"),
            ],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
    if playback_host(config):
        statements.append(
            {
                "Sid": "CloudFrontReadsMedia",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": sub(
                    f"arn:${{AWS::Partition}}:s3:::${{MediaBucket}}/{upload_keys.UPLOAD_PREFIX}*"
                ),
                "Condition": {
                    "StringEquals": {
                        "AWS:SourceArn": sub(
                            "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}"
                            ":distribution/${PlaybackDistribution}"
                        )
                    }
                },
            }
        )
    return {
        "MediaBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {"Bucket": ref("MediaBucket"), "PolicyDocument": policy(*statements)},
        }
    }


def _viewer_certificate(host: str | None) -> dict[str, Any]:
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


def _playback(config: DeployConfig) -> dict[str, Any]:
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
        "ViewerCertificate": _viewer_certificate(host),
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


def _conditions_and_rules(config: DeployConfig) -> tuple[dict[str, Any], dict[str, Any]]:
    if not custom_host(config):
        return {}, {}
    no_arn = {"Fn::Equals": [ref("PlaybackCertificateArn"), ""]}
    conditions = {
        "RequestCertificate": no_arn,
        "ValidateInHostedZone": {"Fn::Not": [{"Fn::Equals": [ref("PlaybackHostedZoneId"), ""]}]},
    }
    rules = {
        "CertificateForCloudFront": {
            "RuleCondition": no_arn,
            "Assertions": [
                {
                    "Assert": {"Fn::Equals": [ref("AWS::Region"), CLOUDFRONT_CERTIFICATE_REGION]},
                    "AssertDescription": "CloudFront takes ACM certificates from us-east-1 only: "
                    "deploy there, or pass PlaybackCertificateArn",
                }
            ],
        }
    }
    return conditions, rules


def _outputs(config: DeployConfig) -> dict[str, Any]:
    outputs: dict[str, Any] = {
        "MediaBucketName": {"Value": ref("MediaBucket")},
        "TranscodingQueueArn": {"Value": arn("TranscodingQueue")},
        "LadderTemplateName": {"Value": {"Fn::GetAtt": ["LadderTemplate", "Name"]}},
        "MediaConvertRoleArn": {"Value": arn("MediaConvertRole")},
        "UploadTriggerArn": {"Value": arn("UploadTrigger")},
        "WebhookDeadLetterQueueUrl": {"Value": ref("WebhookDeadLetters")},
        "PipelineHostPolicyArn": {"Value": ref("PipelineHostPolicy")},
    }
    if playback_host(config):
        outputs["PlaybackDomainName"] = {
            "Value": {"Fn::GetAtt": ["PlaybackDistribution", "DomainName"]}
        }
        outputs["CloudFrontKeyPairId"] = {"Value": ref("PlaybackPublicKey")}
    return outputs


def render_template(config: DeployConfig) -> dict[str, Any]:
    """The CloudFormation template of staging, as a JSON-ready dict.

    Raises:
        ValueError: the configuration cannot be deployed (a webhook URL that is not https).
    """
    webhook_url = webhook_endpoint(config)
    resources: dict[str, Any] = {"MediaBucket": _bucket(config)}
    resources.update(_trigger(config, webhook_url))
    resources.update(_roles(config))
    resources.update(_transcoding(config))
    resources.update(_events(config, webhook_url))
    resources.update(_bucket_policy(config))
    if playback_host(config):
        resources.update(_playback(config))
    conditions, rules = _conditions_and_rules(config)
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{config.name}: staging (uploads, MediaConvert, events, playback)",
        "Parameters": _parameters(config),
    }
    if rules:
        template["Rules"] = rules
    if conditions:
        template["Conditions"] = conditions
    template["Resources"] = resources
    template["Outputs"] = _outputs(config)
    return template


def template_json(config: DeployConfig) -> str:
    """:func:`render_template` as the text ``make deploy-render`` writes."""
    return json.dumps(render_template(config), indent=2) + "\n"

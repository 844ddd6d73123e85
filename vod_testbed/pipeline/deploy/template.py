"""The staging side as one CloudFormation template, written from the project's own data.

Everything AWS runs for staging is one stack: the media bucket (its upload notification,
CORS and the lifecycle rule that expires the jobs' pinned sources), the MediaConvert queue
and the ladder as a job template, the roles, the upload-trigger Lambda, the EventBridge rule
with its connection, API destination, retry policy and dead-letter queue, and - when
``PLAYBACK_BASE_URL`` names a CDN - CloudFront with origin access control, a key group and,
for a custom host, an ACM certificate. ``aws cloudformation deploy`` creates or updates it
all; docs/aws-staging.md says how. The roles and the bucket policy are written in
:mod:`.roles`, CloudFront in :mod:`.cdn`.

Why plain data rather than the AWS CDK: every value comes from the code that uses it at run
time (the ladder's renderer, the upload-key contract, the webhook's header, the Lambda's
runtime), so a Python dict is the shortest path from there to the template, needs no Node.js
toolchain or synth step, and the rendered JSON is what cfn-lint checks and tests read.

The webhook secret is a ``NoEcho`` parameter: it is never rendered.
"""

from __future__ import annotations

import json
from typing import Any

from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.backends.mediaconvert import events
from vod_testbed.backends.mediaconvert.render import render_template_settings
from vod_testbed.pipeline.deploy.cdn import CLOUDFRONT_CERTIFICATE_REGION, playback_resources
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.deploy.delivery import (
    console_url,
)
from vod_testbed.pipeline.deploy.functions import (
    arn,
    bucket_arn,
    custom_host,
    playback_host,
    ref,
)
from vod_testbed.pipeline.deploy.iam import policy
from vod_testbed.pipeline.deploy.lambda_package import HANDLER, LAMBDA_RUNTIME
from vod_testbed.pipeline.deploy.roles import bucket_policy, roles
from vod_testbed.pipeline.trigger import upload_keys
from vod_testbed.pipeline.trigger.handler import PINNED_TAG
from vod_testbed.storage.cors import console_origins, cors_rules

# The trigger tags its pinned copy of an upload so that the lifecycle rule can find it
# (a rule filters by prefix or tag, and the copies share no prefix: `<upload>_processed/`).
PINNED_TAG_FILTER = {"Key": PINNED_TAG[0], "Value": PINNED_TAG[1]}
PINNED_SOURCE_DAYS = 7
# EventBridge's maximum: retry for a day, up to 185 times.
RETRY_POLICY = {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}


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
    resources.update(roles(config))
    resources.update(_transcoding(config))
    resources.update(_events(config, webhook_url))
    resources.update(bucket_policy(config))
    if playback_host(config):
        resources.update(playback_resources(config))
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

"""Staging deployment artifacts, rendered from the pipeline's own configuration.

:func:`render` gives the IAM roles and policies (:mod:`.iam`), the S3 notification, the
EventBridge rule, connection, API destination and target with its dead-letter queue, the
Lambda function's definition, and a README with the ``aws`` commands that apply them in
order.

The webhook secret is never written out: files that need it say ``${WEBHOOK_SECRET}``
for the operator to fill in (or to pass straight to the CLI).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.mediaconvert import events
from vod_testbed.pipeline import upload_keys
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.deploy.delivery import render_delivery
from vod_testbed.pipeline.deploy.iam import (
    eventbridge_trust,
    mediaconvert_trust,
    pipeline_host_policy,
    policy,
    statement,
    trust,
)
from vod_testbed.pipeline.deploy.lambda_package import HANDLER, LAMBDA_RUNTIME
from vod_testbed.pipeline.deploy.readme import staging_readme

SECRET_PLACEHOLDER = "${WEBHOOK_SECRET}"  # noqa: S105 - a placeholder, not a secret


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


def _upload_notifications(config: DeployConfig) -> list[dict[str, Any]]:
    """One rule per upload suffix under ``video/``, for PUTs only: uploads arrive by
    presigned PUT; the job's outputs (.m3u8, .ts, .jpg), written under the same prefix,
    match no suffix, and the trigger's pinned copy of the upload is a copy, not a PUT, so
    none of them costs a Lambda call."""
    return [
        {
            "Id": f"{config.name}-uploads-{suffix.lstrip('.')}",
            "LambdaFunctionArn": config.function_arn,
            "Events": ["s3:ObjectCreated:Put"],
            "Filter": {
                "Key": {
                    "FilterRules": [
                        {"Name": "prefix", "Value": upload_keys.UPLOAD_PREFIX},
                        {"Name": "suffix", "Value": suffix},
                    ]
                }
            },
        }
        for suffix in upload_keys.UPLOAD_SUFFIXES
    ]


def render(config: DeployConfig) -> dict[str, Any]:
    """Every artifact, by relative file name (JSON documents, and ``README.md`` text).

    Raises:
        ValueError: the configuration cannot be deployed (a webhook URL that is not https).
    """
    backend = config.pipeline.backend
    bucket_arn = f"arn:aws:s3:::{config.bucket}"
    uploads_arn = f"{bucket_arn}/{upload_keys.UPLOAD_PREFIX}*"
    webhook_url = webhook_endpoint(config)
    queue = backend.mediaconvert_queue_arn
    queue_arn = queue or f"arn:aws:mediaconvert:{config.region}:{config.account_id}:queues/Default"
    dead_letters = f"{config.name}-webhook-dead-letters"
    dead_letters_arn = f"arn:aws:sqs:{config.region}:{config.account_id}:{dead_letters}"
    rule_name = f"{config.name}-mediaconvert-job-state"
    connection_name = f"{config.name}-pipeline-webhook"
    destination_name = f"{config.name}-pipeline-webhook"
    lambda_env = {
        "TRANSCODER_BACKEND": "mediaconvert",
        "S3_BUCKET": config.bucket,
        "MEDIACONVERT_ROLE_ARN": backend.mediaconvert_role_arn,
        "PIPELINE_WEBHOOK_URL": webhook_url,
        "WEBHOOK_SECRET": SECRET_PLACEHOLDER,
        "MAX_UPLOAD_BYTES": str(config.pipeline.max_upload_bytes),
        "PROBE_SAMPLE_BYTES": str(config.pipeline.probe_sample_bytes),
        "VOD_WORK_DIR": "/tmp/vod-testbed",  # noqa: S108 - Lambda's only writable place
    }
    if backend.mediaconvert_endpoint:
        lambda_env["MEDIACONVERT_ENDPOINT"] = backend.mediaconvert_endpoint
    if queue:
        lambda_env["MEDIACONVERT_QUEUE_ARN"] = queue
    artifacts: dict[str, Any] = {
        "iam/lambda-trust-policy.json": trust("lambda.amazonaws.com"),
        "iam/lambda-policy.json": policy(
            statement("ReadUploads", ["s3:GetObject"], [uploads_arn]),
            # The trigger copies a checked upload to the job's own key (see upload_trigger).
            statement(
                "PinUploadsForJobs",
                ["s3:PutObject"],
                [f"{uploads_arn}{naming.PROCESSED_SUFFIX}/source/*"],
            ),
            statement("CreateTranscodingJobs", ["mediaconvert:CreateJob"], [queue or "*"]),
            statement(
                "ReadTranscodingJobs",
                ["mediaconvert:GetJob"],
                [f"arn:aws:mediaconvert:{config.region}:{config.account_id}:jobs/*"],
            ),
            statement(
                "PassMediaConvertRole",
                ["iam:PassRole"],
                [backend.mediaconvert_role_arn],
                Condition={"StringEquals": {"iam:PassedToService": "mediaconvert.amazonaws.com"}},
            ),
            statement(
                "WriteLogs",
                ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                [f"arn:aws:logs:{config.region}:{config.account_id}:*"],
            ),
        ),
        "iam/mediaconvert-trust-policy.json": mediaconvert_trust(config, queue_arn),
        "iam/mediaconvert-policy.json": policy(
            statement("ReadAndWriteMedia", ["s3:GetObject", "s3:PutObject"], [f"{bucket_arn}/*"])
        ),
        "iam/eventbridge-trust-policy.json": eventbridge_trust(config, rule_name),
        "iam/eventbridge-policy.json": policy(
            statement(
                "InvokePipelineWebhook",
                ["events:InvokeApiDestination"],
                [config.events_arn("api-destination", f"{destination_name}/*")],
            )
        ),
        "iam/pipeline-policy.json": pipeline_host_policy(config),
        "lambda/function.json": {
            "FunctionName": config.function_name,
            "Runtime": LAMBDA_RUNTIME,
            "Handler": HANDLER,
            "Role": config.role_arn("upload-trigger"),
            "Timeout": 120,
            "MemorySize": 1024,
            "EphemeralStorage": {"Size": 1024},
            "Environment": {"Variables": lambda_env},
        },
        "lambda/s3-invoke-permission.json": {
            "FunctionName": config.function_name,
            "StatementId": "s3-object-created",
            "Action": "lambda:InvokeFunction",
            "Principal": "s3.amazonaws.com",
            "SourceArn": bucket_arn,
            "SourceAccount": config.account_id,
        },
        "s3/notification.json": {"LambdaFunctionConfigurations": _upload_notifications(config)},
        "eventbridge/rule.json": {
            "Name": rule_name,
            "Description": "MediaConvert job state changes to the pipeline's webhook",
            "State": "ENABLED",
            "EventPattern": json.dumps(
                {"source": [events.SOURCE], "detail-type": [events.DETAIL_TYPE]}
            ),
        },
        "eventbridge/connection.json": {
            "Name": connection_name,
            "AuthorizationType": "API_KEY",
            "AuthParameters": {
                "ApiKeyAuthParameters": {
                    "ApiKeyName": config.pipeline.webhook_api_key_header,
                    "ApiKeyValue": SECRET_PLACEHOLDER,
                }
            },
        },
        "eventbridge/api-destination.json": {
            "Name": destination_name,
            "ConnectionArn": config.events_arn("connection", f"{connection_name}/<id>"),
            "InvocationEndpoint": webhook_url,
            "HttpMethod": "POST",
            "InvocationRateLimitPerSecond": 20,
        },
        "eventbridge/targets.json": {
            "Rule": rule_name,
            "Targets": [
                {
                    "Id": "pipeline-webhook",
                    "Arn": config.events_arn("api-destination", f"{destination_name}/<id>"),
                    "RoleArn": config.role_arn("eventbridge"),
                    # The webhook answers 5xx while it cannot apply an event: keep retrying
                    # for a day, EventBridge's maximum; what is still undelivered then, and
                    # what the webhook refuses with a 400, waits in the dead-letter queue.
                    "RetryPolicy": {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400},
                    "DeadLetterConfig": {"Arn": dead_letters_arn},
                }
            ],
        },
        "sqs/dead-letter-queue.json": {
            "QueueName": dead_letters,
            "Attributes": {
                # SQS's longest retention: two weeks to notice, fix and redrive.
                "MessageRetentionPeriod": "1209600",
                "SqsManagedSseEnabled": "true",
                # Only this rule's target may drop its undeliverable events here.
                "Policy": json.dumps(
                    policy(
                        {
                            "Sid": "EventBridgeDeadLetters",
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": dead_letters_arn,
                            "Condition": {
                                "ArnEquals": {"aws:SourceArn": config.events_arn("rule", rule_name)}
                            },
                        }
                    )
                ),
            },
        },
    }
    artifacts.update(render_delivery(config))
    artifacts["README.md"] = staging_readme(
        config, sorted(artifacts), webhook_url, dead_letters, config.pipeline.webhook_api_key_header
    )
    return artifacts


def write_artifacts(config: DeployConfig, out: Path) -> list[Path]:
    """Render and write every artifact under ``out``; returns the files written."""
    written = []
    for name, content in render(config).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

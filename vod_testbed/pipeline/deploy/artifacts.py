"""Staging deployment artifacts, rendered from the pipeline's own configuration.

:func:`render` gives the IAM policies, the S3 notification, the EventBridge rule,
connection, API destination and target, the Lambda function's definition, and a README with
the ``aws`` commands that apply them in order.

The webhook secret is never written out: files that need it say ``${WEBHOOK_SECRET}``
for the operator to fill in (or to pass straight to the CLI).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.mediaconvert import events
from vod_testbed.pipeline import upload_keys
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.deploy.delivery import render_delivery
from vod_testbed.pipeline.deploy.lambda_package import HANDLER, LAMBDA_RUNTIME

SECRET_PLACEHOLDER = "${WEBHOOK_SECRET}"  # noqa: S105 - a placeholder, not a secret


@dataclass(frozen=True)
class DeployConfig:
    """What the artifacts are rendered from.

    Attributes:
        pipeline: the pipeline's settings (bucket, region, MediaConvert role and queue,
            webhook URL, API-key header).
        account_id: ``AWS_ACCOUNT_ID`` - the staging account.
        name: ``DEPLOY_NAME`` - prefix of every resource name (default ``vod-testbed``).
    """

    pipeline: PipelineSettings
    account_id: str = "123456789012"
    name: str = "vod-testbed"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DeployConfig:
        env = os.environ if env is None else env
        return cls(
            pipeline=PipelineSettings.from_env(env),
            account_id=env.get("AWS_ACCOUNT_ID") or cls.account_id,
            name=env.get("DEPLOY_NAME") or cls.name,
        )

    @property
    def region(self) -> str:
        return self.pipeline.backend.aws_region

    @property
    def bucket(self) -> str:
        return self.pipeline.bucket

    @property
    def function_name(self) -> str:
        return f"{self.name}-upload-trigger"

    @property
    def function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.function_name}"

    def role_arn(self, suffix: str) -> str:
        return f"arn:aws:iam::{self.account_id}:role/{self.name}-{suffix}"

    def events_arn(self, kind: str, name: str) -> str:
        return f"arn:aws:events:{self.region}:{self.account_id}:{kind}/{name}"


def _statement(sid: str, actions: list[str], resources: list[str], **extra: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _trust(service: str) -> dict[str, Any]:
    return _policy(
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    )


def render(config: DeployConfig) -> dict[str, Any]:
    """Every artifact, by relative file name (JSON documents, and ``README.md`` text)."""
    backend = config.pipeline.backend
    bucket_arn = f"arn:aws:s3:::{config.bucket}"
    uploads_arn = f"{bucket_arn}/{upload_keys.UPLOAD_PREFIX}*"
    webhook_url = config.pipeline.pipeline_webhook_url or "https://pipeline.example.com"
    webhook_url = webhook_url.rstrip("/")
    if not webhook_url.endswith("/webhooks/mediaconvert"):
        webhook_url += "/webhooks/mediaconvert"
    queue = backend.mediaconvert_queue_arn
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
        "iam/lambda-trust-policy.json": _trust("lambda.amazonaws.com"),
        "iam/lambda-policy.json": _policy(
            _statement("ReadUploads", ["s3:GetObject"], [uploads_arn]),
            # The trigger copies a checked upload to the job's own key (see upload_trigger).
            _statement(
                "PinUploadsForJobs",
                ["s3:PutObject"],
                [f"{uploads_arn}{naming.PROCESSED_SUFFIX}/source/*"],
            ),
            _statement("CreateTranscodingJobs", ["mediaconvert:CreateJob"], [queue or "*"]),
            _statement(
                "ReadTranscodingJobs",
                ["mediaconvert:GetJob"],
                [f"arn:aws:mediaconvert:{config.region}:{config.account_id}:jobs/*"],
            ),
            _statement(
                "PassMediaConvertRole",
                ["iam:PassRole"],
                [backend.mediaconvert_role_arn],
                Condition={"StringEquals": {"iam:PassedToService": "mediaconvert.amazonaws.com"}},
            ),
            _statement(
                "WriteLogs",
                ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                [f"arn:aws:logs:{config.region}:{config.account_id}:*"],
            ),
        ),
        "iam/mediaconvert-trust-policy.json": _trust("mediaconvert.amazonaws.com"),
        "iam/mediaconvert-policy.json": _policy(
            _statement("ReadAndWriteMedia", ["s3:GetObject", "s3:PutObject"], [f"{bucket_arn}/*"])
        ),
        "iam/eventbridge-trust-policy.json": _trust("events.amazonaws.com"),
        "iam/eventbridge-policy.json": _policy(
            _statement(
                "InvokePipelineWebhook",
                ["events:InvokeApiDestination"],
                [config.events_arn("api-destination", f"{destination_name}/*")],
            )
        ),
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
        "s3/notification.json": {
            "LambdaFunctionConfigurations": [
                {
                    "Id": f"{config.name}-uploads",
                    "LambdaFunctionArn": config.function_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {
                        "Key": {
                            "FilterRules": [{"Name": "prefix", "Value": upload_keys.UPLOAD_PREFIX}]
                        }
                    },
                }
            ]
        },
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
                    # for a day, EventBridge's maximum.
                    "RetryPolicy": {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400},
                }
            ],
        },
    }
    artifacts.update(render_delivery(config))
    artifacts["README.md"] = _readme(config, sorted(artifacts))
    return artifacts


def _readme(config: DeployConfig, files: list[str]) -> str:
    listed = "\n".join(f"- `{name}`" for name in files)
    return f"""# {config.name}: staging deployment

Rendered by `python -m vod_testbed.pipeline.deploy render` for account {config.account_id}, region
{config.region}, bucket `{config.bucket}`. Replace `${{WEBHOOK_SECRET}}` with the shared
secret and `<id>` with the ids AWS returns. Files:

{listed}

Apply, in order (``aws`` CLI v2):

1. Roles: `aws iam create-role --role-name {config.name}-upload-trigger
   --assume-role-policy-document file://iam/lambda-trust-policy.json`, then
   `aws iam put-role-policy --role-name {config.name}-upload-trigger --policy-name trigger
   --policy-document file://iam/lambda-policy.json`; likewise `mediaconvert`
   (the role in MEDIACONVERT_ROLE_ARN) and `{config.name}-eventbridge`.
2. Lambda: `aws lambda create-function --cli-input-json file://lambda/function.json
   --zip-file fileb://lambda-upload-trigger.zip`, then
   `aws lambda add-permission --cli-input-json file://lambda/s3-invoke-permission.json`.
3. S3: `aws s3api put-bucket-notification-configuration --bucket {config.bucket}
   --notification-configuration file://s3/notification.json`. Job outputs are written
   under `video/` too; the trigger skips them (they are not upload keys).
4. EventBridge: `aws events create-connection --cli-input-json
   file://eventbridge/connection.json`, `aws events create-api-destination
   --cli-input-json file://eventbridge/api-destination.json`, `aws events put-rule
   --cli-input-json file://eventbridge/rule.json`, `aws events put-targets
   --cli-input-json file://eventbridge/targets.json`.
"""


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

"""The IAM documents of staging: each role's trust policy and what it may do, least
privilege, rendered by :mod:`.artifacts`.

* the upload trigger (Lambda): read uploads, create and read jobs, pass the MediaConvert role;
* MediaConvert: read the uploads and write the outputs of the bucket; its trust carries the
  ``aws:SourceAccount`` and ``aws:SourceArn`` (the queue) conditions MediaConvert's user
  guide recommends against the confused deputy;
* EventBridge: invoke the pipeline's API destination, trusted only for the rule;
* the pipeline host: presign PUTs of uploads and GETs of outputs, list a job's thumbnails,
  HeadBucket at startup.
"""

from __future__ import annotations

from typing import Any

from vod_testbed.pipeline import upload_keys
from vod_testbed.pipeline.deploy.config import DeployConfig


def statement(sid: str, actions: list[str], resources: list[str], **extra: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def trust(service: str, **condition: dict[str, str]) -> dict[str, Any]:
    """A trust policy letting ``service`` assume the role, under ``condition`` if given."""
    grant: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
    }
    if condition:
        grant["Condition"] = condition
    return policy(grant)


def _uploads_arn(config: DeployConfig) -> str:
    return f"arn:aws:s3:::{config.bucket}/{upload_keys.UPLOAD_PREFIX}*"


def mediaconvert_trust(config: DeployConfig, queue_arn: str) -> dict[str, Any]:
    """MediaConvert may assume the role only for jobs of this account's queue: "The value of
    aws:SourceArn must be the ARN of the MediaConvert queue" (user guide, "Cross-service
    confused deputy prevention")."""
    return trust(
        "mediaconvert.amazonaws.com",
        ArnLike={"aws:SourceArn": queue_arn},
        StringEquals={"aws:SourceAccount": config.account_id},
    )


def eventbridge_trust(config: DeployConfig, rule_name: str) -> dict[str, Any]:
    """EventBridge may assume the role only for this account's rule."""
    return trust(
        "events.amazonaws.com",
        ArnLike={"aws:SourceArn": config.events_arn("rule", rule_name)},
        StringEquals={"aws:SourceAccount": config.account_id},
    )


def pipeline_host_policy(config: DeployConfig) -> dict[str, Any]:
    """What the pipeline's API needs: presigned PUTs of uploads (the URL carries the host's
    signature, so the host needs the right it delegates), presigned GETs of outputs and
    thumbnails for playback and the console, listing a job's thumbnails folder, and
    HeadBucket when it starts (which S3 authorises as s3:ListBucket)."""
    bucket_arn = f"arn:aws:s3:::{config.bucket}"
    return policy(
        statement("PresignUploads", ["s3:PutObject"], [_uploads_arn(config)]),
        statement("PresignPlayback", ["s3:GetObject"], [_uploads_arn(config)]),
        statement(
            "ListThumbnailsAndHeadBucket",
            ["s3:ListBucket"],
            [bucket_arn],
            # IfExists: HeadBucket carries no prefix; listings stay under the uploads.
            Condition={"StringLikeIfExists": {"s3:prefix": [f"{upload_keys.UPLOAD_PREFIX}*"]}},
        ),
    )

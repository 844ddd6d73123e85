"""The staging stack's roles and the bucket's policy (least privilege; the building blocks
are :mod:`.iam`'s). Part of :mod:`.template`."""

from __future__ import annotations

from typing import Any

from vod_testbed.backends import naming
from vod_testbed.pipeline.deploy.config import DeployConfig
from vod_testbed.pipeline.deploy.functions import arn, bucket_arn, playback_host, ref, sub
from vod_testbed.pipeline.deploy.iam import policy, statement, trust
from vod_testbed.pipeline.trigger import upload_keys
from vod_testbed.pipeline.trigger.handler import PINNED_FOLDER


def trigger_policy(config: DeployConfig) -> dict[str, Any]:
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


def roles(config: DeployConfig) -> dict[str, Any]:
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
                    {"PolicyName": "upload-trigger", "PolicyDocument": trigger_policy(config)}
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
                "PolicyDocument": pipeline_host_policy(config),
            },
        },
    }


def pipeline_host_policy(config: DeployConfig) -> dict[str, Any]:
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


def bucket_policy(config: DeployConfig) -> dict[str, Any]:
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

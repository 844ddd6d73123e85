"""What the staging artifacts are rendered from: the pipeline's settings, the account and
a name prefix, and the ARNs derived from them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from vod_testbed.pipeline.config import PipelineSettings


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

"""What staging's template is rendered from: the pipeline's settings and a name prefix. The
account and region are the stack's own (CloudFormation's pseudo parameters)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from vod_testbed.pipeline.config import PipelineSettings


@dataclass(frozen=True)
class DeployConfig:
    """What the template is rendered from.

    Attributes:
        pipeline: the pipeline's settings (bucket, webhook URL, API-key header, CDN, the
            trigger's limits).
        name: ``DEPLOY_NAME`` - prefix of every resource name (default ``vod-testbed``).
    """

    pipeline: PipelineSettings
    name: str = "vod-testbed"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DeployConfig:
        env = os.environ if env is None else env
        return cls(pipeline=PipelineSettings.from_env(env), name=env.get("DEPLOY_NAME") or cls.name)

    @property
    def bucket(self) -> str:
        return self.pipeline.bucket

    @property
    def function_name(self) -> str:
        return f"{self.name}-upload-trigger"

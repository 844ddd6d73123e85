"""What staging's template is rendered from: the pipeline's settings and a name prefix. The
account and region are the stack's own (CloudFormation's pseudo parameters)."""

from __future__ import annotations

from vod_testbed.common.settings import Settings, variable
from vod_testbed.pipeline.config import PipelineSettings


class DeployConfig(Settings):
    """What the template is rendered from (``DeployConfig.from_env()`` reads both).

    Attributes:
        pipeline: the pipeline's settings (bucket, webhook URL, API-key header, CDN, the
            trigger's limits).
    """

    pipeline: PipelineSettings
    name: str = variable(
        "DEPLOY_NAME", description="prefix of every resource name", default="vod-testbed"
    )

    @property
    def bucket(self) -> str:
        return self.pipeline.bucket

    @property
    def function_name(self) -> str:
        return f"{self.name}-upload-trigger"

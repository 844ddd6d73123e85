"""The pipeline process: what it may do to storage when it starts."""

from __future__ import annotations

from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import creates_buckets


def test_the_bucket_is_created_only_on_a_local_s3() -> None:
    local = PipelineSettings(backend=BackendSettings().replace(s3_endpoint_url="http://s3:9000"))
    aws = PipelineSettings(backend=BackendSettings().replace(s3_endpoint_url=None))
    assert creates_buckets(local)
    assert not creates_buckets(aws)

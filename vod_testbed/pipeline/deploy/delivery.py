"""What delivering media to players needs of staging: AWS's managed CloudFront policies and
the console's public origin (for the bucket's CORS). :mod:`.template` writes the bucket's
CORS always and CloudFront when ``PLAYBACK_BASE_URL`` names a CDN.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from vod_testbed.pipeline.config import PipelineSettings

# AWS-managed CloudFront policies (ids are fixed across accounts).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CORS_S3_ORIGIN = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
CORS_WITH_PREFLIGHT = "5cc3b908-e619-4b99-88e5-2cf7f45965bd"


def console_url(settings: PipelineSettings) -> str:
    """The console's origin: it is served by the pipeline, whose public URL the webhook URL
    carries."""
    url = settings.pipeline_webhook_url or "https://pipeline.example.com"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"

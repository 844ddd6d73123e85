"""The console page's Content-Security-Policy.

The page runs only its own scripts (console.js and the integrity-pinned hls.js); it talks to
the pipeline, to S3 (presigned uploads, segments and thumbnails) and to the CDN when one is
configured; hls.js plays through MediaSource (``blob:`` media) and may start a worker from a
``blob:`` URL. Nothing may frame it (``frame-ancestors 'none'``: a framed console could be
clicked through by another page).
"""

from __future__ import annotations

from urllib.parse import urlsplit

# AWS's S3 when no endpoint is configured: virtual-hosted and path-style presigned URLs.
AWS_S3_ORIGINS = ("https://*.amazonaws.com",)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(s3_endpoint: str | None, playback_base_url: str | None) -> str:
    """The policy for a console whose browsers reach S3 at ``s3_endpoint`` (None: AWS) and
    media through ``playback_base_url`` (None: presigned S3 URLs)."""
    media = [origin(s3_endpoint)] if s3_endpoint else list(AWS_S3_ORIGINS)
    if playback_base_url:
        media.append(origin(playback_base_url))
    sources = " ".join(media)
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: {sources}",
            "media-src 'self' blob:",
            f"connect-src 'self' {sources}",
            "worker-src 'self' blob:",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        )
    )

"""Settings of playback, read from the environment in this one place.

The token lifetime is ``PLAYBACK_URL_EXPIRES_S`` and the CDN is ``PLAYBACK_BASE_URL``, both
in :class:`vod_testbed.pipeline.config.PipelineSettings`.
"""

from __future__ import annotations

from pathlib import Path

from vod_testbed.common.settings import Settings, variable


class PlaybackSettings(Settings):
    """Playback's knobs: each field names its environment variable once, and its
    description is the variable's meaning (the configuration page is generated from them).
    """

    token_secret: str | None = variable(
        "PLAYBACK_TOKEN_SECRET",
        description="signs playback tokens",
        shown_default="random per process",
        default=None,
        repr=False,
    )
    cloudfront_key_pair_id: str | None = variable(
        "CLOUDFRONT_KEY_PAIR_ID",
        description=(
            "with `PLAYBACK_BASE_URL`: the public key id of the distribution's key "
            "group; segment URLs are then signed for CloudFront"
        ),
        default=None,
    )
    cloudfront_private_key_file: Path | None = variable(
        "CLOUDFRONT_PRIVATE_KEY_FILE",
        description=("with `CLOUDFRONT_KEY_PAIR_ID`: its RSA private key (PEM)"),
        default=None,
    )
    quality_seconds: float = variable(
        "REPORT_QUALITY_S",
        deprecated=("REPORT_QUALITY_SECONDS",),
        description="seconds of each rung the console's ladder report compares with the source",
        default=60.0,
    )

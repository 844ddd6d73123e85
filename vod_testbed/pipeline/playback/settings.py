"""Settings of playback, read from the environment in this one place.

The token lifetime is ``PLAYBACK_URL_EXPIRES_S`` and the CDN is ``PLAYBACK_BASE_URL``, both
in :class:`vod_testbed.pipeline.config.PipelineSettings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vod_testbed.common.settings import env_number


@dataclass(frozen=True)
class PlaybackSettings:
    """Attributes:
    token_secret: ``PLAYBACK_TOKEN_SECRET`` - signs playback tokens; unset: a random one
        per process (tokens then die with the process and differ between processes).
    cloudfront_key_pair_id: ``CLOUDFRONT_KEY_PAIR_ID`` - with ``PLAYBACK_BASE_URL``, the
        public key id of the distribution's key group: segment URLs are then signed.
    cloudfront_private_key_file: ``CLOUDFRONT_PRIVATE_KEY_FILE`` - its RSA private key (PEM).
    quality_seconds: ``REPORT_QUALITY_SECONDS`` - seconds of each video the ladder report
        compares with the source (quality costs a decode of every rung).
    """

    token_secret: str | None = None
    cloudfront_key_pair_id: str | None = None
    cloudfront_private_key_file: Path | None = None
    quality_seconds: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PlaybackSettings:
        env = os.environ if env is None else env
        key_file = env.get("CLOUDFRONT_PRIVATE_KEY_FILE")
        return cls(
            token_secret=env.get("PLAYBACK_TOKEN_SECRET") or None,
            cloudfront_key_pair_id=env.get("CLOUDFRONT_KEY_PAIR_ID") or None,
            cloudfront_private_key_file=Path(key_file) if key_file else None,
            quality_seconds=env_number(env, "REPORT_QUALITY_SECONDS", cls.quality_seconds),
        )

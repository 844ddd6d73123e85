"""Settings of the pipeline, read from the environment in this one place (docs/ARCHITECTURE.md,
"Configuration").

Storage and transcoder settings (``S3_ENDPOINT_URL``, ``S3_BUCKET``, ``AWS_REGION``,
``TRANSCODER_BACKEND`` ...) are the backends' own: :class:`common.settings.BackendSettings`
reads them, and :class:`PipelineSettings` carries one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vod_testbed.backends.source import DEFAULT_SAMPLE_BYTES
from vod_testbed.common import signing
from vod_testbed.common.settings import BackendSettings, env_int, env_list, env_number

# S3 refuses a single PUT above 5 GiB; larger files need multipart, which a presigned PUT
# cannot do.
S3_SINGLE_PUT_LIMIT = 5 * 2**30


def _default_database_url() -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / 'vod-testbed' / 'pipeline.sqlite3'}"


@dataclass(frozen=True)
class PipelineSettings:
    """Every knob of the pipeline, with its environment variable.

    Attributes:
        backend: the backends' settings (storage, transcoder), from their own variables.
        database_url: ``DATABASE_URL`` - SQLAlchemy URL; SQLite file or PostgreSQL.
        webhook_secret: ``WEBHOOK_SECRET`` - authenticates webhook deliveries, both ways.
        webhook_api_key_header: ``WEBHOOK_API_KEY_HEADER`` - the header an EventBridge API
            destination's API-key connection sends the secret in.
        webhook_tolerance_s: ``WEBHOOK_TOLERANCE_S`` - accepted age of a signature.
        video_ready_webhook_url: ``VIDEO_READY_WEBHOOK_URL`` - told when a video is ready or
            failed (unset: only logged).
        pipeline_webhook_url: ``PIPELINE_WEBHOOK_URL`` - the pipeline's own webhook; when set
            the upload trigger reports there (signed) instead of writing to the database,
            which is how it runs as a Lambda function.
        max_upload_bytes: ``MAX_UPLOAD_BYTES`` - largest accepted upload (default 5 GiB, the
            limit of one S3 PUT).
        allowed_content_types: ``ALLOWED_CONTENT_TYPES`` - comma-separated, ``type/*``
            wildcards allowed (default ``video/*``).
        upload_url_expires_s: ``UPLOAD_URL_EXPIRES_S`` - life of a presigned PUT.
        playback_url_expires_s: ``PLAYBACK_URL_EXPIRES_S`` - life of a playback token and of
            the presigned URLs in its playlists (default 6 h: a long lecture, watched at once).
        s3_public_endpoint_url: ``S3_PUBLIC_ENDPOINT_URL`` - the S3 endpoint as clients
            reach it, when it differs from ``S3_ENDPOINT_URL`` (a container network name).
        playback_base_url: ``PLAYBACK_BASE_URL`` - a CDN in front of the bucket; when set,
            segment and thumbnail URLs are ``<base>/<key>`` (signed with
            ``CLOUDFRONT_KEY_PAIR_ID``) instead of presigned S3 GETs.
        probe_sample_bytes: ``PROBE_SAMPLE_BYTES`` - bytes read from each end of an upload
            to check that it is a video.
        watch_interval_s: ``UPLOAD_WATCH_INTERVAL_S`` - poll period of the upload watcher.
        port: ``PIPELINE_PORT`` - where the pipeline's HTTP API listens (127.0.0.1).
    """

    backend: BackendSettings = field(default_factory=BackendSettings)
    database_url: str = field(default_factory=_default_database_url)
    webhook_secret: str = ""
    webhook_api_key_header: str = signing.API_KEY_HEADER
    webhook_tolerance_s: float = signing.DEFAULT_TOLERANCE_S
    video_ready_webhook_url: str | None = None
    pipeline_webhook_url: str | None = None
    max_upload_bytes: int = S3_SINGLE_PUT_LIMIT
    allowed_content_types: tuple[str, ...] = ("video/*",)
    upload_url_expires_s: int = 900
    playback_url_expires_s: int = 6 * 3600
    s3_public_endpoint_url: str | None = None
    playback_base_url: str | None = None
    probe_sample_bytes: int = DEFAULT_SAMPLE_BYTES
    watch_interval_s: float = 1.0
    port: int = 8000

    def __post_init__(self) -> None:
        if not 0 < self.max_upload_bytes <= S3_SINGLE_PUT_LIMIT:
            raise ValueError(f"MAX_UPLOAD_BYTES must be between 1 and {S3_SINGLE_PUT_LIMIT}")
        # SigV4 presigned URLs live at most 7 days.
        for name, value in (
            ("UPLOAD_URL_EXPIRES_S", self.upload_url_expires_s),
            ("PLAYBACK_URL_EXPIRES_S", self.playback_url_expires_s),
        ):
            if not 1 <= value <= 7 * 24 * 3600:
                raise ValueError(f"{name} must be between 1 and 604800 seconds")
        if self.probe_sample_bytes < 64 * 1024:
            raise ValueError("PROBE_SAMPLE_BYTES must be at least 65536")

    @property
    def bucket(self) -> str:
        return self.backend.s3_bucket

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PipelineSettings:
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            backend=BackendSettings.from_env(env),
            database_url=env.get("DATABASE_URL") or defaults.database_url,
            webhook_secret=env.get("WEBHOOK_SECRET", ""),
            webhook_api_key_header=env.get("WEBHOOK_API_KEY_HEADER")
            or defaults.webhook_api_key_header,
            webhook_tolerance_s=env_number(
                env, "WEBHOOK_TOLERANCE_S", defaults.webhook_tolerance_s
            ),
            video_ready_webhook_url=env.get("VIDEO_READY_WEBHOOK_URL") or None,
            pipeline_webhook_url=env.get("PIPELINE_WEBHOOK_URL") or None,
            max_upload_bytes=env_int(env, "MAX_UPLOAD_BYTES", defaults.max_upload_bytes),
            allowed_content_types=env_list(
                env.get("ALLOWED_CONTENT_TYPES"), defaults.allowed_content_types
            ),
            upload_url_expires_s=env_int(
                env, "UPLOAD_URL_EXPIRES_S", defaults.upload_url_expires_s
            ),
            playback_url_expires_s=env_int(
                env, "PLAYBACK_URL_EXPIRES_S", defaults.playback_url_expires_s
            ),
            s3_public_endpoint_url=env.get("S3_PUBLIC_ENDPOINT_URL") or None,
            playback_base_url=env.get("PLAYBACK_BASE_URL") or None,
            probe_sample_bytes=env_int(env, "PROBE_SAMPLE_BYTES", defaults.probe_sample_bytes),
            watch_interval_s=env_number(env, "UPLOAD_WATCH_INTERVAL_S", defaults.watch_interval_s),
            port=env_int(env, "PIPELINE_PORT", defaults.port),
        )

"""Settings of the pipeline, read from the environment in this one place (docs/ARCHITECTURE.md,
"Configuration").

Storage and transcoder settings (``S3_ENDPOINT_URL``, ``S3_BUCKET``, ``AWS_REGION``,
``TRANSCODER_BACKEND`` ...) are the backends' own: :class:`common.settings.BackendSettings`
reads them, and :class:`PipelineSettings` carries one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field
from pydantic.dataclasses import dataclass

from vod_testbed.backends.source import DEFAULT_SAMPLE_BYTES
from vod_testbed.common import signing
from vod_testbed.common.settings import (
    SETTINGS_CONFIG,
    BackendSettings,
    CommaList,
    read_env,
    variable,
)

# S3 refuses a single PUT above 5 GiB; larger files need multipart, which a presigned PUT
# cannot do.
S3_SINGLE_PUT_LIMIT = 5 * 2**30


def _default_database_url() -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / 'vod-testbed' / 'pipeline.sqlite3'}"


@dataclass(frozen=True, config=SETTINGS_CONFIG)
class PipelineSettings:
    """Every knob of the pipeline; each field names its environment variable.

    Attributes:
        backend: the backends' settings (storage, transcoder), from their own variables.
        database_url: SQLAlchemy URL; SQLite file or PostgreSQL.
        webhook_secret: authenticates webhook deliveries, both ways.
        webhook_api_key_header: the header an EventBridge API destination's API-key
            connection sends the secret in.
        webhook_tolerance_s: accepted age of a signature.
        video_ready_webhook_url: told when a video is ready or failed (unset: only logged).
        pipeline_webhook_url: the pipeline's own webhook; when set the upload trigger
            reports there (signed) instead of writing to the database, which is how it runs
            as a Lambda function.
        max_upload_bytes: largest accepted upload (default 5 GiB, the limit of one S3 PUT).
        allowed_content_types: comma-separated, ``type/*`` wildcards allowed (default
            ``video/*,audio/*``).
        audio_only_uploads: an upload with sound and no picture (a recorded talk, a
            podcast) becomes a playable audio-only video (default); off, it fails as "no
            video stream".
        upload_url_expires_s: life of a presigned PUT.
        playback_url_expires_s: life of a playback token and of the presigned URLs in its
            playlists (default 6 h: a long lecture, watched at once).
        s3_public_endpoint_url: the S3 endpoint as clients reach it, when it differs from
            ``S3_ENDPOINT_URL`` (a container network name).
        playback_base_url: a CDN in front of the bucket; when set, segment and thumbnail
            URLs are ``<base>/<key>`` (signed with ``CLOUDFRONT_KEY_PAIR_ID``) instead of
            presigned S3 GETs.
        probe_sample_bytes: bytes read from each end of an upload to check that it is a
            video.
        watch_interval_s: poll period of the upload watcher.
        port: where the pipeline's HTTP API listens (127.0.0.1).
        http_threads: requests the HTTP API serves at once. Its requests are CPU work under
            one interpreter lock, so threads beyond a few only add lock hand-offs: with 8
            busy clients on 2 cores, 4 threads answer with half the p99 of 8
            (docs/performance.md, "GET /videos/{id} under 8 clients").
        auth_enabled: ``off`` reads bearer tokens without verifying them and lets a request
            without one act as the administrator ``local`` (tests only).
        auth_jwt_secret: verifies HS256 bearer tokens (local).
        auth_jwks_url: the identity provider's keys (staging); wins over the secret.
        auth_jwt_audience, auth_jwt_issuer: required ``aud`` / ``iss`` claims, when set.
        stuck_uploaded_s: a video ``uploaded`` this long without a job is failed by the reaper.
        stuck_processing_s: a video ``processing`` this long without news of its job is
            failed by the reaper.
        reaper_interval_s: how often the reaper looks.
    """

    backend: BackendSettings = Field(default_factory=BackendSettings)
    database_url: str = variable("DATABASE_URL", default_factory=_default_database_url)
    webhook_secret: str = variable("WEBHOOK_SECRET", default="", repr=False)
    webhook_api_key_header: str = variable("WEBHOOK_API_KEY_HEADER", default=signing.API_KEY_HEADER)
    webhook_tolerance_s: float = variable(
        "WEBHOOK_TOLERANCE_S", default=signing.DEFAULT_TOLERANCE_S
    )
    video_ready_webhook_url: str | None = variable("VIDEO_READY_WEBHOOK_URL", default=None)
    pipeline_webhook_url: str | None = variable("PIPELINE_WEBHOOK_URL", default=None)
    max_upload_bytes: int = variable("MAX_UPLOAD_BYTES", default=S3_SINGLE_PUT_LIMIT)
    allowed_content_types: CommaList = variable(
        "ALLOWED_CONTENT_TYPES", default=("video/*", "audio/*")
    )
    audio_only_uploads: bool = variable("AUDIO_ONLY_UPLOADS", default=True)
    upload_url_expires_s: int = variable("UPLOAD_URL_EXPIRES_S", default=900)
    playback_url_expires_s: int = variable("PLAYBACK_URL_EXPIRES_S", default=6 * 3600)
    s3_public_endpoint_url: str | None = variable("S3_PUBLIC_ENDPOINT_URL", default=None)
    playback_base_url: str | None = variable("PLAYBACK_BASE_URL", default=None)
    probe_sample_bytes: int = variable("PROBE_SAMPLE_BYTES", default=DEFAULT_SAMPLE_BYTES)
    watch_interval_s: float = variable("UPLOAD_WATCH_INTERVAL_S", default=1.0)
    port: int = variable("PIPELINE_PORT", default=8000)
    http_threads: int = variable("PIPELINE_HTTP_THREADS", default=4)
    auth_enabled: bool = variable("VOD_AUTH", default=True)
    auth_jwt_secret: str = variable("AUTH_JWT_SECRET", default="", repr=False)
    auth_jwks_url: str | None = variable("AUTH_JWKS_URL", default=None)
    auth_jwt_audience: str | None = variable("AUTH_JWT_AUDIENCE", default=None)
    auth_jwt_issuer: str | None = variable("AUTH_JWT_ISSUER", default=None)
    stuck_uploaded_s: float = variable("STUCK_UPLOADED_S", default=15 * 60)
    stuck_processing_s: float = variable("STUCK_PROCESSING_S", default=6 * 3600)
    reaper_interval_s: float = variable("REAPER_INTERVAL_S", default=60.0)

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
        if not 1 <= self.http_threads <= 64:
            raise ValueError("PIPELINE_HTTP_THREADS must be between 1 and 64")
        if self.probe_sample_bytes < 64 * 1024:
            raise ValueError("PROBE_SAMPLE_BYTES must be at least 65536")

    @property
    def bucket(self) -> str:
        return self.backend.s3_bucket

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PipelineSettings:
        """From ``env`` (default ``os.environ``); ValueError naming a refused variable."""
        return read_env(cls, env, backend=BackendSettings.from_env(env))

"""Settings of the pipeline, declared here once: its branch of the settings tree
(docs/ARCHITECTURE.md, "Configuration").

Storage and transcoder settings (``S3_ENDPOINT_URL``, ``S3_BUCKET``, ``AWS_REGION``,
``TRANSCODER_BACKEND`` ...) are the backends' own: :class:`common.settings.BackendSettings`
reads them, and :class:`PipelineSettings` carries one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import Field

from vod_testbed.backends.source import DEFAULT_SAMPLE_BYTES
from vod_testbed.common import signing
from vod_testbed.common.settings import (
    BackendSettings,
    CommaList,
    Settings,
    Switch,
    WebhookSecret,
    variable,
)

# S3 refuses a single PUT above 5 GiB; larger files need multipart, which a presigned PUT
# cannot do.
S3_SINGLE_PUT_LIMIT = 5 * 2**30


def _default_database_url() -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / 'vod-testbed' / 'pipeline.sqlite3'}"


class PlaybackSettings(Settings):
    """Playback's knobs, a branch of :class:`PipelineSettings`. The token lifetime is
    ``PLAYBACK_URL_EXPIRES_S`` and the CDN is ``PLAYBACK_BASE_URL``, both the pipeline's own.
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


class PipelineSettings(Settings):
    """Every knob of the pipeline: each field names its environment variable once, and its
    description is the variable's meaning (the configuration page is generated from them).

    Attributes:
        backend: the backends' settings (storage, transcoder), from their own variables.
        playback: playback's settings (tokens, CloudFront, the console's reports).
    """

    backend: BackendSettings = Field(default_factory=BackendSettings)
    playback: PlaybackSettings = Field(default_factory=PlaybackSettings)
    database_url: str = variable(
        "DATABASE_URL",
        description="the pipeline's database (SQLAlchemy URL)",
        shown_default="SQLite file in `$TMPDIR/vod-testbed/` (`vod-testbed dev`: in its data dir)",
        default_factory=_default_database_url,
    )
    webhook_secret: WebhookSecret = ""
    webhook_api_key_header: str = variable(
        "WEBHOOK_API_KEY_HEADER",
        description="the header an EventBridge API destination sends the secret in",
        default=signing.API_KEY_HEADER,
    )
    webhook_tolerance_s: float = variable(
        "WEBHOOK_TOLERANCE_S",
        description="accepted age of a delivery's signature timestamp",
        default=signing.DEFAULT_TOLERANCE_S,
    )
    video_ready_webhook_url: str | None = variable(
        "VIDEO_READY_WEBHOOK_URL",
        description="told (signed POST) when a video is ready or failed",
        default=None,
    )
    pipeline_webhook_url: str | None = variable(
        "PIPELINE_WEBHOOK_URL",
        description="set in Lambda: the trigger reports to the webhook instead of the database",
        default=None,
    )
    max_upload_bytes: int = variable(
        "MAX_UPLOAD_BYTES",
        description="largest accepted upload",
        shown_default="5 GiB",
        default=S3_SINGLE_PUT_LIMIT,
    )
    allowed_content_types: CommaList = variable(
        "ALLOWED_CONTENT_TYPES",
        description="accepted upload types",
        default=("video/*", "audio/*"),
    )
    audio_only_uploads: Switch = variable(
        "AUDIO_ONLY_UPLOADS",
        description=(
            "a switch: an upload of sound alone becomes an audio-only video (off: it fails,"
            " no video stream; [captions and audio-only media](captions.md))"
        ),
        default=True,
    )
    mp4_downloads: Switch = variable(
        "MP4_DOWNLOADS",
        description=(
            "a switch: every video's job also writes one progressive MP4 download at 720p"
            " (off by default; [playback](playback.md#mp4-downloads))"
        ),
        default=False,
    )
    upload_url_expires_s: int = variable(
        "UPLOAD_URL_EXPIRES_S", description="life of a presigned upload PUT", default=900
    )
    playback_url_expires_s: int = variable(
        "PLAYBACK_URL_EXPIRES_S",
        description=(
            "life of a playback token and of the presigned URLs in its playlists: how long a"
            " user who lost access can still play; a player fetches a fresh one from"
            " `GET /videos/{id}` before it runs out (the console does, and again on a 403)"
        ),
        shown_default="`900` (15 min)",
        default=15 * 60,
    )
    s3_public_endpoint_url: str | None = variable(
        "S3_PUBLIC_ENDPOINT_URL",
        description="S3 as clients reach it, when it differs from `S3_ENDPOINT_URL`",
        default=None,
    )
    playback_base_url: str | None = variable(
        "PLAYBACK_BASE_URL",
        description="a CDN in front of the bucket: segment and thumbnail URLs `<base>/<key>`",
        default=None,
    )
    probe_sample_bytes: int = variable(
        "PROBE_SAMPLE_BYTES",
        description="bytes read from each end of an upload to check that it is a video",
        shown_default="16 MiB (at least 65536)",
        default=DEFAULT_SAMPLE_BYTES,
    )
    watch_interval_s: float = variable(
        "UPLOAD_WATCH_INTERVAL_S", description="poll period of the upload watcher", default=1.0
    )
    port: int = variable(
        "PIPELINE_PORT",
        description="where the pipeline API listens (0: a free port)",
        default=8000,
        ge=0,
        le=65535,
    )
    http_threads: int = variable(
        "PIPELINE_HTTP_THREADS",
        description=(
            "requests the API serves at once (its work is CPU under one interpreter"
            " lock: more threads only add lock hand-offs; see "
            "[Performance](performance.md#get-videosid-under-8-clients))"
        ),
        default=4,
    )
    auth_enabled: Switch = variable(
        "VOD_AUTH",
        description=(
            "a switch: off reads tokens without verifying them and a request without one "
            "is the administrator `local`; a stack's S3 and emulator accept any "
            "credentials (moto-style tests only)"
        ),
        default=True,
    )
    auth_jwt_secret: str = variable(
        "AUTH_JWT_SECRET",
        description=(
            "verifies HS256 bearer tokens of the API; unset (and no JWKS): every API call is 401"
        ),
        shown_default="— (`vod-testbed dev`: random per run)",
        default="",
        repr=False,
    )
    auth_jwks_url: str | None = variable(
        "AUTH_JWKS_URL",
        description=(
            "the identity provider's JWKS (staging); wins over the secret; RS/ES/PS algorithms only"
        ),
        default=None,
    )
    auth_jwt_audience: str | None = variable(
        "AUTH_JWT_AUDIENCE",
        description=("the required `aud` of tokens, when set"),
        default=None,
    )
    auth_jwt_issuer: str | None = variable(
        "AUTH_JWT_ISSUER", description=("the required `iss` of tokens, when set"), default=None
    )
    stuck_uploaded_s: float = variable(
        "STUCK_UPLOADED_S",
        description="a video `uploaded` this long without a job is failed by the reaper",
        default=15 * 60,
        gt=0,
    )
    stuck_processing_s: float = variable(
        "STUCK_PROCESSING_S",
        description="a video `processing` this long without an event is failed by the reaper",
        shown_default="`21600` (6 h)",
        default=6 * 3600,
        gt=0,
    )
    reaper_interval_s: float = variable(
        "REAPER_INTERVAL_S", description="how often the reaper looks", default=60.0, gt=0
    )
    max_pending_uploads: int = variable(
        "MAX_PENDING_UPLOADS",
        description=(
            "registrations one user may have waiting for their upload"
            " (`POST /videos` answers 429 beyond)"
        ),
        default=20,
        ge=1,
    )
    max_pending_bytes: int = variable(
        "MAX_PENDING_BYTES",
        description="bytes one user's waiting registrations may declare together (429 beyond)",
        default=4 * S3_SINGLE_PUT_LIMIT,
        ge=1,
    )
    pending_upload_expires_s: float = variable(
        "PENDING_UPLOAD_EXPIRES_S",
        description="a registration not uploaded this long is failed by the reaper",
        default=3600.0,
        gt=0,
    )
    hls_encryption: Switch = variable(
        "HLS_ENCRYPTION",
        description=(
            "a switch: each new video's ladder is encrypted with AES-128 under its own key,"
            " served only with a valid playback token ([Encrypted HLS](encryption.md))"
        ),
        default=False,
    )
    hls_key_secret: str = variable(
        "HLS_KEY_SECRET",
        description=(
            "derives each video's AES-128 key (needed by `HLS_ENCRYPTION`, and kept while"
            " encrypted videos exist: changing it makes them unplayable)"
        ),
        default="",
        repr=False,
    )

    def __post_init__(self) -> None:
        if self.hls_encryption and len(self.hls_key_secret) < 16:
            raise ValueError("HLS_ENCRYPTION needs HLS_KEY_SECRET of at least 16 characters")
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

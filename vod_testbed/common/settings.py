"""Settings of the backends, read from the environment in this one place (docs/ARCHITECTURE.md,
"Configuration")."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


def env_number(env: Mapping[str, str], name: str, default: float) -> float:
    """``env[name]`` as a number; ``default`` when unset or empty; ValueError naming it."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    """``env[name]`` as an integer; ``default`` when unset or empty; ValueError naming it."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def env_list(raw: str | None, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A comma-separated value as a tuple of its non-empty, stripped items."""
    items = tuple(item.strip() for item in (raw or "").split(",") if item.strip())
    return items or default


def configured_endpoint(env: Mapping[str, str], service: str, alias: str) -> str | None:
    """The endpoint configured for ``service`` the way botocore finds it:
    ``AWS_ENDPOINT_URL_<SERVICE>`` (or this project's ``alias`` of it) beats the global
    ``AWS_ENDPOINT_URL``; ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`` turns the ``AWS_``
    variables off, as it does in botocore.
    """
    ignore_aws = env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true"
    names = (alias,) if ignore_aws else (f"AWS_ENDPOINT_URL_{service}", alias, "AWS_ENDPOINT_URL")
    return next((env[name] for name in names if env.get(name)), None)


@dataclass(frozen=True)
class BackendSettings:
    """Every knob of the backends, with its environment variable.

    Attributes:
        transcoder_backend: ``TRANSCODER_BACKEND`` - registry name, ``ffmpeg`` or
            ``mediaconvert``.
        ffmpeg_binary: ``FFMPEG_BINARY`` - an ffmpeg to use instead of the one found.
        x264_preset: ``FFMPEG_PRESET`` - libx264 preset of the FFmpeg backend.
        max_concurrent_jobs: ``FFMPEG_MAX_JOBS`` - jobs the FFmpeg backend runs at once.
        work_dir: ``VOD_WORK_DIR`` - scratch space for downloads and encodes.
        s3_endpoint_url: ``AWS_ENDPOINT_URL_S3`` (alias ``S3_ENDPOINT_URL``), else
            ``AWS_ENDPOINT_URL`` - MinIO or other S3; unset means AWS.
        aws_region: ``AWS_REGION``.
        aws_access_key_id, aws_secret_access_key: ``AWS_ACCESS_KEY_ID`` /
            ``AWS_SECRET_ACCESS_KEY``; unset: boto3's own credential chain.
        s3_bucket: ``S3_BUCKET`` - the media bucket.
        mediaconvert_endpoint: ``AWS_ENDPOINT_URL_MEDIACONVERT`` (alias
            ``MEDIACONVERT_ENDPOINT``), else ``AWS_ENDPOINT_URL``.
        mediaconvert_role_arn, mediaconvert_queue_arn: ``MEDIACONVERT_ROLE_ARN`` /
            ``MEDIACONVERT_QUEUE_ARN``.
    """

    transcoder_backend: str = "ffmpeg"
    ffmpeg_binary: str | None = None
    x264_preset: str = "superfast"
    max_concurrent_jobs: int = 1
    work_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "vod-testbed")
    s3_endpoint_url: str | None = None
    aws_region: str = "us-east-1"
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = field(default=None, repr=False)
    s3_bucket: str = "vod-testbed"
    mediaconvert_endpoint: str | None = None
    mediaconvert_role_arn: str = "arn:aws:iam::123456789012:role/MediaConvertRole"
    mediaconvert_queue_arn: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BackendSettings:
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            transcoder_backend=env.get("TRANSCODER_BACKEND") or defaults.transcoder_backend,
            ffmpeg_binary=env.get("FFMPEG_BINARY") or None,
            x264_preset=env.get("FFMPEG_PRESET") or defaults.x264_preset,
            max_concurrent_jobs=env_int(env, "FFMPEG_MAX_JOBS", defaults.max_concurrent_jobs),
            work_dir=Path(env["VOD_WORK_DIR"]) if env.get("VOD_WORK_DIR") else defaults.work_dir,
            s3_endpoint_url=configured_endpoint(env, "S3", "S3_ENDPOINT_URL"),
            aws_region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            aws_access_key_id=env.get("AWS_ACCESS_KEY_ID") or None,
            aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
            s3_bucket=env.get("S3_BUCKET") or defaults.s3_bucket,
            mediaconvert_endpoint=configured_endpoint(env, "MEDIACONVERT", "MEDIACONVERT_ENDPOINT"),
            mediaconvert_role_arn=env.get("MEDIACONVERT_ROLE_ARN")
            or defaults.mediaconvert_role_arn,
            mediaconvert_queue_arn=env.get("MEDIACONVERT_QUEUE_ARN") or None,
        )

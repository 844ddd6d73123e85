"""A video as the API shows it (``GET /videos/{id}``, the lists, the upload ticket, the
"video ready" notification): one pydantic model, which is also its schema in the API's
OpenAPI document (docs/ARCHITECTURE.md, "The pipeline's HTTP API")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from vod_testbed.pipeline.assets.asset_states import AssetStatus
from vod_testbed.pipeline.auth import Caller


class VideoError(BaseModel):
    """Why a video failed: the pipeline's reason, and the job's MediaConvert code and
    sentence when a job failed."""

    reason: str
    code: int | None
    message: str | None


class Playback(BaseModel):
    """A ready video's playback, minted for one request: a tokened multivariant playlist
    URL and presigned thumbnails, valid for ``expires_in`` seconds (until ``expires_at``,
    epoch seconds)."""

    master_playlist_url: str
    thumbnail_urls: list[str]
    expires_at: int
    expires_in: int
    # A tokened link that redirects to the video's MP4, saved as a file; only when the
    # video has one (MP4_DOWNLOADS, docs/playback.md).
    download_url: str | None = None


class Video(BaseModel):
    """A video asset. Storage keys only for its owner and administrators (a key is what a
    copy or an overwrite needs), and a pending upload's size only for them too."""

    model_config = ConfigDict(use_enum_values=True)

    id: str
    user_id: str
    course_id: str | None
    filename: str
    content_type: str | None
    size_bytes: int | None
    key: str | None
    status: AssetStatus
    progress: int
    job_id: str | None
    error: VideoError | None
    master_playlist_key: str | None
    thumbnail_keys: list[str]
    # Minted only for one video at a time (GET /videos/{id}): see pipeline.playback.
    playback: Playback | None = None
    created_at: str | None
    updated_at: str | None
    finished_at: str | None

    @classmethod
    def of(cls, asset: Any, viewer: Caller | None = None) -> dict[str, Any]:
        """``asset`` (a mapped asset, or a row of its table) as ``viewer`` may see it (every
        field when ``viewer`` is ``None``), as the JSON object the API answers."""
        error = None
        if asset.failure_reason:
            error = VideoError(
                reason=asset.failure_reason, code=asset.error_code, message=asset.error_message
            )
        owner = viewer is None or viewer.admin or viewer.user_id == asset.user_id
        hides_size = not owner and asset.status == AssetStatus.PENDING_UPLOAD.value
        video = cls(
            id=asset.id,
            user_id=asset.user_id,
            course_id=asset.course_id,
            filename=asset.filename,
            content_type=asset.content_type,
            size_bytes=None if hides_size else asset.size_bytes,
            key=asset.input_key if owner else None,
            status=asset.status,
            progress=asset.progress,
            job_id=asset.job_id,
            error=error,
            master_playlist_key=asset.master_playlist_key if owner else None,
            thumbnail_keys=list(asset.thumbnail_keys or []) if owner else [],
            created_at=_iso(asset.created_at),
            updated_at=_iso(asset.updated_at),
            finished_at=_iso(asset.finished_at),
        )
        return video.model_dump()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None

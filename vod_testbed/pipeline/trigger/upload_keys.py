"""Object keys of uploads (docs/ARCHITECTURE.md, "The object-name contract"):
``video/{user_id}/{yyyy}/{mm}/{asset uuid}-{timestamp}-{sanitized filename}``.

The asset id travels in the key, so the upload trigger knows which asset an object is
without a database lookup (it runs as a Lambda function in staging).
"""

from __future__ import annotations

import posixpath
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from vod_testbed.backends.naming import sanitize_filename

UPLOAD_PREFIX = "video/"
TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# The extensions an upload may have, lower case in its key. Staging's S3 notification
# matches exactly these suffixes, so a job's own outputs (.m3u8, .ts, .jpg), written under
# the same prefix, never invoke the upload trigger; .ts is left out for that reason.
UPLOAD_SUFFIXES = (
    ".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".mxf", ".3gp",
    ".wmv", ".flv", ".mts", ".m2ts",
    # Sound alone: an audio-only ladder (PipelineSettings.audio_only_uploads).
    ".m4a", ".mp3", ".wav", ".flac",
)  # fmt: skip

# User ids become a folder: no dots (no ``..``), no slashes, nothing to encode.
_USER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_UPLOAD_KEY = re.compile(
    r"video/(?P<user_id>[A-Za-z0-9_-]{1,64})/(?P<yyyy>\d{4})/(?P<mm>\d{2})/"
    r"(?P<asset_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-"
    r"(?P<timestamp>\d{8}T\d{6}Z)-(?P<filename>[^/]+)"
)


@dataclass(frozen=True)
class UploadKey:
    """The parts of an upload key."""

    user_id: str
    asset_id: str
    timestamp: str
    filename: str
    key: str


def is_valid_user_id(user_id: str) -> bool:
    return _USER_ID.fullmatch(user_id) is not None


def upload_key(user_id: str, filename: str, asset_id: str, now: datetime | None = None) -> str:
    """The key an upload is stored under.

    Args:
        user_id: the owner; must pass :func:`is_valid_user_id`.
        filename: the name the user gave; sanitised (no directories, ASCII only).
        asset_id: the asset's UUID.
        now: the upload time (UTC); default now.

    Raises:
        ValueError: ``user_id`` or ``asset_id`` is not acceptable.
    """
    if not is_valid_user_id(user_id):
        raise ValueError(f"user id {user_id!r} must be 1-64 of A-Z a-z 0-9 _ -")
    asset = str(uuid.UUID(asset_id))
    at = (now or datetime.now(UTC)).astimezone(UTC)
    stem, ext = posixpath.splitext(sanitize_filename(filename))
    name = stem + ext.lower()
    stamp = at.strftime(TIMESTAMP_FORMAT)
    return f"{UPLOAD_PREFIX}{user_id}/{at:%Y}/{at:%m}/{asset}-{stamp}-{name}"


def has_upload_suffix(filename: str) -> bool:
    """Whether ``filename`` ends with one of :data:`UPLOAD_SUFFIXES` (any case)."""
    return filename.lower().endswith(UPLOAD_SUFFIXES)


def parse_upload_key(key: str) -> UploadKey | None:
    """The parts of ``key``, or ``None`` when it is not an upload key (an output of a job,
    which also lives under ``video/``, or an object put there by hand)."""
    match = _UPLOAD_KEY.fullmatch(key)
    if match is None:
        return None
    return UploadKey(
        user_id=match["user_id"],
        asset_id=match["asset_id"],
        timestamp=match["timestamp"],
        filename=match["filename"],
        key=key,
    )

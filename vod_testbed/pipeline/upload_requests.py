"""What ``POST /videos`` accepts: each field checked, with an error naming it, and the
ticket the client gets back.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.pipeline import upload_keys

MAX_FILENAME_LENGTH = 255
# RFC 6838 restricted names: no wildcards, spaces, CR/LF or parameters in what gets signed.
_MIME_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")


class RegistrationUnavailable(Exception):
    """An upload could not be registered because storage did not answer (nothing was
    registered); the API answers 503 with this message."""


@dataclass(frozen=True)
class UploadTicket:
    """What a client needs to upload: PUT the file to ``url`` with exactly ``headers``."""

    video: dict[str, Any]
    url: str
    headers: dict[str, str]
    key: str
    expires_in: int
    # Each caption file's PUT (pipeline/trigger/captions.py), to be done before the video's.
    captions: list[dict[str, Any]] = field(default_factory=list)


def check_id(field: str, value: Any) -> str:
    """A user or course id: 1-64 characters of A-Z a-z 0-9 _ - (it may become a folder)."""
    if not isinstance(value, str) or not upload_keys.is_valid_user_id(value):
        raise InvalidRequestError(field, "must be 1-64 characters of A-Z a-z 0-9 _ -")
    return value


def check_filename(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequestError("filename", "must be a non-empty string")
    if len(value) > MAX_FILENAME_LENGTH or "\x00" in value:
        raise InvalidRequestError(
            "filename", f"must be at most {MAX_FILENAME_LENGTH} characters, with no NUL"
        )
    if not upload_keys.has_upload_suffix(value):
        raise InvalidRequestError(
            "filename",
            "must end with a video or audio file extension "
            f"({', '.join(upload_keys.UPLOAD_SUFFIXES)})",
        )
    return value


def check_content_type(value: Any, allowed: tuple[str, ...]) -> str:
    """The bare, lower-case MIME type, if one of ``allowed`` (glob patterns) matches."""
    if not isinstance(value, str) or not value:
        raise InvalidRequestError("content_type", "must be a MIME type such as video/mp4")
    normalized = value.strip().lower()
    # Parameters (``; codecs=...``) would have to be echoed byte for byte in the signed
    # PUT; a bare type/subtype is all S3 needs.
    if not _MIME_TYPE.fullmatch(normalized):
        raise InvalidRequestError(
            "content_type", f"{value!r} is not a bare MIME type (type/subtype)"
        )
    if not any(fnmatch.fnmatchcase(normalized, pattern) for pattern in allowed):
        raise InvalidRequestError(
            "content_type", f"{value!r} is not accepted; allowed: {', '.join(allowed)}"
        )
    return normalized


def check_size(value: Any, max_bytes: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequestError("size", "must be an integer number of bytes")
    if not 0 < value <= max_bytes:
        raise InvalidRequestError("size", f"must be between 1 and {max_bytes} bytes")
    return value

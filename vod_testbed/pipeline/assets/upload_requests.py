"""What ``POST /videos`` accepts (:class:`NewVideo`: each field checked, with an error
naming it) and the ticket the client gets back.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    PlainValidator,
    ValidationInfo,
)
from pydantic.json_schema import JsonDict

from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.pipeline.assets.request_model import RequestModel, refuse
from vod_testbed.pipeline.config import S3_SINGLE_PUT_LIMIT, PipelineSettings
from vod_testbed.pipeline.trigger import captions, upload_keys

MAX_FILENAME_LENGTH = 255
# RFC 6838 restricted names: no wildcards, spaces, CR/LF or parameters in what gets signed.
_MIME_NAME = "[a-z0-9][a-z0-9!#$&^_.+-]{0,126}"
_MIME_TYPE = re.compile(f"{_MIME_NAME}/{_MIME_NAME}")
ID_MESSAGE = "must be 1-64 characters of A-Z a-z 0-9 _ -"


def _any_case(suffix: str) -> str:
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else re.escape(c) for c in suffix)


# Not blank, no NUL, ending with an upload suffix in any case (upload_keys.UPLOAD_SUFFIXES).
FILENAME_PATTERN = (
    r"^[^\x00]*[^\s\x00][^\x00]*\.("
    + "|".join(_any_case(suffix[1:]) for suffix in upload_keys.UPLOAD_SUFFIXES)
    + ")$"
)


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


def _id(value: Any) -> str:
    if not isinstance(value, str) or not upload_keys.is_valid_user_id(value):
        refuse(ID_MESSAGE)
    return value


def check_id(field: str, value: Any) -> str:
    """A user or course id: 1-64 characters of A-Z a-z 0-9 _ - (it may become a folder)."""
    if not isinstance(value, str) or not upload_keys.is_valid_user_id(value):
        raise InvalidRequestError(field, ID_MESSAGE)
    return value


def _filename(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        refuse("must be a non-empty string")
    if len(value) > MAX_FILENAME_LENGTH or "\x00" in value:
        refuse(f"must be at most {MAX_FILENAME_LENGTH} characters, with no NUL")
    if not upload_keys.has_upload_suffix(value):
        refuse(
            "must end with a video or audio file extension "
            f"({', '.join(upload_keys.UPLOAD_SUFFIXES)})"
        )
    return value


def _settings(info: ValidationInfo) -> PipelineSettings:
    settings = info.context
    if not isinstance(settings, PipelineSettings):
        raise TypeError("a new video is validated against the pipeline's settings")
    return settings


def _content_type(value: Any, info: ValidationInfo) -> str:
    """The bare, lower-case MIME type, if one of ``ALLOWED_CONTENT_TYPES`` matches."""
    if not isinstance(value, str) or not value:
        refuse("must be a MIME type such as video/mp4")
    normalized = value.strip().lower()
    # Parameters (``; codecs=...``) would have to be echoed byte for byte in the signed
    # PUT; a bare type/subtype is all S3 needs.
    if not _MIME_TYPE.fullmatch(normalized):
        refuse(f"{value!r} is not a bare MIME type (type/subtype)")
    allowed = _settings(info).allowed_content_types
    if not any(fnmatch.fnmatchcase(normalized, pattern) for pattern in allowed):
        refuse(f"{value!r} is not accepted; allowed: {', '.join(allowed)}")
    return normalized


def _size(value: Any, info: ValidationInfo) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON Schema's integer: 1234.0 is one
    if isinstance(value, bool) or not isinstance(value, int):
        refuse("must be an integer number of bytes")
    max_bytes = _settings(info).max_upload_bytes
    if not 0 < value <= max_bytes:
        refuse(f"must be between 1 and {max_bytes} bytes")
    return value


Id = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="1-64 characters of A-Z a-z 0-9 _ -"),
    BeforeValidator(_id),
]


def _language_codes(schema: JsonDict) -> None:
    codes: list[JsonValue] = [*sorted(captions.language_codes())]
    schema["enum"] = codes


def _without_default(schema: JsonDict) -> None:
    schema.pop("default", None)


class CaptionFile(BaseModel):
    """A sidecar caption file, uploaded with its own presigned PUT before the video
    (docs/captions.md). Its schema; ``captions.check_caption_uploads`` checks it."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(
        pattern=r"^.*\.([Ss][Rr][Tt]|[Vv][Tt][Tt]|[Ww][Ee][Bb][Vv][Tt][Tt]|[Ss][Cc][Cc])$",
        description="an SRT, WebVTT or SCC file",
    )
    content_type: str = Field(json_schema_extra={"enum": [*sorted(captions.CAPTION_CONTENT_TYPES)]})
    size: int = Field(ge=1, le=captions.MAX_CAPTION_BYTES)
    language: str = Field(
        description="MediaConvert's LanguageCode (ISO 639), lower case: the HLS LANGUAGE",
        json_schema_extra=_language_codes,
    )
    label: str = Field(
        default="",  # the language's name; a schema default would be one more promise
        json_schema_extra=_without_default,
        pattern=rf"^[^\x00-\x1f\x7f]{{1,{captions.MAX_LABEL_LENGTH}}}$",
        description="the track's name in players, 1-64 characters without control "
        "characters (default, or blank: the language's name)",
    )


class NewVideo(RequestModel):
    """``POST /videos``: an upload to register in a course; its owner is the caller."""

    unknown_field: ClassVar[str] = "is not a field of a new video"
    unknown_fields: ClassVar[Mapping[str, str]] = {
        "user_id": "the owner is the bearer token's user; do not send user_id"
    }

    filename: Annotated[
        str,
        Field(
            max_length=MAX_FILENAME_LENGTH,
            pattern=FILENAME_PATTERN,
            description="the name the user gave; not blank, no NUL, ending with a video or "
            f"audio extension ({', '.join(upload_keys.UPLOAD_SUFFIXES)}): the S3 notification "
            "that starts transcoding matches these",
        ),
        BeforeValidator(_filename),
    ]
    content_type: Annotated[
        str,
        Field(
            description="a bare MIME type allowed by ALLOWED_CONTENT_TYPES "
            "(default video/*,audio/*)",
            examples=["video/mp4"],
            # What the default allows; the check reads the setting.
            json_schema_extra={"pattern": "^(video|audio)/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$"},
        ),
        BeforeValidator(_content_type),
    ]
    size: Annotated[
        int,
        Field(
            ge=1,
            le=S3_SINGLE_PUT_LIMIT,
            description="bytes; at most MAX_UPLOAD_BYTES (default 5 GiB, S3's largest PUT)",
        ),
        BeforeValidator(_size),
    ]
    course_id: Id
    captions: Annotated[
        list[captions.CaptionUpload],
        Field(
            default_factory=list,
            description="sidecar caption files, each uploaded with its own presigned PUT "
            "before the video (docs/captions.md)",
        ),
        PlainValidator(
            captions.check_caption_uploads,
            json_schema_input_type=Annotated[
                list[CaptionFile], Field(max_length=captions.MAX_CAPTION_FILES)
            ],
        ),
    ]

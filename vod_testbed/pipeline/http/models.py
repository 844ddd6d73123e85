"""The models of the pipeline API's requests and answers that are the HTTP layer's own
(the video and a new video are the content service's: :mod:`...videos`,
:mod:`...upload_requests`). Each is checked against what the API answers by the fuzzing
test of the generated OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel

from vod_testbed.pipeline.assets.access import ENROLLMENT_STATUSES
from vod_testbed.pipeline.assets.asset_states import AssetStatus
from vod_testbed.pipeline.assets.request_model import RequestModel, refuse
from vod_testbed.pipeline.assets.upload_requests import Id
from vod_testbed.pipeline.assets.videos import Video

MAX_LIST_LIMIT = 500


class ApiError(BaseModel):
    """A refused request: what is wrong, and the field (or header) it concerns."""

    error: str
    field: str | None = None
    reason: str | None = Field(
        default=None, description="the webhooks' reason: missing, malformed, bad, stale..."
    )


class CaptionTicket(BaseModel):
    """One caption file's PUT: do it, with exactly ``upload_headers``, before the video's."""

    upload_url: str
    upload_method: Literal["PUT"]
    upload_headers: dict[str, str]
    key: str
    language: str
    label: str
    format: Literal["SRT", "WEBVTT", "SCC"]


class Ticket(BaseModel):
    """What a client needs to upload: PUT the file to ``upload_url`` with exactly
    ``upload_headers`` before ``expires_in`` seconds have passed."""

    id: str
    upload_url: str
    upload_method: Literal["PUT"]
    upload_headers: dict[str, str]
    key: str
    expires_in: int
    captions: list[CaptionTicket] = Field(
        description="each caption file's PUT, in the order given; do them before the video's"
    )
    video: Video


class VideoList(BaseModel):
    videos: list[Video]


def _limit(value: Any) -> int:
    # ASCII digits only: str.isdigit() also accepts superscripts and other scripts' digits.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 3):
        refuse(f"must be an integer from 1 to {MAX_LIST_LIMIT}")
    if not 1 <= int(value) <= MAX_LIST_LIMIT:
        refuse(f"must be an integer from 1 to {MAX_LIST_LIMIT}")
    return int(value)


def _status(value: Any) -> AssetStatus:
    if value == "":
        refuse("must be an asset status when given")
    try:
        return AssetStatus(value)
    except ValueError:
        refuse(f"must be one of {', '.join(AssetStatus)}")


class VideoQuery(RequestModel):
    """``GET /videos``' parameters."""

    unknown_field: ClassVar[str] = "is not a parameter of GET /videos"

    limit: Annotated[int, Field(ge=1, le=MAX_LIST_LIMIT), BeforeValidator(_limit)] = 100
    status: Annotated[AssetStatus | None, BeforeValidator(_status)] = None
    user_id: Id | None = None


EnrollmentStatus = Literal[ENROLLMENT_STATUSES]  # type: ignore[valid-type]


def _enrollment_status(value: Any) -> str:
    if value not in ENROLLMENT_STATUSES:
        refuse(f"must be one of {', '.join(ENROLLMENT_STATUSES)}")
    return str(value)


class EnrollmentChange(RequestModel):
    """``PUT /courses/{course_id}/enrollments/{user_id}``: the enrollment's status (only
    ``active`` grants playback)."""

    unknown_field: ClassVar[str] = "is not a field of an enrollment"

    status: Annotated[EnrollmentStatus, BeforeValidator(_enrollment_status)]


class CoursePath(RequestModel):
    course_id: Id


class EnrollmentPath(RequestModel):
    course_id: Id
    user_id: Id


class Enrollment(BaseModel):
    course_id: str
    user_id: str
    status: EnrollmentStatus


class EnrollmentList(BaseModel):
    enrollments: list[Enrollment]


class JsonObject(RootModel[dict[str, Any]]):
    """Any JSON object (an event, a notification: its sender's format, read by its parser)."""


class EventOutcome(BaseModel):
    id: str | None
    outcome: str = Field(description="applied, ignored, held, duplicate, unknown_asset, refused")


class Health(BaseModel):
    status: str
    stuck_videos_failed: int
    lost_outputs_failed: int


class PlaybackQuery(RequestModel):
    """A playlist's token; other parameters are a player's business and are ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)

    token: str | None = None

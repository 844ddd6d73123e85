"""What the upload trigger reports about an upload, as an EventBridge-shaped event.

MediaConvert announces no SUBMITTED event, so the trigger says itself that an upload
arrived, was rejected, or got a job. In-process the notice is applied to the database
directly; as a Lambda function the trigger posts it (signed) to the pipeline's webhook,
which applies it through the same service function.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vod_testbed.backends.mediaconvert.events import EventFormatError, read_error_code

SOURCE = "vod-testbed.upload-trigger"
DETAIL_TYPE = "Video Upload State Change"


class NoticeStatus(enum.StrEnum):
    UPLOAD_RECEIVED = "UPLOAD_RECEIVED"
    UPLOAD_REJECTED = "UPLOAD_REJECTED"
    JOB_SUBMITTED = "JOB_SUBMITTED"


@dataclass(frozen=True)
class TriggerNotice:
    """One report of the upload trigger about asset ``asset_id``."""

    status: NoticeStatus
    asset_id: str
    key: str
    size_bytes: int | None = None
    job_id: str | None = None
    content_type: str | None = None
    error_code: int | None = None
    error_message: str | None = None
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def mismatch(self, key: str, size_bytes: int, content_type: str) -> str | None:
        """Why this notice is not about the upload registered with ``key``, ``size_bytes``
        and ``content_type`` (None when it is). Every notice must name the registered key;
        UPLOAD_RECEIVED, the admission of an object, also its size and type."""
        if self.key != key:
            return "the object is not at the key registered for the video"
        if self.status is not NoticeStatus.UPLOAD_RECEIVED:
            return None
        if self.size_bytes is not None and self.size_bytes != size_bytes:
            return f"the object has {self.size_bytes} bytes; {size_bytes} were registered"
        given = (self.content_type or content_type).split(";")[0].strip().lower()
        if given != content_type:
            return f"the object is {given!r}; {content_type!r} was registered"
        return None

    def to_event(self, now: datetime | None = None) -> dict[str, Any]:
        detail: dict[str, Any] = {"status": self.status.value, "assetId": self.asset_id}
        detail["key"] = self.key
        for name, value in (
            ("sizeBytes", self.size_bytes),
            ("jobId", self.job_id),
            ("contentType", self.content_type),
            ("errorCode", self.error_code),
            ("errorMessage", self.error_message),
        ):
            if value is not None:
                detail[name] = value
        at = (now or datetime.now(UTC)).astimezone(UTC)
        return {
            "version": "0",
            "id": self.event_id,
            "detail-type": DETAIL_TYPE,
            "source": SOURCE,
            "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "resources": [],
            "detail": detail,
        }


def is_trigger_notice(event: dict[str, Any]) -> bool:
    return event.get("source") == SOURCE and event.get("detail-type") == DETAIL_TYPE


def parse_trigger_notice(event: dict[str, Any]) -> TriggerNotice:
    """Read a notice built by :meth:`TriggerNotice.to_event`. Raises EventFormatError."""
    event_id = event.get("id")
    detail = event.get("detail")
    if not isinstance(event_id, str) or not event_id:
        raise EventFormatError("id", "missing or not a string")
    if not isinstance(detail, dict):
        raise EventFormatError("detail", "missing or not an object")
    try:
        status = NoticeStatus(str(detail.get("status")))
    except ValueError:
        message = f"unknown status {detail.get('status')!r}"
        raise EventFormatError("detail.status", message) from None
    asset_id, key = detail.get("assetId"), detail.get("key")
    if not isinstance(asset_id, str) or not asset_id:
        raise EventFormatError("detail.assetId", "missing or not a string")
    if not isinstance(key, str) or not key:
        raise EventFormatError("detail.key", "missing or not a string")
    job_id = detail.get("jobId")
    if status is NoticeStatus.JOB_SUBMITTED and not isinstance(job_id, str):
        raise EventFormatError("detail.jobId", "a JOB_SUBMITTED notice names its job")
    size, code = detail.get("sizeBytes"), detail.get("errorCode")
    content_type = detail.get("contentType")
    return TriggerNotice(
        status=status,
        asset_id=asset_id,
        key=key,
        size_bytes=size if isinstance(size, int) and 0 <= size < 2**62 else None,
        job_id=job_id if isinstance(job_id, str) else None,
        content_type=content_type if isinstance(content_type, str) else None,
        error_code=read_error_code(code),
        error_message=str(detail["errorMessage"]) if detail.get("errorMessage") else None,
        event_id=event_id,
    )

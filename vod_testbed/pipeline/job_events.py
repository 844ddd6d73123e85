"""Job state changes, whichever way they arrive.

A :class:`JobStateChange` is what the content service applies. It is read from an
EventBridge "MediaConvert Job State Change" event (the webhook: MediaConvert on AWS, or
the emulator) or made from a :class:`vod_testbed.backends.job.Job` snapshot (the in-process FFmpeg
backend, through :mod:`vod_testbed.pipeline.job_bridge`), so both paths end in the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vod_testbed.backends.job import Job, JobStatus

DETAIL_TYPE = "MediaConvert Job State Change"
SOURCE = "aws.mediaconvert"
EVENT_STATUSES = frozenset(
    {
        "INPUT_INFORMATION",
        "PROGRESSING",
        "STATUS_UPDATE",
        "COMPLETE",
        "ERROR",
        "CANCELED",
        "NEW_WARNING",
        "QUEUE_HOP",
    }
)


class EventFormatError(ValueError):
    """A body that is not a well-formed event; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class JobStateChange:
    """One change of a transcoding job, in MediaConvert's event vocabulary.

    Attributes:
        event_id: unique per event; a redelivery carries the same id.
        job_id: the transcoding job.
        status: ``detail.status`` (PROGRESSING, STATUS_UPDATE, COMPLETE, ERROR, ...).
        asset_id: ``userMetadata.assetId`` when the job carries it.
        percent: job percent complete, when known.
        master_playlist_uri: COMPLETE: the HLS group's multivariant playlist.
        thumbnail_uris: COMPLETE: frame captures named by the event.
        error_code, error_message: ERROR: MediaConvert's code and message.
        warning: NEW_WARNING: code and message.
    """

    event_id: str
    job_id: str
    status: str
    asset_id: str | None = None
    percent: int | None = None
    master_playlist_uri: str | None = None
    thumbnail_uris: tuple[str, ...] = ()
    error_code: int | None = None
    error_message: str | None = None
    warning: str | None = None


# Longest ids the database keeps (processed_events.event_id, video_assets.job_id).
MAX_ID_LENGTH = {"id": 128, "detail.jobId": 64}


def _require(mapping: dict[str, Any], key: str, field: str, kind: type) -> Any:
    value = mapping.get(key)
    if not isinstance(value, kind) or (kind is str and not value):
        raise EventFormatError(field, f"missing or not a {kind.__name__}")
    if isinstance(value, str) and len(value) > MAX_ID_LENGTH.get(field, len(value)):
        raise EventFormatError(field, f"longer than {MAX_ID_LENGTH[field]} characters")
    return value


def _strings(value: Any) -> list[str]:
    """``value`` if it is a list, its strings only; else nothing."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _percent(detail: dict[str, Any]) -> int | None:
    # AWS's example nests jobPercentComplete in jobProgress; whether production does is
    # unconfirmed, so read both places.
    progress = detail.get("jobProgress")
    for source in (progress if isinstance(progress, dict) else {}, detail):
        value = source.get("jobPercentComplete")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return max(0, min(100, int(value)))
    return None


def _outputs(detail: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    """The multivariant playlist (HLS group's ``playlistFilePaths``) and the images of the
    frame-capture file group (``outputFilePaths``; AWS names only the last capture)."""
    master: str | None = None
    thumbnails: list[str] = []
    groups = detail.get("outputGroupDetails")
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, dict):
            continue
        if group.get("type") == "HLS_GROUP":
            playlists = _strings(group.get("playlistFilePaths"))
            if playlists and master is None:
                master = playlists[0]
        elif group.get("type") == "FILE_GROUP":
            outputs = group.get("outputDetails")
            for output in outputs if isinstance(outputs, list) else []:
                paths = _strings(output.get("outputFilePaths") if isinstance(output, dict) else 0)
                thumbnails += [p for p in paths if p.lower().endswith((".jpg", ".jpeg", ".png"))]
    return master, tuple(thumbnails)


def error_code(value: Any) -> int | None:
    """MediaConvert's error codes are 4-digit numbers; anything else is no code."""
    try:
        code = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return code if 0 < code < 100_000 else None


def is_mediaconvert_event(event: dict[str, Any]) -> bool:
    return event.get("source") == SOURCE and event.get("detail-type") == DETAIL_TYPE


def parse_mediaconvert_event(event: Any) -> JobStateChange:
    """Read an EventBridge "MediaConvert Job State Change" event.

    Raises:
        EventFormatError: not such an event, or a required key is missing.
    """
    if not isinstance(event, dict):
        raise EventFormatError("body", "must be a JSON object")
    if not is_mediaconvert_event(event):
        raise EventFormatError(
            "detail-type", f"expected source {SOURCE!r} and detail-type {DETAIL_TYPE!r}"
        )
    event_id = _require(event, "id", "id", str)
    detail = _require(event, "detail", "detail", dict)
    job_id = _require(detail, "jobId", "detail.jobId", str)
    status = _require(detail, "status", "detail.status", str)
    if status not in EVENT_STATUSES:
        raise EventFormatError("detail.status", f"unknown status {status!r}")
    metadata = detail.get("userMetadata")
    asset_id = metadata.get("assetId") if isinstance(metadata, dict) else None
    master, thumbnails = _outputs(detail) if status == "COMPLETE" else (None, ())
    warning = None
    if status == "NEW_WARNING":
        warning = f"{detail.get('warningCode', '')}: {detail.get('warningMessage', '')}"
    return JobStateChange(
        event_id=event_id,
        job_id=job_id,
        status=status,
        asset_id=asset_id if isinstance(asset_id, str) and asset_id else None,
        percent=100 if status == "COMPLETE" else _percent(detail),
        master_playlist_uri=master,
        thumbnail_uris=thumbnails,
        error_code=error_code(detail.get("errorCode")) if status == "ERROR" else None,
        error_message=str(detail.get("errorMessage") or "") or None,
        warning=warning,
    )


def change_from_job(job: Job) -> JobStateChange | None:
    """The change a backend's job snapshot stands for (``None`` for SUBMITTED, which
    MediaConvert does not announce either).

    The event id is derived from the snapshot, so the same snapshot seen twice is applied
    once.
    """
    if job.status is JobStatus.SUBMITTED:
        return None
    status = {
        JobStatus.PROGRESSING: "STATUS_UPDATE",
        JobStatus.COMPLETE: "COMPLETE",
        JobStatus.ERROR: "ERROR",
        JobStatus.CANCELED: "CANCELED",
    }[job.status]
    phase = job.phase.value if job.phase else "-"
    outputs = job.outputs if job.status is JobStatus.COMPLETE else None
    return JobStateChange(
        event_id=f"transcoder:{job.id}:{status}:{phase}:{job.percent_complete}",
        job_id=job.id,
        status=status,
        asset_id=job.request.user_metadata.get("assetId") or None,
        percent=100 if job.status is JobStatus.COMPLETE else job.percent_complete,
        master_playlist_uri=outputs.master_playlist_uri if outputs else None,
        thumbnail_uris=outputs.thumbnail_uris if outputs else (),
        error_code=job.error_code,
        error_message=job.error_message,
    )

"""Job state changes, whichever way they arrive.

A :class:`JobStateChange` is what the content service applies. It is read from an
EventBridge "MediaConvert Job State Change" event (the webhook: MediaConvert on AWS, or the
emulator; the event itself is :mod:`vod_testbed.backends.mediaconvert.events`) or made from
a :class:`vod_testbed.backends.job.Job` snapshot (the in-process FFmpeg backend, through
:mod:`vod_testbed.pipeline.workers.job_bridge`), so both paths end in the same code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from vod_testbed.backends.job import Job, JobStatus
from vod_testbed.backends.mediaconvert.events import EventStatus, parse_event


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
    status: EventStatus
    asset_id: str | None = None
    percent: int | None = None
    master_playlist_uri: str | None = None
    thumbnail_uris: tuple[str, ...] = ()
    error_code: int | None = None
    error_message: str | None = None
    warning: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The change as a JSON object (a held event is stored so)."""
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> JobStateChange:
        """The change :meth:`to_json` stored."""
        return cls(
            **{
                **value,
                "status": EventStatus(value["status"]),
                "thumbnail_uris": tuple(value.get("thumbnail_uris") or ()),
            }
        )


def parse_mediaconvert_event(event: Any) -> JobStateChange:
    """The change an EventBridge "MediaConvert Job State Change" event describes.

    Raises:
        EventFormatError: not such an event, or a required key is missing.
    """
    read = parse_event(event)
    complete = read.status is EventStatus.COMPLETE
    asset_id = read.user_metadata.get("assetId")
    return JobStateChange(
        event_id=read.event_id,
        job_id=read.job_id,
        status=read.status,
        asset_id=asset_id if isinstance(asset_id, str) and asset_id else None,
        percent=100 if complete else read.percent,
        master_playlist_uri=read.master_playlist_uri if complete else None,
        thumbnail_uris=read.frame_capture_uris if complete else (),
        error_code=read.error_code if read.status is EventStatus.ERROR else None,
        error_message=read.error_message,
        warning=read.warning if read.status is EventStatus.NEW_WARNING else None,
    )


# A snapshot's status as the event MediaConvert would send for it.
_EVENT_FOR_STATUS = {
    JobStatus.PROGRESSING: EventStatus.STATUS_UPDATE,
    JobStatus.COMPLETE: EventStatus.COMPLETE,
    JobStatus.ERROR: EventStatus.ERROR,
    JobStatus.CANCELED: EventStatus.CANCELED,
}


def change_from_job(job: Job) -> JobStateChange | None:
    """The change a backend's job snapshot stands for (``None`` for SUBMITTED, which
    MediaConvert does not announce either).

    The event id is derived from the snapshot, so the same snapshot seen twice is applied
    once.
    """
    if job.status is JobStatus.SUBMITTED:
        return None
    status = _EVENT_FOR_STATUS[job.status]
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
        warning=None,
    )

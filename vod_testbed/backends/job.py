"""The job model shared by every backend: MediaConvert's statuses, phases and outputs."""

from __future__ import annotations

import enum
import secrets
import string
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from vod_testbed.backends import naming
from vod_testbed.backends.captions import CaptionTrack, check_tracks
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder

if TYPE_CHECKING:  # the model imports the ladder, which this module re-exports
    from vod_testbed.backends.jobmodel.model import JobSpec


class JobStatus(enum.StrEnum):
    SUBMITTED = "SUBMITTED"
    PROGRESSING = "PROGRESSING"
    COMPLETE = "COMPLETE"
    ERROR = "ERROR"
    CANCELED = "CANCELED"

    @property
    def is_final(self) -> bool:
        return self in (JobStatus.COMPLETE, JobStatus.ERROR, JobStatus.CANCELED)


class JobPhase(enum.StrEnum):
    PROBING = "PROBING"
    TRANSCODING = "TRANSCODING"
    UPLOADING = "UPLOADING"


@dataclass(frozen=True)
class RenditionOutput:
    """One HLS rendition as written: its playlist and what was measured from the media."""

    name: str
    playlist_uri: str
    duration_ms: int
    width: int
    height: int
    average_bandwidth: int = 0
    peak_bandwidth: int = 0
    # The video stream alone (no audio, no container): the COMPLETE event's averageBitrate.
    video_bitrate: int = 0


@dataclass(frozen=True)
class CaptionOutput:
    """One WebVTT caption rendition as written: its playlist, language and name."""

    name_modifier: str
    playlist_uri: str
    language: str
    name: str
    segment_count: int


@dataclass(frozen=True)
class FileOutput:
    """One output of a model job as written: its files (a frame capture's images, in order)
    and what was measured from them (0 where the output has no video)."""

    uris: tuple[str, ...]
    duration_ms: int
    width: int = 0
    height: int = 0
    average_bitrate: int = 0


@dataclass(frozen=True)
class GroupOutput:
    """One output group of a model job as written, in the job's group order: ``type`` is
    the event's (``HLS_GROUP``, ``FILE_GROUP``, ``CMAF_GROUP``, ``DASH_ISO_GROUP``);
    ``playlist_uri`` an HLS group's multivariant playlist (a CMAF group's, else its MPD),
    ``more_playlist_uris`` a CMAF group's MPD beside it."""

    type: str
    outputs: tuple[FileOutput, ...]
    playlist_uri: str = ""
    more_playlist_uris: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobOutputs:
    """What a job wrote. A ladder job fills the ladder's fields; a model job (a request
    with a ``model``) fills ``groups``, one per output group, and the ladder's fields from
    its first HLS group, if any."""

    master_playlist_uri: str
    renditions: tuple[RenditionOutput, ...]
    thumbnail_uris: tuple[str, ...] = ()
    thumbnail_width: int = 0
    thumbnail_height: int = 0
    captions: tuple[CaptionOutput, ...] = ()
    groups: tuple[GroupOutput, ...] = ()


@dataclass(frozen=True)
class JobRequest:
    """What a caller asks for.

    Destinations are MediaConvert's: a folder plus a file base name, so
    ``s3://b/p/hls/master`` writes ``s3://b/p/hls/master.m3u8``, ``master_720p.m3u8`` ...

    Args:
        input_uri: ``s3://bucket/key`` (or a local path, for the FFmpeg backend).
        hls_destination: folder and base name of the HLS group.
        thumbnail_destination: folder and base name of the frame captures.
        ladder: the renditions to produce.
        user_metadata: string pairs carried on the job and its events.
        captions: sidecar caption tracks (WebVTT renditions or burnt in).
        model: a MediaConvert job of any shape (docs/ARCHITECTURE.md, "The job model"):
            when set, the backend runs the model, and the other fields only describe it
            (its first input; its first groups' destinations).
    """

    input_uri: str
    hls_destination: str
    thumbnail_destination: str
    ladder: Ladder = DEFAULT_LADDER
    user_metadata: dict[str, str] = field(default_factory=dict)
    captions: tuple[CaptionTrack, ...] = ()
    model: JobSpec | None = None

    def __post_init__(self) -> None:
        check_tracks(self.captions)

    @classmethod
    def for_model(cls, model: JobSpec) -> JobRequest:
        """A request that runs ``model``."""
        first = model.output_groups[0].destination
        return cls(
            input_uri=model.inputs[0].uri,
            hls_destination=first,
            thumbnail_destination=first,
            user_metadata=dict(model.user_metadata),
            model=model,
        )

    @classmethod
    def for_prefix(
        cls,
        input_uri: str,
        output_prefix: str | None = None,
        ladder: Ladder = DEFAULT_LADDER,
        user_metadata: dict[str, str] | None = None,
        captions: tuple[CaptionTrack, ...] = (),
    ) -> JobRequest:
        """The standard layout: ``<prefix>/hls/master*`` and ``<prefix>/thumbnails/master*``,
        where the prefix defaults to the input minus its extension plus ``_processed``."""
        prefix = output_prefix or naming.default_output_prefix(input_uri)
        return cls(
            input_uri=input_uri,
            hls_destination=naming.join_uri(prefix, naming.HLS_FOLDER, naming.DEFAULT_BASE_NAME),
            thumbnail_destination=naming.join_uri(
                prefix, naming.THUMBNAIL_FOLDER, naming.DEFAULT_BASE_NAME
            ),
            ladder=ladder,
            user_metadata=dict(user_metadata or {}),
            captions=captions,
        )


@dataclass(frozen=True)
class Job:
    """An immutable snapshot of a job; backends publish a new one on every change."""

    id: str
    request: JobRequest
    status: JobStatus = JobStatus.SUBMITTED
    phase: JobPhase | None = None
    percent_complete: int = 0
    error_code: int | None = None
    error_message: str | None = None
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    outputs: JobOutputs | None = None
    warnings: tuple[str, ...] = ()
    input_details: dict[str, Any] | None = None
    # The probed source duration, when the backend probes the input itself (FFmpeg).
    source_duration_s: float | None = None

    def evolve(self, **changes: Any) -> Job:
        return replace(self, **changes)


_ID_ALPHABET = string.ascii_lowercase + string.digits


def new_job_id(now: float | None = None) -> str:
    """A MediaConvert-shaped job id: epoch milliseconds, a dash, six base-36 characters."""
    millis = int((time.time() if now is None else now) * 1000)
    return f"{millis}-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(6))

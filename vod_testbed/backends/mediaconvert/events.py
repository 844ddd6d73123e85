"""EventBridge "MediaConvert Job State Change" events: the constants, building, reading.

One module for the event, used by the emulator (which builds and sends them), the
MediaConvert backend (which maps them onto job snapshots) and the pipeline's webhook
(which applies them to videos). The fields written and read are listed in
docs/ARCHITECTURE.md, "The event contract".

Envelope: ``version``, ``id`` (a v4 UUID), ``detail-type``, ``source``, ``account``,
``time`` (ISO-8601, seconds, ``Z``), ``region``, ``resources`` (the job ARN) and
``detail``, whose common keys are ``timestamp`` (epoch *milliseconds*), ``accountId``,
``queue`` (ARN), ``jobId``, ``status`` and ``userMetadata``. AWS emits no event for
SUBMITTED; the emulator never emits QUEUE_HOP (it does not hop queues).
"""

from __future__ import annotations

import enum
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from vod_testbed.backends.job import JobPhase

DETAIL_TYPE = "MediaConvert Job State Change"
SOURCE = "aws.mediaconvert"
PHASES = tuple(JobPhase)


class EventStatus(enum.StrEnum):
    """``detail.status``: not the same set as a job's status (there is no SUBMITTED)."""

    INPUT_INFORMATION = "INPUT_INFORMATION"
    PROGRESSING = "PROGRESSING"
    STATUS_UPDATE = "STATUS_UPDATE"
    COMPLETE = "COMPLETE"
    ERROR = "ERROR"
    CANCELED = "CANCELED"
    NEW_WARNING = "NEW_WARNING"
    QUEUE_HOP = "QUEUE_HOP"


class EventOrigin(Protocol):
    """Where events come from: the account and region named in each one."""

    @property
    def account_id(self) -> str: ...

    @property
    def region(self) -> str: ...


class EventFormatError(ValueError):
    """A body that is not a well-formed event; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- building (jobs in wire form: camelCase keys) -----------------------------------------


def job_event(
    origin: EventOrigin,
    job: Mapping[str, Any],
    status: EventStatus,
    extra: Mapping[str, Any] | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """An event about ``job`` (wire form) with ``detail.status`` = ``status``, at ``now``
    (Unix seconds; default the current time)."""
    at = time.time() if now is None else now
    detail: dict[str, Any] = {
        "timestamp": int(at * 1000),
        "accountId": origin.account_id,
        "queue": job["queue"],
        "jobId": job["id"],
        "status": status,
        "userMetadata": job.get("userMetadata", {}),
    }
    detail.update(extra or {})
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": DETAIL_TYPE,
        "source": SOURCE,
        "account": origin.account_id,
        "time": datetime.fromtimestamp(int(at), UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": origin.region,
        "resources": [job["arn"]],
        "detail": detail,
    }


def progressing(
    origin: EventOrigin, job: Mapping[str, Any], now: float | None = None
) -> dict[str, Any]:
    """PROGRESSING: the job left its queue."""
    return job_event(origin, job, EventStatus.PROGRESSING, now=now)


def input_information(
    origin: EventOrigin,
    job: Mapping[str, Any],
    input_details: list[dict[str, Any]],
    now: float | None = None,
) -> dict[str, Any]:
    """INPUT_INFORMATION: all inputs in one event, as AWS sends them."""
    extra = {"inputDetails": input_details}
    return job_event(origin, job, EventStatus.INPUT_INFORMATION, extra, now)


def phase_progress(current_phase: str | None, percent: int) -> dict[str, dict[str, Any]]:
    """``jobProgress.phaseProgress``: finished phases COMPLETE at 100, the current one
    PROGRESSING, later ones PENDING at 0."""
    current = PHASES.index(JobPhase(current_phase)) if current_phase in PHASES else 0
    progress: dict[str, dict[str, Any]] = {}
    for index, phase in enumerate(PHASES):
        if index < current:
            progress[phase.value] = {"status": "COMPLETE", "percentComplete": 100}
        elif index == current:
            progress[phase.value] = {"status": "PROGRESSING", "percentComplete": percent}
        else:
            progress[phase.value] = {"status": "PENDING", "percentComplete": 0}
    return progress


def status_update(
    origin: EventOrigin, job: Mapping[str, Any], now: float | None = None
) -> dict[str, Any]:
    """STATUS_UPDATE: progress inside ``jobProgress``, where AWS's example puts it.
    (``framesDecoded`` is left out: the emulator does not count decoded frames.)"""
    phase = job.get("currentPhase", JobPhase.PROBING)
    percent = int(job.get("jobPercentComplete") or 0)
    return job_event(
        origin,
        job,
        EventStatus.STATUS_UPDATE,
        {
            "jobProgress": {
                "phaseProgress": phase_progress(phase, percent),
                "jobPercentComplete": percent,
                "currentPhase": phase,
                "retryCount": job.get("retryCount", 0),
            }
        },
        now,
    )


def complete(
    origin: EventOrigin,
    job: Mapping[str, Any],
    output_group_details: list[dict[str, Any]],
    now: float | None = None,
) -> dict[str, Any]:
    """COMPLETE: ``outputGroupDetails`` name the files written.

    ``paddingInserted``, ``blackVideoDetected`` and the QVBR scores are left out: the
    emulator does not measure them, and a made-up zero would be a false measurement.
    """
    return job_event(
        origin,
        job,
        EventStatus.COMPLETE,
        {"outputGroupDetails": output_group_details, "warnings": job.get("warnings", [])},
        now,
    )


def error(origin: EventOrigin, job: Mapping[str, Any], now: float | None = None) -> dict[str, Any]:
    """ERROR: MediaConvert's numeric code and its message."""
    return job_event(
        origin,
        job,
        EventStatus.ERROR,
        {"errorCode": job["errorCode"], "errorMessage": job["errorMessage"]},
        now,
    )


def canceled(
    origin: EventOrigin, job: Mapping[str, Any], now: float | None = None
) -> dict[str, Any]:
    """CANCELED."""
    return job_event(origin, job, EventStatus.CANCELED, now=now)


def new_warning(
    origin: EventOrigin, job: Mapping[str, Any], code: int, message: str, now: float | None = None
) -> dict[str, Any]:
    """NEW_WARNING: the code is a *string* here (a number in ``warnings[]``), as on AWS."""
    return job_event(
        origin,
        job,
        EventStatus.NEW_WARNING,
        {"warningCode": str(code), "warningMessage": message},
        now,
    )


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobStateEvent:
    """A well-formed job-state event, read.

    Attributes:
        event_id: unique per event; a redelivery carries the same id.
        job_id: ``detail.jobId``.
        status: ``detail.status``.
        detail: the whole ``detail``, for what the properties below do not cover.
    """

    event_id: str
    job_id: str
    status: EventStatus
    detail: Mapping[str, Any]

    @property
    def timestamp_s(self) -> float | None:
        """``detail.timestamp`` in seconds (it travels in milliseconds)."""
        stamp = self.detail.get("timestamp")
        if isinstance(stamp, int | float) and not isinstance(stamp, bool):
            return stamp / 1000
        return None

    @property
    def user_metadata(self) -> dict[str, str]:
        metadata = self.detail.get("userMetadata")
        return dict(metadata) if isinstance(metadata, Mapping) else {}

    def _progress(self, key: str) -> Any:
        # AWS's example nests the progress keys in jobProgress; whether production does is
        # unconfirmed, so read both places.
        progress = self.detail.get("jobProgress")
        if isinstance(progress, Mapping) and progress.get(key) is not None:
            return progress[key]
        return self.detail.get(key)

    @property
    def percent(self) -> int | None:
        """Job percent complete (0..100), when the event says."""
        value = self._progress("jobPercentComplete")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return max(0, min(100, int(value)))
        return None

    @property
    def phase(self) -> JobPhase | None:
        value = self._progress("currentPhase")
        return JobPhase(value) if isinstance(value, str) and value in PHASES else None

    @property
    def error_code(self) -> int | None:
        return read_error_code(self.detail.get("errorCode"))

    @property
    def error_message(self) -> str | None:
        return str(self.detail.get("errorMessage") or "") or None

    @property
    def warning(self) -> str:
        """NEW_WARNING: ``code: message``."""
        return f"{self.detail.get('warningCode', '')}: {self.detail.get('warningMessage', '')}"

    @property
    def output_groups(self) -> list[Mapping[str, Any]]:
        """COMPLETE: ``outputGroupDetails``, the well-formed entries."""
        groups = self.detail.get("outputGroupDetails")
        return [g for g in groups if isinstance(g, Mapping)] if isinstance(groups, list) else []

    @property
    def master_playlist_uri(self) -> str | None:
        """COMPLETE: the HLS group's multivariant playlist (``playlistFilePaths``)."""
        for group in self.output_groups:
            playlists = _strings(group.get("playlistFilePaths"))
            if group.get("type") == "HLS_GROUP" and playlists:
                return playlists[0]
        return None

    @property
    def frame_capture_uris(self) -> tuple[str, ...]:
        """COMPLETE: the images the file groups name (AWS names only each one's last)."""
        images: list[str] = []
        for group in self.output_groups:
            if group.get("type") != "FILE_GROUP":
                continue
            outputs = group.get("outputDetails")
            for output in outputs if isinstance(outputs, list) else []:
                paths = _strings(
                    output.get("outputFilePaths") if isinstance(output, Mapping) else 0
                )
                images += [
                    path for path in paths if path.lower().endswith((".jpg", ".jpeg", ".png"))
                ]
        return tuple(images)


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def read_error_code(value: Any) -> int | None:
    """MediaConvert's error codes are 4-digit numbers; anything else is no code."""
    try:
        code = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return code if 0 < code < 100_000 else None


def _strings(value: Any) -> list[str]:
    """``value`` if it is a list, its strings only; else nothing (hostile bodies are lists of
    anything)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def is_job_state_change(event: Mapping[str, Any]) -> bool:
    """Whether ``event`` claims to be a MediaConvert job-state event (source, detail-type)."""
    return event.get("source") == SOURCE and event.get("detail-type") == DETAIL_TYPE


# Longest ids a consumer has to keep (the pipeline's processed_events.event_id and
# video_assets.job_id columns).
MAX_ID_LENGTH = {"id": 128, "detail.jobId": 64}


def _require(mapping: Mapping[str, Any], key: str, field: str, kind: type) -> Any:
    value = mapping.get(key)
    if not isinstance(value, kind) or (kind is str and not value):
        raise EventFormatError(field, f"missing or not a {kind.__name__}")
    if isinstance(value, str) and len(value) > MAX_ID_LENGTH.get(field, len(value)):
        raise EventFormatError(field, f"longer than {MAX_ID_LENGTH[field]} characters")
    return value


def parse_event(event: Any) -> JobStateEvent:
    """Read an EventBridge "MediaConvert Job State Change" event.

    Raises:
        EventFormatError: not such an event, or a required key is missing.
    """
    if not isinstance(event, Mapping):
        raise EventFormatError("body", "must be a JSON object")
    if not is_job_state_change(event):
        raise EventFormatError(
            "detail-type", f"expected source {SOURCE!r} and detail-type {DETAIL_TYPE!r}"
        )
    event_id = _require(event, "id", "id", str)
    detail = _require(event, "detail", "detail", dict)
    job_id = _require(detail, "jobId", "detail.jobId", str)
    status = _require(detail, "status", "detail.status", str)
    if status not in EventStatus.__members__:
        raise EventFormatError("detail.status", f"unknown status {status!r}")
    return JobStateEvent(event_id, job_id, EventStatus(status), detail)

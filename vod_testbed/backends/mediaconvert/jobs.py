"""MediaConvert's jobs (GetJob/ListJobs, boto3's PascalCase) and job-state events, mapped
onto the job model's :class:`~vod_testbed.backends.job.Job` snapshots.

Pure functions: the backend supplies what needs I/O (the request it submitted, a way to
list frame captures in storage).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.job import (
    FileOutput,
    GroupOutput,
    Job,
    JobOutputs,
    JobPhase,
    JobRequest,
    JobStatus,
    RenditionOutput,
)
from vod_testbed.backends.jobmodel import names, stream_names
from vod_testbed.backends.jobmodel.model import (
    CmafGroup,
    DashIsoGroup,
    FileGroup,
    HlsGroup,
    JobSpec,
)
from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.backends.mediaconvert.events import EventStatus, JobStateEvent
from vod_testbed.backends.mediaconvert.model import ValidationError, from_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.common import errors

# Lists the frame captures of (folder, base name, name modifier) in storage.
CaptureLister = Callable[[str, str, str], tuple[str, ...]]


def _epoch(value: Any) -> float | None:
    if value is None:
        return None
    if hasattr(value, "timestamp"):
        return float(value.timestamp())
    return float(value)


def _rung_name(modifier: str) -> str:
    return modifier[1:] if modifier.startswith("_") else modifier


def _size(detail: Mapping[str, Any]) -> tuple[int, int]:
    video = detail.get("VideoDetails") or {}
    return int(video.get("WidthInPx") or 0), int(video.get("HeightInPx") or 0)


def _rendition(name: str, playlist_uri: str, detail: Mapping[str, Any]) -> RenditionOutput:
    width, height = _size(detail)
    return RenditionOutput(
        name=name,
        playlist_uri=playlist_uri,
        duration_ms=int(detail.get("DurationInMs") or 0),
        width=width,
        height=height,
    )


def _outputs(
    master: str,
    renditions: list[RenditionOutput],
    thumbnails: tuple[str, ...],
    thumb_size: tuple[int, int],
) -> JobOutputs | None:
    """The outputs found, or None without a multivariant playlist (nothing to play)."""
    if not master:
        return None
    return JobOutputs(
        master_playlist_uri=master,
        renditions=tuple(renditions),
        thumbnail_uris=thumbnails,
        thumbnail_width=thumb_size[0],
        thumbnail_height=thumb_size[1],
    )


def request_from_settings(
    settings: Mapping[str, Any], user_metadata: Mapping[str, str]
) -> tuple[JobRequest, list[str]]:
    """The request a job's settings (wire form) express, and notes about the reading.

    A job created elsewhere with settings no ladder expresses keeps its input and
    destinations, shows the default ladder, and a note says so.
    """
    try:
        parsed = parse_job_settings(settings, user_metadata=user_metadata)
        return parsed.ladder or JobRequest.for_model(parsed.job), []
    except ValidationError as exc:
        inputs = settings.get("inputs") or [{}]
        folders = [
            (g.get("outputGroupSettings") or {}).get(kind, {}).get("destination", "")
            for g in settings.get("outputGroups") or []
            for kind in ("hlsGroupSettings", "fileGroupSettings")
        ]
        destinations = [d for d in folders if d] or [""]
        request = JobRequest(
            input_uri=inputs[0].get("fileInput", ""),
            hls_destination=destinations[0],
            thumbnail_destination=destinations[-1],
            ladder=DEFAULT_LADDER,
            user_metadata=dict(user_metadata),
        )
        return request, [f"settings are not a ladder ({exc}); the default ladder is shown"]


def job_from_api(
    raw: Mapping[str, Any],
    settings: Mapping[str, Any],
    request: JobRequest,
    notes: Sequence[str],
    list_captures: CaptureLister,
) -> Job:
    """The snapshot of a job as GetJob or ListJobs returns it (boto3's form), given its
    settings in wire form and the request they express."""
    status = JobStatus(raw.get("Status", JobStatus.SUBMITTED))
    timing = raw.get("Timing") or {}
    phase = raw.get("CurrentPhase")
    percent = raw.get("JobPercentComplete")
    warnings = [f"{w.get('Code')} (x{w.get('Count', 1)})" for w in raw.get("Warnings", [])]
    warnings += list((raw.get("Messages") or {}).get("Warning", []))
    created = _epoch(raw.get("CreatedAt")) or _epoch(timing.get("SubmitTime")) or time.time()
    outputs = None
    if status is JobStatus.COMPLETE:
        outputs = outputs_from_api(
            request, settings, raw.get("OutputGroupDetails") or [], list_captures
        )
    return Job(
        id=str(raw["Id"]),
        request=request,
        status=status,
        phase=JobPhase(phase) if phase and not status.is_final else None,
        percent_complete=100 if status is JobStatus.COMPLETE else int(percent or 0),
        error_code=raw.get("ErrorCode"),
        error_message=raw.get("ErrorMessage"),
        created_at=created,
        started_at=_epoch(timing.get("StartTime")),
        finished_at=_epoch(timing.get("FinishTime")),
        outputs=outputs,
        warnings=(*notes, *warnings),
    )


def outputs_from_api(
    request: JobRequest,
    settings: Mapping[str, Any],
    group_details: Sequence[Mapping[str, Any]],
    list_captures: CaptureLister,
) -> JobOutputs | None:
    """Outputs of a COMPLETE job from GetJob: the API's outputGroupDetails carry no
    paths, so names come from the settings (wire form; group i <-> outputGroupDetails[i])."""
    if request.model is not None:
        return _model_outputs_from_api(request.model, group_details, list_captures)
    renditions: list[RenditionOutput] = []
    master = ""
    thumbnails: tuple[str, ...] = ()
    thumb_size = (0, 0)
    details: Mapping[str, Any]
    for group, details in zip(settings.get("outputGroups") or [], group_details, strict=False):
        ogs = group.get("outputGroupSettings") or {}
        outputs = group.get("outputs") or []
        output_details = details.get("OutputDetails") or []
        if ogs.get("type") == "HLS_GROUP_SETTINGS":
            folder, base = naming.destination_base(
                ogs["hlsGroupSettings"]["destination"], request.input_uri
            )
            master = naming.join_uri(folder, naming.master_playlist_name(base))
            for output, detail in zip(outputs, output_details, strict=False):
                modifier = output.get("nameModifier", "")
                playlist = naming.join_uri(folder, naming.media_playlist_name(base, modifier))
                renditions.append(_rendition(_rung_name(modifier), playlist, detail))
        elif ogs.get("type") == "FILE_GROUP_SETTINGS" and outputs and output_details:
            folder, base = naming.destination_base(
                ogs["fileGroupSettings"]["destination"], request.input_uri
            )
            thumbnails = list_captures(folder, base, outputs[0].get("nameModifier", ""))
            thumb_size = _size(output_details[0])
    return _outputs(master, renditions, thumbnails, thumb_size)


def _model_outputs_from_api(
    model: JobSpec, group_details: Sequence[Mapping[str, Any]], list_captures: CaptureLister
) -> JobOutputs:
    """A model job's outputs from GetJob: names from the model, figures from the API."""
    groups = []
    for group, details in zip(model.output_groups, group_details, strict=False):
        folder, base = naming.split_destination(group.destination)
        files = []
        for output, detail in zip(group.outputs, details.get("OutputDetails") or [], strict=False):
            uris: tuple[str, ...] = ()  # a CMAF or DASH output names no file of its own
            if isinstance(group, HlsGroup):
                uris = (
                    naming.join_uri(folder, naming.media_playlist_name(base, output.name_modifier)),
                )
            elif output.is_frame_capture:
                uris = list_captures(folder, base, output.name_modifier)
            elif isinstance(group, FileGroup):
                uris = (naming.join_uri(folder, names.file_name(base, output)),)
            width, height = _size(detail)
            files.append(FileOutput(uris, int(detail.get("DurationInMs") or 0), width, height))
        playlist = (
            naming.join_uri(folder, naming.master_playlist_name(base))
            if isinstance(group, HlsGroup)
            else ""
        )
        more: tuple[str, ...] = ()
        if isinstance(group, CmafGroup | DashIsoGroup):
            playlist, *rest = (
                naming.join_uri(folder, n) for n in stream_names.top_manifests(base, group)
            )
            more = tuple(rest)
        groups.append(GroupOutput(group.type, tuple(files), playlist, more))
    master = next((g.playlist_uri for g in groups if g.playlist_uri), "")
    return JobOutputs(master, (), groups=tuple(groups))


def apply_event(base: Job, event: JobStateEvent) -> Job:
    """``base`` moved on by a job-state event (the event's own view of the job)."""
    status = event.status
    at = event.timestamp_s or time.time()
    if status is EventStatus.INPUT_INFORMATION:
        inputs = event.detail.get("inputDetails") or [{}]
        return base.evolve(
            status=JobStatus.PROGRESSING,
            phase=JobPhase.PROBING,
            input_details=dict(inputs[0]),
            started_at=base.started_at or at,
        )
    if status in (EventStatus.PROGRESSING, EventStatus.STATUS_UPDATE):
        percent = event.percent
        return base.evolve(
            status=JobStatus.PROGRESSING,
            phase=event.phase or base.phase,
            percent_complete=base.percent_complete if percent is None else percent,
            started_at=base.started_at or at,
        )
    if status is EventStatus.COMPLETE:
        return base.evolve(
            status=JobStatus.COMPLETE,
            phase=None,
            percent_complete=100,
            finished_at=at,
            outputs=outputs_from_event(base.request, event),
        )
    if status is EventStatus.ERROR:
        return base.evolve(
            status=JobStatus.ERROR,
            error_code=event.error_code or errors.UNKNOWN_ERROR,
            error_message=event.error_message or "",
            finished_at=at,
        )
    if status is EventStatus.CANCELED:
        return base.evolve(status=JobStatus.CANCELED, finished_at=at)
    if status is EventStatus.NEW_WARNING and event.warning not in base.warnings:
        return base.evolve(warnings=(*base.warnings, event.warning))
    return base  # QUEUE_HOP changes nothing we model


def _model_outputs(event: JobStateEvent) -> JobOutputs:
    """A model job's outputs, group by group, as its COMPLETE event names them."""
    groups = []
    for group in event.output_groups:
        details = []
        for output in group.get("outputDetails") or []:
            detail = from_wire_case(output, "OutputDetail")
            width, height = _size(detail)
            paths = tuple(str(p) for p in output.get("outputFilePaths") or [])
            details.append(FileOutput(paths, int(detail.get("DurationInMs") or 0), width, height))
        playlists = [str(p) for p in group.get("playlistFilePaths") or [""]]
        kind = str(group.get("type", ""))
        groups.append(GroupOutput(kind, tuple(details), playlists[0], tuple(playlists[1:])))
    return JobOutputs(event.master_playlist_uri or "", (), groups=tuple(groups))


def outputs_from_event(request: JobRequest, event: JobStateEvent) -> JobOutputs | None:
    """Outputs from a COMPLETE event, whose outputGroupDetails name the files: the
    multivariant playlist, each variant playlist, and the *last* frame capture (a model
    job's: every group's files, :func:`_model_outputs`)."""
    if request.model is not None:
        return _model_outputs(event)
    renditions: list[RenditionOutput] = []
    master = event.master_playlist_uri or ""
    thumbnails: tuple[str, ...] = ()
    thumb_size = (0, 0)
    for group in event.output_groups:
        kind = group.get("type")
        outputs = group.get("outputDetails") or []
        if kind == "HLS_GROUP" and master:
            base = PurePosixPath(master).stem
            for output in outputs:
                playlist = str((output.get("outputFilePaths") or [""])[0])
                modifier = PurePosixPath(playlist).stem[len(base) :]
                detail = from_wire_case(output, "OutputDetail")
                renditions.append(_rendition(_rung_name(modifier), playlist, detail))
        elif kind == "FILE_GROUP" and outputs:
            last = str((outputs[0].get("outputFilePaths") or [""])[-1])
            folder, _, name = last.rpartition("/")
            match = naming.CAPTURE_FILE.match(name)
            if match:
                count = int(match["index"]) + 1  # frame captures count from 0000000
                thumbnails = tuple(f"{folder}/{match['prefix']}.{i:07d}.jpg" for i in range(count))
                thumb_size = _size(from_wire_case(outputs[0], "OutputDetail"))
    order = {rung.name: i for i, rung in enumerate(request.ladder.rungs)}
    renditions.sort(key=lambda r: order.get(r.name, len(order)))
    return _outputs(master, renditions, thumbnails, thumb_size)

"""``outputGroupDetails``: what a finished job wrote, measured from its real outputs.

The COMPLETE event names files (``playlistFilePaths`` for an HLS group's multivariant
playlist, ``outputFilePaths`` for each variant playlist, and for frame captures the *last*
image, as AWS documents) and carries a ``type`` (``HLS_GROUP``, ``FILE_GROUP``). The API's
Job shape has neither paths nor type: :func:`api_output_group_details` strips them.
Groups follow the order of the job's ``settings.outputGroups``.
"""

from __future__ import annotations

from typing import Any

from vod_testbed.backends.job import JobOutputs

# Settings' group type -> the event's group type.
EVENT_GROUP_TYPES = {
    "HLS_GROUP_SETTINGS": "HLS_GROUP",
    "FILE_GROUP_SETTINGS": "FILE_GROUP",
    "DASH_ISO_GROUP_SETTINGS": "DASH_ISO_GROUP",
    "CMAF_GROUP_SETTINGS": "CMAF_GROUP",
    "MS_SMOOTH_GROUP_SETTINGS": "MS_SMOOTH_GROUP",
}
EVENT_ONLY_KEYS = ("playlistFilePaths", "outputFilePaths", "type")


def _video(width: int, height: int, average_bitrate: int = 0) -> dict[str, int]:
    """``videoDetails``; ``averageBitrate`` is the video output's own, as the user guide
    defines it, not the rendition's with audio and container (HLS AVERAGE-BANDWIDTH)."""
    details = {"widthInPx": width, "heightInPx": height}
    if average_bitrate:
        details["averageBitrate"] = average_bitrate
    return details


def _model_group_details(outputs: JobOutputs) -> list[dict[str, Any]]:
    """A model job's groups, each shaped by its type (docs/ARCHITECTURE.md, "The job
    model"): an HLS group names its multivariant playlist and each variant playlist, a file
    group each output's file (a frame capture its last image)."""
    groups: list[dict[str, Any]] = []
    for group in outputs.groups:
        details = []
        for output in group.outputs:
            detail: dict[str, Any] = {"durationInMs": output.duration_ms}
            if output.uris:  # CMAF and DASH outputs name no file (docs/jobs.md)
                detail["outputFilePaths"] = [output.uris[-1]]
            if output.width:
                detail["videoDetails"] = _video(output.width, output.height, output.average_bitrate)
            details.append(detail)
        entry: dict[str, Any] = {"outputDetails": details, "type": group.type}
        if group.playlist_uri:
            entry["playlistFilePaths"] = [group.playlist_uri, *group.more_playlist_uris]
        groups.append(entry)
    return groups


def event_output_group_details(
    settings: dict[str, Any], outputs: JobOutputs
) -> list[dict[str, Any]]:
    """The COMPLETE event's ``outputGroupDetails`` for a job's settings and outputs."""
    if outputs.groups:
        return _model_group_details(outputs)
    duration_ms = max((r.duration_ms for r in outputs.renditions), default=0)
    groups: list[dict[str, Any]] = []
    for group in settings.get("outputGroups", []):
        group_type = group.get("outputGroupSettings", {}).get("type", "")
        event_type = EVENT_GROUP_TYPES.get(group_type, group_type.removesuffix("_SETTINGS"))
        if group_type == "HLS_GROUP_SETTINGS":
            groups.append(
                {
                    "outputDetails": [
                        {
                            "outputFilePaths": [r.playlist_uri],
                            "durationInMs": r.duration_ms,
                            "videoDetails": _video(r.width, r.height, r.video_bitrate),
                        }
                        for r in outputs.renditions
                    ],
                    "type": event_type,
                    "playlistFilePaths": [outputs.master_playlist_uri],
                }
            )
        elif outputs.thumbnail_uris:
            groups.append(
                {
                    "outputDetails": [
                        {
                            "outputFilePaths": [outputs.thumbnail_uris[-1]],
                            "durationInMs": duration_ms,
                            "videoDetails": _video(
                                outputs.thumbnail_width, outputs.thumbnail_height
                            ),
                        }
                    ],
                    "type": event_type,
                }
            )
    return groups


def api_output_group_details(event_groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Job shape's ``outputGroupDetails``: durations and video sizes only."""
    return [
        {"outputDetails": [_api_detail(detail) for detail in group["outputDetails"]]}
        for group in event_groups
    ]


def _api_detail(detail: dict[str, Any]) -> dict[str, Any]:
    api: dict[str, Any] = {"durationInMs": detail["durationInMs"]}
    if "videoDetails" in detail:
        video = detail["videoDetails"]
        api["videoDetails"] = {"widthInPx": video["widthInPx"], "heightInPx": video["heightInPx"]}
    return api

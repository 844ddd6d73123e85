"""CMAF and DASH ISO groups of a job model -> CreateJob ``Settings`` (boto3's PascalCase):
the other half of :mod:`.parse_streaming`, used by :mod:`.render_model`."""

from __future__ import annotations

from typing import Any

from vod_testbed.backends.jobmodel.model import CmafGroup, Cmfc, Mpd, StreamingGroup


def group_settings(group: StreamingGroup) -> dict[str, Any]:
    """The group's ``OutputGroupSettings``."""
    settings: dict[str, Any] = {
        "Destination": group.destination,
        "SegmentLength": group.segment_seconds,
        "FragmentLength": group.fragment_seconds,
        "SegmentControl": "SEGMENTED_FILES",
        "MinBufferTime": group.mpd.min_buffer_ms,
        "MpdManifestBandwidthType": "MAX" if group.mpd.peak_bandwidth else "AVERAGE",
        "MpdProfile": "MAIN_PROFILE",
        "WriteSegmentTimelineInRepresentation": "ENABLED"
        if group.mpd.segment_timeline
        else "DISABLED",
    }
    if not isinstance(group, CmafGroup):
        return {"Type": "DASH_ISO_GROUP_SETTINGS", "DashIsoGroupSettings": settings}
    settings |= {
        "WriteHlsManifest": "ENABLED" if group.write_hls else "DISABLED",
        "WriteDashManifest": "ENABLED" if group.write_dash else "DISABLED",
        "ManifestDurationFormat": "INTEGER" if group.integer_durations else "FLOATING_POINT",
        "TargetDurationCompatibilityMode": "LEGACY"
        if group.round_target_duration_up
        else "SPEC_COMPLIANT",
    }
    return {"Type": "CMAF_GROUP_SETTINGS", "CmafGroupSettings": settings}


def container_settings(container: Cmfc | Mpd, has_audio: bool) -> dict[str, Any]:
    """An output's ``ContainerSettings``: an audio track names its rendition group."""
    if isinstance(container, Mpd):
        return {"Container": "MPD", "MpdSettings": {}}
    cmfc: dict[str, Any] = {"IFrameOnlyManifest": "INCLUDE" if container.iframe_only else "EXCLUDE"}
    if has_audio:
        cmfc["AudioGroupId"] = container.audio_group
    return {"Container": "CMFC", "CmfcSettings": cmfc}

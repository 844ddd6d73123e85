"""CMAF and DASH ISO jobs (boto3's PascalCase) in the shape AWS's console writes them: one
output per track, H.264 video renditions and a separate AAC audio output."""

from __future__ import annotations

from typing import Any

from tests.support.job_examples import AUDIO_SELECTORS, aac


def _video(container: dict[str, Any], modifier: str, width: int, height: int) -> dict[str, Any]:
    return {
        "NameModifier": modifier,
        "ContainerSettings": container,
        "VideoDescription": {
            "Width": width,
            "Height": height,
            "CodecSettings": {
                "Codec": "H_264",
                "H264Settings": {
                    "RateControlMode": "QVBR",
                    "MaxBitrate": 1_000_000,
                    "GopSize": 1,
                    "GopSizeUnits": "SECONDS",
                    "SceneChangeDetect": "DISABLED",
                    "MinIInterval": 0,
                },
            },
        },
    }


def _audio(container: dict[str, Any], modifier: str = "_audio") -> dict[str, Any]:
    return {"NameModifier": modifier, "ContainerSettings": container, "AudioDescriptions": [aac()]}


def _job(source: str, group: dict[str, Any]) -> dict[str, Any]:
    return {
        "Inputs": [{"FileInput": source, "AudioSelectors": AUDIO_SELECTORS, "VideoSelector": {}}],
        "OutputGroups": [group],
    }


def cmaf_job(
    source: str, destination: str, *, iframes: bool = False, **group: Any
) -> dict[str, Any]:
    """Two video renditions and one audio output in a CMAF group (segments 2 s, fragments
    1 s unless ``group`` says otherwise)."""
    cmfc: dict[str, Any] = {"Container": "CMFC", "CmfcSettings": {}}
    top = {
        "Container": "CMFC",
        "CmfcSettings": {"IFrameOnlyManifest": "INCLUDE" if iframes else "EXCLUDE"},
    }
    settings = {"Destination": destination, "SegmentLength": 2, "FragmentLength": 1, **group}
    return _job(
        source,
        {
            "Name": "CMAF",
            "OutputGroupSettings": {"Type": "CMAF_GROUP_SETTINGS", "CmafGroupSettings": settings},
            "Outputs": [
                _video(top, "_360p", 640, 360),
                _video(cmfc, "_180p", 320, 180),
                _audio(cmfc),
            ],
        },
    )


def dash_job(source: str, destination: str, **group: Any) -> dict[str, Any]:
    """One video and one audio output in a DASH ISO group."""
    mpd: dict[str, Any] = {"Container": "MPD", "MpdSettings": {}}
    settings = {"Destination": destination, "SegmentLength": 2, "FragmentLength": 1, **group}
    return _job(
        source,
        {
            "Name": "DASH ISO",
            "OutputGroupSettings": {
                "Type": "DASH_ISO_GROUP_SETTINGS",
                "DashIsoGroupSettings": settings,
            },
            "Outputs": [_video(mpd, "_360p", 640, 360), _audio(mpd)],
        },
    )

"""The job, its output groups, outputs and containers, and file groups."""

from __future__ import annotations

from vod_testbed.backends.mediaconvert.coverage.base import (
    DESTINATION,
    DESTINATION_SETTINGS,
    Coverage,
    approximated,
    honoured,
    ignored,
)

STREAMING_GROUP_TYPES = ("CMAF_GROUP_SETTINGS", "DASH_ISO_GROUP_SETTINGS")
GROUP_TYPES = ("HLS_GROUP_SETTINGS", "FILE_GROUP_SETTINGS", *STREAMING_GROUP_TYPES)

ROWS: dict[str, dict[str, Coverage]] = {
    "JobSettings": {
        "inputs": honoured(note="1 to 150 inputs, stitched in order (docs/inputs-and-audio.md)"),
        "outputGroups": honoured(
            note="HLS, FILE, CMAF and DASH ISO groups in any number and mix (docs/jobs.md)"
        ),
        "timecodeConfig": honoured(
            note="the clock of the outputs' inserted images; timecodes are not written into outputs"
        ),
        "adAvailOffset": ignored(0),
        "followSource": approximated(
            1, note="the first input's picture size and frame rate are the timeline's"
        ),
    },
    "OutputGroup": {
        "name": ignored(),
        "customName": ignored(),
        "outputGroupSettings": honoured(),
        "outputs": honoured(),
        "automatedEncodingSettings": approximated(
            note="HLS groups: a deterministic ladder from the source and the limits (warning)"
        ),
    },
    "OutputGroupSettings": {
        "type": honoured(*GROUP_TYPES),
        "hlsGroupSettings": honoured(),
        "fileGroupSettings": honoured(),
        "cmafGroupSettings": honoured(),
        "dashIsoGroupSettings": honoured(),
    },
    "FileGroupSettings": {
        "destination": DESTINATION,
        "destinationSettings": DESTINATION_SETTINGS,
    },
    "Output": {
        "nameModifier": honoured(
            note="HLS: must start with '_' (the rung name is the rest); files: any, "
            "without format identifiers"
        ),
        "containerSettings": honoured(
            note="M3U8 in HLS groups; MP4 or RAW (frame capture, MP3, WAV) in file groups"
        ),
        "outputSettings": honoured(),
        "videoDescription": honoured(),
        "captionDescriptions": honoured(
            note="HLS: a captions-only output with one WEBVTT description, or BURN_IN on "
            "every video output; files: a captions-only RAW output with one SRT or WEBVTT "
            "description (a sidecar file), or BURN_IN on an MP4 output's video"
        ),
        "audioDescriptions": honoured(
            note="HLS: one AAC description per output, or none in any (video only); MP4: "
            "AAC, AC3 or EAC3 tracks; RAW: one MP3 or WAV track"
        ),
        "extension": honoured(
            note="file outputs; default mp4 for MP4, the codec's for RAW (mp3, wav, jpg), "
            "srt and vtt for sidecar captions"
        ),
    },
    "ContainerSettings": {
        "container": honoured("M3U8", "MP4", "RAW", "CMFC", "MPD"),
        "cmfcSettings": honoured(),
        "mpdSettings": honoured(note="its members are metadata the emulator ignores"),
        "m3u8Settings": ignored(note="transport stream muxer internals (PIDs, PCR, intervals)"),
        "mp4Settings": honoured(),
    },
    "Mp4Settings": {
        "moovPlacement": honoured(note="PROGRESSIVE_DOWNLOAD (the default): moov first"),
        "cslgAtom": ignored(),
        "cttsVersion": ignored(),
        "freeSpaceBox": ignored(),
        "mp4MajorBrand": ignored(),
        "audioDuration": ignored(),
    },
}

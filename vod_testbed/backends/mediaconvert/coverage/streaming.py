"""CMAF and DASH ISO groups (docs/jobs.md, "CMAF and DASH") and their containers."""

from __future__ import annotations

from vod_testbed.backends.mediaconvert.coverage.base import (
    DESTINATION,
    DESTINATION_SETTINGS,
    INTEGER_EXTINF,
    NO_FINAL_SEGMENT_MINIMUM,
    ONLY_EMPTY_LIST,
    TARGET_DURATION_MODE,
    Coverage,
    approximated,
    honoured,
    ignored,
)

# What CMAF and DASH ISO groups share (CmafGroupSettings, DashIsoGroupSettings).
_STREAMING_GROUP: dict[str, Coverage] = {
    "destination": DESTINATION,
    "fragmentLength": honoured(
        note="default 2; a segment holds fragments of this length (one, when longer)"
    ),
    "segmentControl": honoured("SEGMENTED_FILES"),
    "segmentLengthControl": approximated(
        "EXACT", "GOP_MULTIPLE", note="segments are cut on GOPs that divide segmentLength"
    ),
    "minFinalSegmentLength": NO_FINAL_SEGMENT_MINIMUM,
    "mpdProfile": honoured("MAIN_PROFILE", note="urn:mpeg:dash:profile:isoff-main:2011"),
    "minBufferTime": honoured(note="milliseconds; default 30000 (inferred)"),
    "mpdManifestBandwidthType": honoured(
        note="MAX (default): the peak segment bit rate; AVERAGE: the average"
    ),
    "writeSegmentTimelineInRepresentation": honoured(
        note="ENABLED: a SegmentTimeline of the real durations; DISABLED (default): "
        "SegmentTemplate@duration"
    ),
    "ptsOffsetHandlingForBFrames": ignored("ZERO_BASED"),
    "videoCompositionOffsets": ignored(note="ffmpeg writes its own composition offsets"),
    "imageBasedTrickPlay": ignored("NONE"),
    "additionalManifests": ONLY_EMPTY_LIST,
    "destinationSettings": DESTINATION_SETTINGS,
}

# Markers and metadata CMFC and MPD containers accept only when they are off.
_NO_METADATA: dict[str, Coverage] = {
    "scte35Source": ignored("NONE"),
    "scte35Esam": ignored("NONE"),
    "timedMetadata": ignored("NONE"),
    "klvMetadata": ignored("NONE"),
    "manifestMetadataSignaling": ignored("DISABLED"),
    "c2paManifest": ignored("EXCLUDE"),
}

ROWS: dict[str, dict[str, Coverage]] = {
    # -- CMAF and DASH ISO groups (docs/jobs.md, "CMAF and DASH") --------------------------
    "CmafGroupSettings": {
        **_STREAMING_GROUP,
        "segmentLength": honoured(note="default 10"),
        "writeHlsManifest": honoured(
            note="ENABLED (default): <base>.m3u8 and a playlist per output"
        ),
        "writeDashManifest": honoured(note="ENABLED (default): <base>.mpd"),
        "manifestDurationFormat": INTEGER_EXTINF,
        "targetDurationCompatibilityMode": TARGET_DURATION_MODE,
        "streamInfResolution": honoured("INCLUDE"),
        "clientCache": honoured("ENABLED"),
        "manifestCompression": honoured("NONE"),
        "codecSpecification": ignored(note="CODECS are RFC 6381 strings read from the media"),
    },
    "DashIsoGroupSettings": {
        **_STREAMING_GROUP,
        "segmentLength": honoured(note="default 30"),
        "hbbtvCompliance": ignored("NONE"),
        "audioChannelConfigSchemeIdUri": honoured("MPEG_CHANNEL_CONFIGURATION"),
    },
    "CmfcSettings": {
        "iFrameOnlyManifest": honoured(
            "EXCLUDE",
            "INCLUDE",
            note="INCLUDE: <base><modifier>_I-Frame.m3u8 of byte ranges at the real keyframes",
        ),
        "audioGroupId": honoured(note="one group per CMAF group; default program_audio"),
        "audioRenditionSets": ignored(note="every video variant plays the group's audio"),
        "audioTrackType": ignored(
            "ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT",
            "ALTERNATE_AUDIO_AUTO_SELECT",
            note="the first audio output is DEFAULT=YES, every one AUTOSELECT=YES",
        ),
        "audioDuration": ignored("DEFAULT_CODEC_DURATION"),
        "descriptiveVideoServiceFlag": ignored("DONT_FLAG"),
        **_NO_METADATA,
    },
    "MpdSettings": {
        "audioDuration": ignored("DEFAULT_CODEC_DURATION"),
        "accessibilityCaptionHints": ignored("EXCLUDE"),
        **_NO_METADATA,
    },
}

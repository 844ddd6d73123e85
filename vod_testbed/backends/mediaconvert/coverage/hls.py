"""HLS groups and their outputs' settings, image-based trick play included."""

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

ROWS: dict[str, dict[str, Coverage]] = {
    "HlsGroupSettings": {
        "destination": DESTINATION,
        "segmentLength": honoured(note="default 10"),
        "segmentControl": honoured("SEGMENTED_FILES"),
        "manifestDurationFormat": INTEGER_EXTINF,
        "minSegmentLength": honoured(note="only acts around ad avails, which are refused"),
        "directoryStructure": honoured("SINGLE_DIRECTORY"),
        "outputSelection": honoured("MANIFESTS_AND_SEGMENTS"),
        "programDateTime": honoured("EXCLUDE"),
        "programDateTimePeriod": ignored(),
        "streamInfResolution": honoured("INCLUDE"),
        "codecSpecification": ignored(),
        "clientCache": honoured("ENABLED"),
        "manifestCompression": honoured("NONE"),
        "segmentLengthControl": honoured(
            "EXACT",
            "GOP_MULTIPLE",
            note="EXACT needs a GOP that divides segmentLength (AWS's extra I-frames at "
            "segment ends are not reproduced: refused by name); GOP_MULTIPLE rounds each "
            "segment up to the next GOP boundary",
        ),
        "targetDurationCompatibilityMode": TARGET_DURATION_MODE,
        "progressiveWriteHlsManifest": ignored(note="final playlists are identical"),
        "captionLanguageSetting": ignored("OMIT", "NONE"),
        "captionSegmentLengthControl": approximated(
            note="caption segments always follow the video's (MATCH_VIDEO); LARGE_SEGMENTS' "
            "longer caption segments are not reproduced"
        ),
        "audioOnlyHeader": ignored(),
        "timedMetadataId3Frame": ignored(),
        "timedMetadataId3Period": ignored(),
        # Image-based trick play (docs/packaging.md): JPEG tiles, their image playlists
        # and EXT-X-IMAGE-STREAM-INF lines; VARIANTS and FOLLOW_SEGMENTATION are refused.
        "imageBasedTrickPlay": honoured(
            "NONE",
            "THUMBNAIL",
            "THUMBNAIL_AND_FULLFRAME",
            "ADVANCED",
            note="THUMBNAIL: 312 px wide thumbnails in 3x3 tiles, one per GOP; "
            "THUMBNAIL_AND_FULLFRAME adds 1x1 tiles at the largest rendition's size",
        ),
        "imageBasedTrickPlaySettings": honoured(note="read with ADVANCED only, as on AWS"),
        "minFinalSegmentLength": NO_FINAL_SEGMENT_MINIMUM,
        "adMarkers": ONLY_EMPTY_LIST,
        "destinationSettings": DESTINATION_SETTINGS,
        "encryption": honoured(note="AES-128 with a static key (docs/encryption.md)"),
    },
    "HlsImageBasedTrickPlaySettings": {
        "intervalCadence": honoured(
            "FOLLOW_IFRAME",
            "FOLLOW_CUSTOM",
            note="FOLLOW_IFRAME: one thumbnail per GOP of the keyframe grid (default)",
        ),
        "thumbnailInterval": honoured(note="FOLLOW_CUSTOM; rounded to whole frames"),
        "thumbnailWidth": honoured(note="default 312; divisible by 8"),
        "thumbnailHeight": honoured(note="blank keeps the aspect ratio; tile at most 4096 px"),
        "tileWidth": honoured(note="thumbnails per row; default 3"),
        "tileHeight": honoured(note="thumbnails per column; default 3"),
    },
    "OutputSettings": {"hlsSettings": honoured()},
    "HlsSettings": {
        "iFrameOnlyManifest": honoured(
            "EXCLUDE",
            "INCLUDE",
            note="INCLUDE: <name>_I-Frame.m3u8 of byte ranges at the segments' real keyframes",
        ),
        # Audio rendition groups (docs/audio-groups.md).
        "audioGroupId": honoured(
            note="an alternate audio rendition's GROUP-ID; default program_audio"
        ),
        "audioOnlyContainer": approximated(
            note="audio-only segments are MPEG-TS (M2TS); AUTOMATIC's raw AAC is not reproduced"
        ),
        "audioTrackType": honoured(
            "AUDIO_ONLY_VARIANT_STREAM",
            "ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT",
            "ALTERNATE_AUDIO_AUTO_SELECT",
            "ALTERNATE_AUDIO_NOT_AUTO_SELECT",
            note="beside video outputs, ALTERNATE_* make an EXT-X-MEDIA:TYPE=AUDIO rendition "
            "(DEFAULT/AUTOSELECT as named); in a group of audio alone every output is a variant",
        ),
        "audioRenditionSets": honoured(
            note="the audio groups a video output's variants name (AUDIO=), one variant per "
            "group; default program_audio"
        ),
        "descriptiveVideoServiceFlag": ignored("DONT_FLAG"),
        "segmentModifier": honoured(
            note="between the name modifier and the segment number; $dt$, $d$, $t$ are each "
            "segment's completion time"
        ),
    },
}

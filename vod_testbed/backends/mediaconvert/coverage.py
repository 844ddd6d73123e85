"""What the emulator does with each MediaConvert job setting: the settings coverage table.

:data:`SETTINGS_COVERAGE` maps a service-model shape and a wire (camelCase) member to its
treatment: *honoured* (read, and the output follows it), *ignored* (accepted; it tunes
encoder internals or metadata only) or *approximated* (accepted; what the emulator does
instead is in the note). A member the table does not list is refused with a
:class:`SettingsError` naming it: a setting is
never dropped silently. The MediaConvert values the ladder maps onto (AAC bitrates, coding
modes, H.264 profiles) live here too, so the parser and the renderer read one list.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from vod_testbed.backends.mediaconvert.model import ValidationError

AUDIO_SELECTOR = "Audio Selector 1"

# AacSettings.Bitrate: "The set of valid values for this setting is: ..." (service model).
AAC_BITRATES = frozenset(
    {
        6000, 8000, 10000, 12000, 14000, 16000, 20000, 24000, 28000, 32000, 40000, 48000,
        56000, 64000, 80000, 96000, 112000, 128000, 160000, 192000, 224000, 256000, 288000,
        320000, 384000, 448000, 512000, 576000, 640000, 768000, 896000, 1024000,
    }
)  # fmt: skip
# MediaConvert's AAC sample rates (user guide, "AAC support").
AAC_SAMPLE_RATES = frozenset({8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000})
# AacSettings.codingMode -> channels; H264Settings.codecProfile -> the ladder's profile name.
CODING_MODE_CHANNELS = {"CODING_MODE_1_0": 1, "CODING_MODE_2_0": 2}
H264_PROFILES = {"HIGH": "high", "MAIN": "main", "BASELINE": "baseline"}
STREAMING_GROUP_TYPES = ("CMAF_GROUP_SETTINGS", "DASH_ISO_GROUP_SETTINGS")
GROUP_TYPES = ("HLS_GROUP_SETTINGS", "FILE_GROUP_SETTINGS", *STREAMING_GROUP_TYPES)
ENCODER_INTERNAL = "encoder internals; x264 uses its own"


class SettingsError(ValidationError):
    """A setting that MediaConvert accepts but the emulator cannot honour.

    Refused rather than dropped: a job never runs differently from what it asks for
    without saying so.
    """


class Treatment(enum.StrEnum):
    """What the emulator does with an accepted setting."""

    HONOURED = "honoured"  # read, and the output follows it
    IGNORED = "ignored"  # accepted; tunes encoder internals or metadata only
    APPROXIMATED = "approximated"  # accepted; the emulator's behaviour is described in note


@dataclass(frozen=True)
class Coverage:
    """How the emulator treats one setting; ``values`` limits the accepted values."""

    treatment: Treatment
    values: frozenset[Any] | None = None
    note: str = ""


def honoured(*values: Any, note: str = "") -> Coverage:
    """A setting the output follows; ``values``, when given, are the only ones accepted."""
    return Coverage(Treatment.HONOURED, frozenset(values) or None, note)


def ignored(*values: Any, note: str = "") -> Coverage:
    """A setting accepted without effect on the output (encoder internals, metadata)."""
    return Coverage(Treatment.IGNORED, frozenset(values) or None, note)


def approximated(*values: Any, note: str = "") -> Coverage:
    """A setting accepted and emulated approximately; ``note`` says how."""
    return Coverage(Treatment.APPROXIMATED, frozenset(values) or None, note)


# What CMAF and DASH ISO groups share (CmafGroupSettings, DashIsoGroupSettings).
_STREAMING_GROUP: dict[str, Coverage] = {
    "destination": honoured(
        note="a trailing slash takes the base name from the input file; $dt$, $d$, $t$ "
        "and $fn$ resolve when the job starts"
    ),
    "fragmentLength": honoured(
        note="default 2; a segment holds fragments of this length (one, when longer)"
    ),
    "segmentControl": honoured("SEGMENTED_FILES"),
    "segmentLengthControl": approximated(
        "EXACT", "GOP_MULTIPLE", note="segments are cut on GOPs that divide segmentLength"
    ),
    "minFinalSegmentLength": honoured(0, 0.0),
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
    "additionalManifests": ignored((), note="only an empty list"),
    "destinationSettings": ignored(note="S3 ACL, storage class and encryption of the objects"),
}

# Shape name -> wire member name -> treatment. Members not listed are refused.
SETTINGS_COVERAGE: dict[str, dict[str, Coverage]] = {
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
    "Input": {
        "fileInput": honoured(note="s3:// URI (http(s):// inputs are refused)"),
        "audioSelectors": honoured(note="by track, PID or language, or an external file"),
        "audioSelectorGroups": honoured(note="a group's selectors combined as one source"),
        "inputClippings": honoured(
            note="start and end frames included; in order, not overlapping; [] is the whole input"
        ),
        "imageInserter": honoured(note="PNG or TGA images on the input's clock"),
        "videoSelector": honoured(),
        "captionSelectors": honoured(note="sidecar SRT, WEBVTT or SCC files (docs/captions.md)"),
        "timecodeSource": honoured(
            "EMBEDDED", "ZEROBASED", "SPECIFIEDSTART", note="default EMBEDDED (00:00:00:00 without)"
        ),
        "timecodeStart": honoured(note="with SPECIFIEDSTART"),
        "deblockFilter": ignored("DISABLED"),
        "denoiseFilter": ignored("DISABLED"),
        "filterEnable": ignored("AUTO"),
        "filterStrength": ignored(),
        "inputScanType": ignored("AUTO"),
        "psiControl": ignored("USE_PSI"),
    },
    "AudioSelector": {
        "defaultSelection": honoured(note="DEFAULT stands in for a selector the input lacks"),
        "selectorType": honoured("TRACK", "STREAM", "PID", "LANGUAGE_CODE"),
        "tracks": honoured(note="several tracks are combined channel after channel"),
        "streams": honoured(note="as tracks"),
        "pids": honoured(note="MPEG-TS inputs"),
        "languageCode": honoured(note="the first track in that language"),
        "customLanguageCode": honoured(note="as languageCode"),
        "externalAudioFileInput": honoured(note="s3:// file lined up with the input's start"),
        "remixSettings": honoured(),
        "offset": honoured(note="milliseconds; positive is later"),
        "programSelection": ignored(),
        "audioDurationCorrection": ignored("DISABLED", "AUTO"),
    },
    "VideoSelector": {
        "rotate": honoured(
            "AUTO",
            "DEGREE_0",
            "DEGREES_90",
            "DEGREES_180",
            "DEGREES_270",
            note="AUTO turns MP4/MOV, progressive, 4:2:0/4:2:2 sources by their 90/180/270 "
            "metadata; DEGREE_0 (the default) never turns; DEGREES_* turn the stored picture "
            "of any progressive 4:2:0/4:2:2 source clockwise, ignoring its metadata",
        ),
        "colorSpace": ignored("FOLLOW"),
        "colorSpaceUsage": ignored(),
        "sampleRange": ignored("FOLLOW"),
        "alphaBehavior": ignored("DISCARD"),
        "padVideo": ignored("DISABLED"),
        "embeddedTimecodeOverride": ignored("NONE"),
        "selectorType": ignored("AUTO"),
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
    "HlsGroupSettings": {
        "destination": honoured(
            note="a trailing slash takes the base name from the input file; $dt$, $d$, $t$ "
            "and $fn$ resolve when the job starts"
        ),
        "segmentLength": honoured(note="default 10"),
        "segmentControl": honoured("SEGMENTED_FILES"),
        "manifestDurationFormat": honoured(note="INTEGER -> integer EXTINF"),
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
        "targetDurationCompatibilityMode": honoured(
            note="LEGACY (the default) rounds EXT-X-TARGETDURATION up, SPEC_COMPLIANT to the "
            "nearest second"
        ),
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
        "minFinalSegmentLength": honoured(0, 0.0),
        "adMarkers": ignored((), note="only an empty list"),
        "destinationSettings": ignored(note="S3 ACL, storage class and encryption of the objects"),
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
    "FileGroupSettings": {
        "destination": honoured(
            note="a trailing slash takes the base name from the input file; $dt$, $d$, $t$ "
            "and $fn$ resolve when the job starts"
        ),
        "destinationSettings": ignored(note="S3 ACL, storage class and encryption of the objects"),
    },
    # -- CMAF and DASH ISO groups (docs/jobs.md, "CMAF and DASH") --------------------------
    "CmafGroupSettings": {
        **_STREAMING_GROUP,
        "segmentLength": honoured(note="default 10"),
        "writeHlsManifest": honoured(
            note="ENABLED (default): <base>.m3u8 and a playlist per output"
        ),
        "writeDashManifest": honoured(note="ENABLED (default): <base>.mpd"),
        "manifestDurationFormat": honoured(note="INTEGER -> integer EXTINF"),
        "targetDurationCompatibilityMode": honoured(
            note="LEGACY (the default) rounds EXT-X-TARGETDURATION up, SPEC_COMPLIANT to the "
            "nearest second"
        ),
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
        "scte35Source": ignored("NONE"),
        "scte35Esam": ignored("NONE"),
        "timedMetadata": ignored("NONE"),
        "klvMetadata": ignored("NONE"),
        "manifestMetadataSignaling": ignored("DISABLED"),
        "c2paManifest": ignored("EXCLUDE"),
    },
    "MpdSettings": {
        "audioDuration": ignored("DEFAULT_CODEC_DURATION"),
        "accessibilityCaptionHints": ignored("EXCLUDE"),
        "scte35Source": ignored("NONE"),
        "scte35Esam": ignored("NONE"),
        "timedMetadata": ignored("NONE"),
        "klvMetadata": ignored("NONE"),
        "manifestMetadataSignaling": ignored("DISABLED"),
        "c2paManifest": ignored("EXCLUDE"),
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
            "every video output"
        ),
        "audioDescriptions": honoured(
            note="HLS: one AAC description per output, or none in any (video only); MP4: "
            "AAC, AC3 or EAC3 tracks; RAW: one MP3 or WAV track"
        ),
        "extension": honoured(
            note="file outputs; default mp4 for MP4, the codec's for RAW (mp3, wav, jpg)"
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
    "CaptionSelector": {
        "languageCode": honoured(note="the track's LANGUAGE when its description names none"),
        "sourceSettings": honoured(),
    },
    "CaptionSourceSettings": {
        "sourceType": honoured("SRT", "WEBVTT", "SCC", note="sidecar files only"),
        "fileSourceSettings": honoured(),
    },
    "FileSourceSettings": {
        "sourceFile": honoured(note="s3:// URI; UTF-8 text (SCC: ASCII), checked as captions"),
        "timeDelta": honoured(),
        "timeDeltaUnits": honoured(note="default SECONDS"),
        "convert608To708": ignored(note="WebVTT and burn-in carry no 608/708 distinction"),
        "convertPaintToPop": ignored(),
        "framerate": approximated(note="SCC timecodes are read at 29.97 fps"),
    },
    "CaptionDescription": {
        "captionSelectorName": honoured(),
        "destinationSettings": honoured(),
        "languageCode": honoured(note="the manifest's LANGUAGE, lower case"),
        "languageDescription": honoured(note="the manifest's NAME"),
    },
    "CaptionDestinationSettings": {
        "destinationType": honoured("WEBVTT", "BURN_IN"),
        "webvttDestinationSettings": honoured(),
        "burninDestinationSettings": approximated(
            note="drawn by libass in its default style: white text, black outline, centred "
            "at the bottom"
        ),
    },
    "WebvttDestinationSettings": {
        "stylePassthrough": approximated(note="cues are written as plain text with b/i/u"),
        "accessibility": ignored("DISABLED"),
    },
    "BurninDestinationSettings": {
        member: approximated(note="libass's default style")
        for member in (
            "alignment",
            "applyFontColor",
            "backgroundColor",
            "backgroundOpacity",
            "fallbackFont",
            "fontColor",
            "fontOpacity",
            "fontResolution",
            "fontScript",
            "fontSize",
            "hexFontColor",
            "outlineColor",
            "outlineSize",
            "shadowColor",
            "shadowOpacity",
            "shadowXOffset",
            "shadowYOffset",
            "stylePassthrough",
            "teletextSpacing",
            "xPosition",
            "yPosition",
        )
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
    "VideoDescription": {
        "width": honoured(note="required, even for H.264"),
        "height": honoured(note="required, even for H.264"),
        "scalingBehavior": honoured(
            "DEFAULT",
            "FIT_NO_UPSCALE",
            note="DEFAULT -> fit and pad; FIT_NO_UPSCALE -> shrink to fit, never enlarge, "
            "never pad",
        ),
        "codecSettings": honoured(),
        "videoPreprocessors": honoured(),
        "antiAlias": ignored(note="scaler filter choice"),
        "sharpness": ignored(note="scaler filter choice"),
        "afdSignaling": ignored("NONE"),
        "respondToAfd": ignored("NONE"),
        "colorMetadata": ignored(),
        "chromaPositionMode": ignored("AUTO"),
        "dropFrameTimecode": ignored(),
        "timecodeInsertion": ignored("DISABLED"),
        "timecodeTrack": ignored("DISABLED"),
    },
    "VideoPreprocessor": {
        "deinterlacer": honoured(),
        "noiseReducer": approximated(),
        "imageInserter": honoured(
            note="the same images in every video output of the job, on the job's clock"
        ),
    },
    "ImageInserter": {"insertableImages": honoured()},
    "InsertableImage": {
        "imageInserterInput": honoured(note="s3:// PNG or TGA; anything else is ERROR 1010"),
        "imageX": honoured(),
        "imageY": honoured(),
        "width": honoured(),
        "height": honoured(),
        "opacity": honoured(note="default 50"),
        "startTime": honoured(note="blank: the first frame"),
        "duration": honoured(note="includes the fade-in, not the fade-out; blank: to the end"),
        "fadeIn": honoured(),
        "fadeOut": honoured(),
        "layer": honoured(note="higher on top"),
    },
    "InputClipping": {"startTimecode": honoured(), "endTimecode": honoured()},
    "AudioSelectorGroup": {"audioSelectorNames": honoured()},
    "RemixSettings": {
        "channelMapping": honoured(note="dB levels; -60 is mute"),
        "channelsIn": honoured(),
        "channelsOut": honoured(),
    },
    "ChannelMapping": {"outputChannels": honoured()},
    "OutputChannelMapping": {"inputChannels": honoured(), "inputChannelsFineTune": honoured()},
    "AudioNormalizationSettings": {
        "algorithm": approximated(
            note="measured with ffmpeg's gated BS.1770-4 meter whatever the version (warning "
            "for 1770-1 and -2)"
        ),
        "algorithmControl": honoured(note="CORRECT_AUDIO (default): one gain to the target"),
        "targetLkfs": honoured(note="default -24 for 1770-1, else -23"),
        "truePeakLimiterThreshold": approximated(note="a sample-peak limiter"),
        "correctionGateLevel": ignored(note="the gain applies whatever the level"),
        "loudnessLogging": honoured(note="LOG: a CSV beside the outputs"),
        "peakCalculation": honoured(),
    },
    "TimecodeConfig": {
        "source": honoured("EMBEDDED", "ZEROBASED", "SPECIFIEDSTART"),
        "start": honoured(),
        "anchor": ignored(),
        "timestampOffset": ignored(),
    },
    "AutomatedEncodingSettings": {"abrSettings": honoured()},
    "AutomatedAbrSettings": {
        "maxRenditions": honoured(note="default 15"),
        "maxAbrBitrate": honoured(note="default 8000000"),
        "minAbrBitrate": honoured(note="default 600000"),
        "maxQualityLevel": honoured(note="blank: 7"),
        "rules": honoured(),
    },
    "AutomatedAbrRule": {
        "type": honoured(),
        "minTopRenditionSize": honoured(),
        "minBottomRenditionSize": honoured(),
        "forceIncludeRenditions": honoured(),
        "allowedRenditions": honoured(),
    },
    "Deinterlacer": {
        "mode": honoured(
            note="DEINTERLACE (the default) and ADAPTIVE -> FFmpeg's bwdif on interlaced "
            "frames; INVERSE_TELECINE -> fieldmatch and decimate"
        ),
        "algorithm": approximated(
            note="bwdif interpolates; BLEND and the ticker variants with a job warning"
        ),
        "control": honoured(note="FORCE_ALL_FRAMES -> bwdif on every frame"),
    },
    "NoiseReducer": {
        "filter": approximated(
            note="every filter but NONE -> FFmpeg's hqdn3d at its defaults, with a job warning"
        ),
        "filterSettings": ignored(note="hqdn3d keeps its own strength"),
        "spatialFilterSettings": ignored(note="hqdn3d keeps its own strength"),
        "temporalFilterSettings": ignored(note="hqdn3d keeps its own strength"),
    },
    "NoiseReducerFilterSettings": {"strength": ignored()},
    "NoiseReducerSpatialFilterSettings": {
        "postFilterSharpenStrength": ignored(),
        "speed": ignored(),
        "strength": ignored(),
    },
    "NoiseReducerTemporalFilterSettings": {
        "aggressiveMode": ignored(),
        "postTemporalSharpening": ignored(),
        "postTemporalSharpeningStrength": ignored(),
        "speed": ignored(),
        "strength": ignored(),
    },
    "VideoCodecSettings": {
        "codec": honoured("H_264", "H_265", "FRAME_CAPTURE", note="H_265 in file outputs"),
        "h264Settings": honoured(),
        "h265Settings": honoured(),
        "frameCaptureSettings": honoured(),
    },
    "H264Settings": {
        "rateControlMode": honoured(
            note="blank -> CBR: the service model documents no default and requires bitrate "
            "for CBR and VBR"
        ),
        "bitrate": honoured(note="CBR and VBR"),
        "maxBitrate": honoured(note="VBR cap and QVBR cap"),
        "qvbrSettings": honoured(),
        "codecProfile": honoured(*H264_PROFILES, note="default MAIN, the console's default"),
        "gopSize": honoured(note="seconds may be decimal; in HLS it must divide segmentLength"),
        "gopSizeUnits": approximated(
            note="SECONDS honoured; FRAMES converted at a nominal rate; AUTO -> 2 s when it "
            "divides segmentLength, else 1 s"
        ),
        "framerateControl": honoured(
            note="INITIALIZE_FROM_SOURCE: the source's rate (variable rates as MediaConvert "
            "rounds them; above 60 fps halved, with a warning); SPECIFIED: the fraction"
        ),
        "framerateNumerator": honoured(),
        "framerateDenominator": honoured(),
        "interlaceMode": ignored("PROGRESSIVE"),
        "parControl": approximated(
            note="SPECIFIED 1:1 honoured; INITIALIZE_FROM_SOURCE also gives square pixels"
        ),
        "parNumerator": honoured(note="equal to parDenominator (1:1) only"),
        "parDenominator": honoured(),
        "codecLevel": ignored(),
        "qualityTuningLevel": ignored(note=ENCODER_INTERNAL),
        "sceneChangeDetect": approximated(
            note="ENABLED (the default) and TRANSITION_DETECTION -> x264's scene-cut IDRs; "
            "DISABLED -> IDRs only on the GOP grid"
        ),
        "gopClosedCadence": ignored(note="GOPs are always closed"),
        "gopBReference": ignored(note=ENCODER_INTERNAL),
        "numberBFramesBetweenReferenceFrames": ignored(note=ENCODER_INTERNAL),
        "numberReferenceFrames": ignored(note=ENCODER_INTERNAL),
        "minIInterval": honoured(
            note="0 -> IDRs only on the GOP grid; N -> scene-cut IDRs at least N frames "
            "apart; blank -> 6"
        ),
        "dynamicSubGop": ignored(note=ENCODER_INTERNAL),
        "adaptiveQuantization": ignored(note=ENCODER_INTERNAL),
        "spatialAdaptiveQuantization": ignored(note=ENCODER_INTERNAL),
        "temporalAdaptiveQuantization": ignored(note=ENCODER_INTERNAL),
        "flickerAdaptiveQuantization": ignored(note=ENCODER_INTERNAL),
        "entropyEncoding": ignored(note=ENCODER_INTERNAL),
        "slices": ignored(note=ENCODER_INTERNAL),
        "softness": ignored(note=ENCODER_INTERNAL),
        "repeatPps": ignored(note=ENCODER_INTERNAL),
        "hrdBufferSize": honoured(note="x264's VBV buffer; default 1.5 s of the bitrate"),
        "hrdBufferInitialFillPercentage": honoured(note="x264's initial VBV fill; default 90"),
        "hrdBufferFinalFillPercentage": ignored(note=ENCODER_INTERNAL),
        "endOfStreamMarkers": ignored(),
        "unregisteredSeiTimecode": ignored("DISABLED"),
        "framerateConversionAlgorithm": ignored(
            note="frame rate conversion is FFmpeg's fps filter"
        ),
        "scanTypeConversionMode": ignored("INTERLACED"),
        "slowPal": ignored("DISABLED"),
        "telecine": ignored("NONE"),
        "syntax": ignored("DEFAULT"),
        "fieldEncoding": ignored("PAFF"),
        "writeMp4PackagingType": ignored(note="MP4 packaging only"),
    },
    "H265Settings": {
        "rateControlMode": honoured(note="as H264Settings: blank -> CBR"),
        "bitrate": honoured(note="CBR and VBR"),
        "maxBitrate": honoured(note="VBR cap and QVBR cap"),
        "qvbrSettings": honoured(),
        "codecProfile": honoured(
            "MAIN_MAIN", "MAIN_HIGH", "MAIN10_MAIN", "MAIN10_HIGH", note="default MAIN_MAIN"
        ),
        "gopSize": honoured(note="seconds may be decimal"),
        "gopSizeUnits": approximated(note="as H264Settings"),
        "framerateControl": honoured(),
        "framerateNumerator": honoured(),
        "framerateDenominator": honoured(),
        "interlaceMode": ignored("PROGRESSIVE"),
        "parControl": approximated(note="as H264Settings"),
        "parNumerator": honoured(note="equal to parDenominator (1:1) only"),
        "parDenominator": honoured(),
        "codecLevel": ignored(),
        "qualityTuningLevel": ignored(note=ENCODER_INTERNAL),
        "sceneChangeDetect": approximated(note="as H264Settings, with x265's scene cuts"),
        "minIInterval": honoured(note="as H264Settings"),
        "hrdBufferSize": honoured(note="x265's VBV buffer; default 1.5 s of the bitrate"),
        "hrdBufferInitialFillPercentage": honoured(note="x265's initial VBV fill; default 90"),
        "hrdBufferFinalFillPercentage": ignored(note=ENCODER_INTERNAL),
        "writeMp4PackagingType": honoured(
            "HVC1", "HEV1", note="the MP4 sample entry; default HVC1"
        ),
        "adaptiveQuantization": ignored(note=ENCODER_INTERNAL),
        "alternateTransferFunctionSei": ignored("DISABLED"),
        "dynamicSubGop": ignored(note=ENCODER_INTERNAL),
        "flickerAdaptiveQuantization": ignored(note=ENCODER_INTERNAL),
        "gopBReference": ignored(note=ENCODER_INTERNAL),
        "gopClosedCadence": ignored(note="GOPs are always closed"),
        "numberBFramesBetweenReferenceFrames": ignored(note=ENCODER_INTERNAL),
        "numberReferenceFrames": ignored(note=ENCODER_INTERNAL),
        "sampleAdaptiveOffsetFilterMode": ignored(note=ENCODER_INTERNAL),
        "slices": ignored(note=ENCODER_INTERNAL),
        "spatialAdaptiveQuantization": ignored(note=ENCODER_INTERNAL),
        "temporalAdaptiveQuantization": ignored(note=ENCODER_INTERNAL),
        "temporalIds": ignored(note=ENCODER_INTERNAL),
        "tiles": ignored(note=ENCODER_INTERNAL),
        "endOfStreamMarkers": ignored(),
        "unregisteredSeiTimecode": ignored("DISABLED"),
        "framerateConversionAlgorithm": ignored(
            note="frame rate conversion is FFmpeg's fps filter"
        ),
        "scanTypeConversionMode": ignored("INTERLACED"),
        "slowPal": ignored("DISABLED"),
        "telecine": ignored("NONE"),
    },
    "H265QvbrSettings": {
        "qvbrQualityLevel": honoured(note="1..10; mapped onto x265 CRF"),
        "qvbrQualityLevelFineTune": approximated(note="rounded away"),
        "maxAverageBitrate": ignored(note="multi-pass only"),
    },
    "H264QvbrSettings": {
        "qvbrQualityLevel": honoured(note="1..10; mapped onto x264 CRF"),
        "qvbrQualityLevelFineTune": approximated(note="rounded away"),
        "maxAverageBitrate": ignored(note="multi-pass only"),
    },
    "FrameCaptureSettings": {
        "framerateNumerator": honoured(
            note="one capture every denominator / numerator s; default 1/1"
        ),
        "framerateDenominator": honoured(),
        "maxCaptures": honoured(),
        "quality": honoured(),
    },
    "AudioDescription": {
        "audioSourceName": honoured(
            note="a selector or selector group of some input; default Audio Selector 1"
        ),
        "codecSettings": honoured(),
        "remixSettings": honoured(),
        "audioNormalizationSettings": honoured(),
        "audioTypeControl": ignored(),
        "audioType": ignored(),
        "languageCodeControl": ignored(note="the configured code is used whenever it is set"),
        "languageCode": honoured(note="an audio rendition's LANGUAGE, lower case"),
        "customLanguageCode": honoured(note="as languageCode"),
        "streamName": honoured(note="an audio rendition's NAME; default the language's name"),
    },
    "AudioCodecSettings": {
        "codec": honoured("AAC", "AC3", "EAC3", "MP3", "WAV"),
        "aacSettings": honoured(),
        "ac3Settings": honoured(),
        "eac3Settings": honoured(),
        "mp3Settings": honoured(),
        "wavSettings": honoured(),
    },
    "Ac3Settings": {
        "bitrate": honoured(note="default by coding mode (service model, ETSI TS 102 366)"),
        "codingMode": honoured("CODING_MODE_1_0", "CODING_MODE_2_0", "CODING_MODE_3_2_LFE"),
        "sampleRate": honoured(48000),
        "bitstreamMode": ignored(note="metadata"),
        "dialnorm": ignored(note="metadata"),
        "dynamicRangeCompressionLine": ignored(note="metadata"),
        "dynamicRangeCompressionProfile": ignored(note="metadata"),
        "dynamicRangeCompressionRf": ignored(note="metadata"),
        "lfeFilter": ignored(),
        "metadataControl": ignored(),
    },
    "Eac3Settings": {
        "bitrate": honoured(note="default by coding mode (service model, ETSI TS 102 366)"),
        "codingMode": honoured("CODING_MODE_1_0", "CODING_MODE_2_0", "CODING_MODE_3_2"),
        "sampleRate": honoured(48000),
        "attenuationControl": ignored(),
        "bitstreamMode": ignored(note="metadata"),
        "dcFilter": ignored(),
        "dialnorm": ignored(note="metadata"),
        "dynamicRangeCompressionLine": ignored(note="metadata"),
        "dynamicRangeCompressionRf": ignored(note="metadata"),
        "lfeControl": ignored(),
        "lfeFilter": ignored(),
        "loRoCenterMixLevel": ignored(note="metadata"),
        "loRoSurroundMixLevel": ignored(note="metadata"),
        "ltRtCenterMixLevel": ignored(note="metadata"),
        "ltRtSurroundMixLevel": ignored(note="metadata"),
        "metadataControl": ignored(),
        "passthroughControl": ignored("NO_PASSTHROUGH"),
        "phaseControl": ignored(),
        "stereoDownmix": ignored(note="metadata"),
        "surroundExMode": ignored(),
        "surroundMode": ignored(),
    },
    "Mp3Settings": {
        "bitrate": honoured(note="CBR; default 160000"),
        "channels": honoured(1, 2, note="default 2"),
        "rateControlMode": honoured(note="CBR (default) or VBR -> LAME's VBR quality"),
        "sampleRate": honoured(22050, 24000, 32000, 44100, 48000, note="default 48000"),
        "vbrQuality": honoured(note="0..9, LAME's -q:a"),
    },
    "WavSettings": {
        "bitDepth": honoured(16, 24, note="default 16"),
        "channels": honoured(note="1 or even; default 2"),
        "format": honoured("RIFF"),
        "sampleRate": honoured(note="default 48000"),
    },
    "AacSettings": {
        "bitrate": honoured(
            note="within the user guide's AAC table for the profile, coding mode and sample "
            "rate; blank -> 96000 stereo, 64000 mono (the service model gives no value), "
            "or the table's nearest"
        ),
        "sampleRate": honoured(*AAC_SAMPLE_RATES, note="default 48000"),
        "codingMode": honoured(*CODING_MODE_CHANNELS, note="default CODING_MODE_2_0"),
        "codecProfile": approximated(
            "LC",
            "HEV1",
            "HEV2",
            note="HEV1/HEV2 are encoded as AAC-LC at the same bitrate (warning); the guide's "
            "HE-AAC bitrate rows are not checked",
        ),
        "rateControlMode": honoured("CBR"),
        "specification": honoured("MPEG4"),
        "rawFormat": ignored("NONE"),
        "audioDescriptionBroadcasterMix": ignored("NORMAL"),
    },
    # Encrypted HLS (docs/encryption.md). SPEKE, SAMPLE_AES are refused by name.
    "HlsEncryptionSettings": {
        "encryptionMethod": honoured("AES128", note="whole segments, AES-128-CBC"),
        "type": honoured("STATIC_KEY"),
        "staticKeyProvider": honoured(),
        "constantInitializationVector": honoured(note="else each segment's IV is its number"),
        "initializationVectorInManifest": honoured(
            note="INCLUDE (the emulator's default): IV on each EXT-X-KEY; EXCLUDE: none"
        ),
        "offlineEncrypted": honoured("DISABLED", note="ENABLED is FairPlay's session key"),
    },
    "StaticKeyProvider": {
        "staticKeyValue": honoured(note="32 hexadecimal digits: the AES-128 key"),
        "url": honoured(note="EXT-X-KEY's URI, as written"),
        "keyFormat": honoured(note="EXT-X-KEY's KEYFORMAT, when set"),
        "keyFormatVersions": honoured(note="EXT-X-KEY's KEYFORMATVERSIONS, when set"),
    },
}


def coverage_markdown() -> str:
    """:data:`SETTINGS_COVERAGE` as a Markdown table (for the emulator's COVERAGE.md)."""
    lines = ["| shape | setting | treatment | accepted values | note |", "|---|---|---|---|---|"]
    for shape, members in SETTINGS_COVERAGE.items():
        for member, cov in members.items():
            values = ", ".join(sorted(map(str, cov.values))) if cov.values else "any"
            lines.append(f"| {shape} | `{member}` | {cov.treatment} | {values} | {cov.note} |")
    return "\n".join(lines) + "\n"


def check_supported(obj: Mapping[str, Any], shape: str, path: str) -> None:
    """Refuse any member of ``obj`` (a ``shape`` in wire form) that the table does not accept.

    Raises:
        SettingsError: the first member not listed, or with a value not accepted.
    """
    table = SETTINGS_COVERAGE[shape]
    for key, value in obj.items():
        cov = table.get(key)
        where = f"{path}/{key}"
        if cov is None:
            raise SettingsError(where, f"{key} is not supported by the emulator")
        if cov.values is not None:
            probe = tuple(value) if isinstance(value, list) else value
            if not isinstance(probe, Hashable) or probe not in cov.values:
                accepted = ", ".join(sorted(map(repr, cov.values)))
                raise SettingsError(
                    where, f"{value!r} is not supported by the emulator (accepted: {accepted})"
                )

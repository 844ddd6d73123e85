"""Inputs: audio and video selectors, clippings, remixing, timecodes, inserted images,
automated ABR."""

from __future__ import annotations

from vod_testbed.backends.mediaconvert.coverage.base import (
    Coverage,
    honoured,
    ignored,
)

ROWS: dict[str, dict[str, Coverage]] = {
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
    "InputClipping": {"startTimecode": honoured(), "endTimecode": honoured()},
    "AudioSelectorGroup": {"audioSelectorNames": honoured()},
    "RemixSettings": {
        "channelMapping": honoured(note="dB levels; -60 is mute"),
        "channelsIn": honoured(),
        "channelsOut": honoured(),
    },
    "ChannelMapping": {"outputChannels": honoured()},
    "OutputChannelMapping": {"inputChannels": honoured(), "inputChannelsFineTune": honoured()},
    "TimecodeConfig": {
        "source": honoured("EMBEDDED", "ZEROBASED", "SPECIFIEDSTART"),
        "start": honoured(),
        "anchor": ignored(),
        "timestampOffset": ignored(),
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
}

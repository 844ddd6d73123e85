"""Audio descriptions: the AAC, AC3, EAC3, MP3 and WAV codecs and loudness normalization."""

from __future__ import annotations

from vod_testbed.backends.mediaconvert.coverage.base import (
    Coverage,
    approximated,
    honoured,
    ignored,
)

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
# AacSettings.codingMode -> channels.
CODING_MODE_CHANNELS = {"CODING_MODE_1_0": 1, "CODING_MODE_2_0": 2}

ROWS: dict[str, dict[str, Coverage]] = {
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
}

"""Settings of an HLS group with an audio rendition group, as AWS's user guide writes one
("Creating an HLS output group with audio-only outputs"; HlsSettings AudioGroupId,
AudioTrackType, AudioOnlyContainer, AudioRenditionSets in the service model), shared by
the FFmpeg backend, render and emulator tests."""

from __future__ import annotations

from typing import Any

from tests.support.inputs import h264_output, hls_group


def audio_rendition(
    modifier: str,
    selector: str,
    language: str,
    track_type: str,
    bitrate: int = 96_000,
    sample_rate: int = 48_000,
) -> dict[str, Any]:
    """An audio-only HLS output in an audio rendition group, as AWS's user guide writes one
    ("Creating an HLS output group with audio-only outputs": AudioGroupId, AudioTrackType,
    AudioOnlyContainer in HlsSettings; language and name on the audio description)."""
    return {
        "NameModifier": modifier,
        "ContainerSettings": {"Container": "M3U8"},
        "OutputSettings": {
            "HlsSettings": {
                "AudioGroupId": "program_audio",
                "AudioTrackType": track_type,
                "AudioOnlyContainer": "M2TS",
            }
        },
        "AudioDescriptions": [
            {
                "AudioSourceName": selector,
                "LanguageCodeControl": "USE_CONFIGURED",
                "LanguageCode": language,
                "CodecSettings": {
                    "Codec": "AAC",
                    "AacSettings": {
                        "Bitrate": bitrate,
                        "CodingMode": "CODING_MODE_2_0",
                        "SampleRate": sample_rate,
                    },
                },
            }
        ],
    }


def video_only_output(modifier: str, width: int = 320, height: int = 180) -> dict[str, Any]:
    """:func:`h264_output` without audio: a variant that plays an audio group
    (``AudioRenditionSets``)."""
    output = h264_output(modifier, width, height)
    del output["AudioDescriptions"]
    output["OutputSettings"] = {"HlsSettings": {"AudioRenditionSets": "program_audio"}}
    return output


def two_language_settings(source: str, destination: str) -> dict[str, Any]:
    """Two video variants playing an English and a Spanish rendition, each from its own
    selector (by language), the Spanish one at another bit rate and sample rate."""
    return {
        "Inputs": [
            {
                "FileInput": source,
                "AudioSelectors": {
                    "English": {"SelectorType": "LANGUAGE_CODE", "LanguageCode": "ENG"},
                    "Spanish": {"SelectorType": "LANGUAGE_CODE", "LanguageCode": "SPA"},
                },
            }
        ],
        "OutputGroups": [
            hls_group(
                destination,
                video_only_output("_180p"),
                video_only_output("_144p", 256, 144),
                audio_rendition(
                    "_audio_eng", "English", "ENG", "ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT"
                ),
                audio_rendition(
                    "_audio_spa", "Spanish", "SPA", "ALTERNATE_AUDIO_AUTO_SELECT", 64_000, 44_100
                ),
            )
        ],
    }

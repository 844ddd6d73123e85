"""Caption jobs as AWS's user guide sets them up (boto3's PascalCase): sidecar caption
selectors on the input, or its embedded CEA-608 captions; sidecar SRT/WebVTT outputs of a
file group, and a WebVTT rendition in an HLS group (whose rungs may carry segment
modifiers)."""

from __future__ import annotations

from typing import Any

from tests.support.job_examples import AUDIO_SELECTORS, hls_group


def sidecar(modifier: str, destination: str, selector: str = "Captions Selector 1") -> dict:
    """A captions-only output: "each captions track in its own output"."""
    return {
        "NameModifier": modifier,
        "ContainerSettings": {"Container": "RAW"},
        "CaptionDescriptions": [
            {
                "CaptionSelectorName": selector,
                "LanguageCode": "ENG",
                "DestinationSettings": {"DestinationType": destination},
            }
        ],
    }


def captioned_input(source: str, english_srt: str, spanish_vtt: str) -> dict[str, Any]:
    """An input with two sidecar selectors: English SRT, Spanish WebVTT shown 1 s later."""
    return {
        "FileInput": source,
        "AudioSelectors": AUDIO_SELECTORS,
        "CaptionSelectors": {
            "Captions Selector 1": {
                "SourceSettings": {
                    "SourceType": "SRT",
                    "FileSourceSettings": {"SourceFile": english_srt},
                }
            },
            "Captions Selector 2": {
                "LanguageCode": "SPA",
                "SourceSettings": {
                    "SourceType": "WEBVTT",
                    "FileSourceSettings": {"SourceFile": spanish_vtt, "TimeDelta": 1},
                },
            },
        },
    }


def hls_with_captions_and_modifiers(destination: str) -> dict[str, Any]:
    """An HLS group: one rung whose segments take a ``$dt$`` segment modifier, and an
    English WebVTT rendition beside it."""
    group = hls_with_captions(destination)
    rung = group["Outputs"][0]
    rung.setdefault("OutputSettings", {}).setdefault("HlsSettings", {})["SegmentModifier"] = "$dt$"
    return group


def embedded_input(source: str) -> dict[str, Any]:
    """An input whose captions are the CEA-608 captions embedded in its video (CC1)."""
    return {
        "FileInput": source,
        "AudioSelectors": AUDIO_SELECTORS,
        "CaptionSelectors": {
            "Captions Selector 1": {
                "SourceSettings": {
                    "SourceType": "EMBEDDED",
                    "EmbeddedSourceSettings": {"Source608ChannelNumber": 1},
                }
            }
        },
    }


def hls_with_captions(destination: str) -> dict[str, Any]:
    """An HLS group of one rung and an English WebVTT rendition beside it."""
    group = hls_group(destination, ("_360p", 640, 360, 800_000))
    group["OutputGroupSettings"]["HlsGroupSettings"]["SegmentLength"] = 2
    caption = sidecar("_captions_eng", "WEBVTT")
    caption["ContainerSettings"] = {"Container": "M3U8"}
    group["Outputs"].append(caption)
    return group

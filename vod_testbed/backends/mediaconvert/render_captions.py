"""Captions -> CreateJob ``Settings`` (boto3's PascalCase): a ladder's caption tracks, for
:mod:`.render`, and a job model's, for :mod:`.render_model`: sidecar and embedded caption
selectors and the caption descriptions of WebVTT renditions, sidecar SRT/WebVTT files and
burn-in, written so that :mod:`.parse_captions` reads back the same model
(docs/captions.md)."""

from __future__ import annotations

from typing import Any

from vod_testbed.backends.captions import CaptionTrack
from vod_testbed.backends.jobmodel.from_ladder import caption_selector_name
from vod_testbed.backends.jobmodel.model import CaptionDescription, CaptionSelector

# What libass draws by default, which the FFmpeg backend's burn-in uses: white text with a
# thin black outline, centred at the bottom, no box, no shadow.
BURN_IN_STYLE: dict[str, Any] = {
    "Alignment": "CENTERED",
    "FontColor": "WHITE",
    "FontOpacity": 255,
    "OutlineColor": "BLACK",
    "OutlineSize": 2,
    "BackgroundOpacity": 0,
    "ShadowOpacity": 0,
}


# Plain cues, as the FFmpeg backend writes them.
_DESTINATION_SETTINGS: dict[str, tuple[str, dict[str, Any]]] = {
    "WEBVTT": ("WebvttDestinationSettings", {"StylePassthrough": "DISABLED"}),
    "SRT": ("SrtDestinationSettings", {"StylePassthrough": "DISABLED"}),
    "BURN_IN": ("BurninDestinationSettings", BURN_IN_STYLE),
}


def caption_selectors(selectors: tuple[CaptionSelector, ...]) -> dict[str, Any]:
    """``CaptionSelectors`` of sidecar files (TimeDelta in milliseconds, as the model holds
    it) or of the input's embedded CEA-608 captions (channel CC1).

    Raises:
        ValueError: a selector of another source.
    """
    rendered: dict[str, Any] = {}
    for selector in selectors:
        source: dict[str, Any]
        if selector.file is not None:
            source = {
                "SourceType": selector.source_type,
                "FileSourceSettings": {
                    "SourceFile": selector.file,
                    "TimeDelta": selector.time_delta_ms,
                    "TimeDeltaUnits": "MILLISECONDS",
                },
            }
        elif selector.source_type == "EMBEDDED":
            source = {
                "SourceType": "EMBEDDED",
                "EmbeddedSourceSettings": {"Source608ChannelNumber": 1},
            }
        else:
            raise ValueError(
                f"caption selector {selector.name!r}: only sidecar files and embedded "
                "captions are rendered"
            )
        body: dict[str, Any] = {"SourceSettings": source}
        if selector.language:
            body["LanguageCode"] = selector.language.upper()
        rendered[selector.name] = body
    return rendered


def caption_descriptions(descriptions: tuple[CaptionDescription, ...]) -> list[dict[str, Any]]:
    """An output's ``CaptionDescriptions``."""
    rendered = []
    for description in descriptions:
        key, settings = _DESTINATION_SETTINGS[description.destination]
        body: dict[str, Any] = {
            "CaptionSelectorName": description.selector,
            "DestinationSettings": {
                "DestinationType": description.destination,
                key: dict(settings),
            },
        }
        if description.language:
            body["LanguageCode"] = description.language.upper()
        if description.name:
            body["LanguageDescription"] = description.name
        rendered.append(body)
    return rendered


# A ladder's caption tracks (the pipeline's job) ----------------------------------------


def ladder_caption_selectors(tracks: tuple[CaptionTrack, ...]) -> dict[str, Any]:
    """One selector per sidecar file; TimeDelta in milliseconds, as the track holds it."""
    return {
        caption_selector_name(i): {
            "LanguageCode": track.language.upper(),
            "SourceSettings": {
                "SourceType": track.source_format.value,
                "FileSourceSettings": {
                    "SourceFile": track.source_uri,
                    "TimeDelta": track.time_delta_ms,
                    "TimeDeltaUnits": "MILLISECONDS",
                },
            },
        }
        for i, track in enumerate(tracks)
    }


def ladder_caption_output(index: int, track: CaptionTrack) -> dict[str, Any]:
    """A WebVTT caption rendition of the HLS group: an output of its own, captions only."""
    return {
        "NameModifier": track.name_modifier,
        "ContainerSettings": {"Container": "M3U8", "M3u8Settings": {}},
        "OutputSettings": {"HlsSettings": {}},
        "CaptionDescriptions": [
            {
                "CaptionSelectorName": caption_selector_name(index),
                "LanguageCode": track.language.upper(),
                "LanguageDescription": track.name,
                "DestinationSettings": {
                    "DestinationType": "WEBVTT",
                    # Plain cues, as the FFmpeg backend writes them.
                    "WebvttDestinationSettings": {"StylePassthrough": "DISABLED"},
                },
            }
        ],
    }


def ladder_burn_in_descriptions(tracks: tuple[CaptionTrack, ...]) -> list[dict[str, Any]]:
    """The BURN_IN description every rung carries, one per burnt-in track."""
    return [
        {
            "CaptionSelectorName": caption_selector_name(i),
            "LanguageCode": track.language.upper(),
            "DestinationSettings": {
                "DestinationType": "BURN_IN",
                "BurninDestinationSettings": dict(BURN_IN_STYLE),
            },
        }
        for i, track in enumerate(tracks)
        if track.burn_in
    ]

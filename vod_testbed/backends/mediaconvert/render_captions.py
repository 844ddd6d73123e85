"""A job model's captions -> CreateJob ``Settings`` (boto3's PascalCase), for
:mod:`.render_model`: sidecar and embedded caption selectors and the caption descriptions of WebVTT
renditions and sidecar SRT/WebVTT files, written so that :mod:`.parse_captions` reads back
the same model (docs/captions.md)."""

from __future__ import annotations

from typing import Any

from vod_testbed.backends.jobmodel.model import CaptionDescription, CaptionSelector
from vod_testbed.backends.mediaconvert.render import BURN_IN_STYLE

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

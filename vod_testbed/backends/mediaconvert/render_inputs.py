"""The job model's inputs and audio -> CreateJob ``Settings`` (boto3's PascalCase): the
other half of :mod:`.parse_inputs`, for :mod:`.render_model`. Reading the rendered settings
back gives the same model."""

from __future__ import annotations

import math
from typing import Any

from vod_testbed.backends.jobmodel.audio_selection import MUTE_DB
from vod_testbed.backends.jobmodel.inputs import (
    AutomatedAbr,
    InsertedImage,
    LoudnessSettings,
    Remix,
    Resolution,
)
from vod_testbed.backends.jobmodel.model import AudioSelector, Input


def remix(mix: Remix) -> dict[str, Any]:
    """Linear gains as the dB levels of ``InputChannelsFineTune`` (0 is -60, mute)."""
    rows = [
        {"InputChannelsFineTune": [round(20 * math.log10(g), 6) if g > 0 else MUTE_DB for g in row]}
        for row in mix.gains
    ]
    return {
        "ChannelsIn": len(mix.gains[0]) if mix.gains else 0,
        "ChannelsOut": len(mix.gains),
        "ChannelMapping": {"OutputChannels": rows},
    }


def audio_selector(selector: AudioSelector) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "DefaultSelection": "DEFAULT" if selector.default else "NOT_DEFAULT"
    }
    if selector.pids:
        settings.update({"SelectorType": "PID", "Pids": list(selector.pids)})
    elif selector.language:
        settings.update({"SelectorType": "LANGUAGE_CODE", "LanguageCode": selector.language})
    elif selector.tracks:
        settings.update({"SelectorType": "TRACK", "Tracks": list(selector.tracks)})
    if selector.external_file:
        settings["ExternalAudioFileInput"] = selector.external_file
    if selector.offset_ms:
        settings["Offset"] = selector.offset_ms
    if selector.remix is not None:
        settings["RemixSettings"] = remix(selector.remix)
    return settings


def images(found: tuple[InsertedImage, ...]) -> dict[str, Any]:
    rendered = []
    for image in found:
        entry: dict[str, Any] = {
            "ImageInserterInput": image.uri,
            "ImageX": image.x,
            "ImageY": image.y,
            "Opacity": image.opacity,
            "Layer": image.layer,
        }
        optional = {
            "Width": image.width,
            "Height": image.height,
            "StartTime": image.start,
            "Duration": image.duration_ms,
            "FadeIn": image.fade_in_ms or None,
            "FadeOut": image.fade_out_ms or None,
        }
        entry.update({k: v for k, v in optional.items() if v is not None})
        rendered.append(entry)
    return {"InsertableImages": rendered}


def input_settings(source: Input) -> dict[str, Any]:
    """What :mod:`.parse_inputs` reads of an input, besides its file and video selector."""
    settings: dict[str, Any] = {"TimecodeSource": source.timecode_source}
    if source.timecode_start:
        settings["TimecodeStart"] = source.timecode_start
    if source.clippings:
        settings["InputClippings"] = [
            {
                k: v
                for k, v in (("StartTimecode", c.start_timecode), ("EndTimecode", c.end_timecode))
                if v
            }
            for c in source.clippings
        ]
    if source.audio_selectors:
        settings["AudioSelectors"] = {s.name: audio_selector(s) for s in source.audio_selectors}
    if source.audio_selector_groups:
        settings["AudioSelectorGroups"] = {
            g.name: {"AudioSelectorNames": list(g.selectors)} for g in source.audio_selector_groups
        }
    if source.images:
        settings["ImageInserter"] = images(source.images)
    return settings


def loudness(settings: LoudnessSettings) -> dict[str, Any]:
    return {
        "Algorithm": settings.algorithm,
        "AlgorithmControl": "CORRECT_AUDIO" if settings.correct else "MEASURE_ONLY",
        "TargetLkfs": settings.target_lkfs,
        "TruePeakLimiterThreshold": settings.true_peak_limit_db,
        "LoudnessLogging": "LOG" if settings.log else "DONT_LOG",
        "PeakCalculation": "TRUE_PEAK" if settings.true_peak else "NONE",
    }


def _size(size: Resolution) -> dict[str, int]:
    return {"Width": size.width, "Height": size.height}


def automated_abr(abr: AutomatedAbr) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "MaxRenditions": abr.max_renditions,
        "MaxAbrBitrate": abr.max_bitrate,
        "MinAbrBitrate": abr.min_bitrate,
    }
    if abr.max_quality is not None:
        settings["MaxQualityLevel"] = abr.max_quality
    rules: list[dict[str, Any]] = []
    if abr.min_top:
        rules.append({"Type": "MIN_TOP_RENDITION_SIZE", "MinTopRenditionSize": _size(abr.min_top)})
    if abr.min_bottom:
        rules.append(
            {"Type": "MIN_BOTTOM_RENDITION_SIZE", "MinBottomRenditionSize": _size(abr.min_bottom)}
        )
    if abr.force_include:
        rules.append(
            {
                "Type": "FORCE_INCLUDE_RENDITIONS",
                "ForceIncludeRenditions": [_size(s) for s in abr.force_include],
            }
        )
    if abr.allowed is not None:
        rules.append(
            {
                "Type": "ALLOWED_RENDITIONS",
                "AllowedRenditions": [
                    {**_size(s), "Required": "ENABLED" if s in abr.required else "DISABLED"}
                    for s in abr.allowed
                ],
            }
        )
    if rules:
        settings["Rules"] = rules
    return {"AbrSettings": settings}

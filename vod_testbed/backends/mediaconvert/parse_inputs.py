"""Settings (wire form) -> the job model's inputs and audio: clippings and timecode sources,
audio selectors and their groups, remixing, loudness, inserted images, segment modifiers and
automated ABR (docs/ARCHITECTURE.md, "The job model").

Each reader checks what can be refused before any input is read, and raises
:class:`~vod_testbed.backends.mediaconvert.coverage.SettingsError` with the setting's JSON
pointer; what depends on the input (which tracks exist, how long it is) is decided when the
job runs, and ends the job in ERROR (:mod:`vod_testbed.backends.jobmodel.timecodes`,
:mod:`vod_testbed.backends.jobmodel.audio_selection`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vod_testbed.backends.jobmodel.audio_selection import gains_from_db
from vod_testbed.backends.jobmodel.automated_abr import check_rules
from vod_testbed.backends.jobmodel.format_identifiers import (
    DESTINATION_IDENTIFIERS,
    MODIFIER_IDENTIFIERS,
    check_identifiers,
)
from vod_testbed.backends.jobmodel.inputs import (
    EMBEDDED,
    SPECIFIEDSTART,
    AudioSelectorGroup,
    AutomatedAbr,
    InsertedImage,
    LoudnessSettings,
    Remix,
    Resolution,
)
from vod_testbed.backends.jobmodel.model import AudioSelector, Clipping
from vod_testbed.backends.jobmodel.timecodes import ClippingError, Timecode, check_clippings
from vod_testbed.backends.mediaconvert.coverage import SettingsError

MAX_INPUTS = 150  # "You can have up to 150 inputs in a job" (user guide)


def clippings(source: Mapping[str, Any], path: str) -> tuple[Clipping, ...]:
    """``inputClippings``; an empty list is the whole input, as no list is."""
    clips = tuple(
        Clipping(c.get("startTimecode") or None, c.get("endTimecode") or None)
        for c in source.get("inputClippings") or []
    )
    problems = check_clippings(clips, f"{path}/inputClippings")
    if problems:
        where, _, what = problems[0].partition(": ")
        raise SettingsError(where, what)
    return clips


def timecode_source(source: Mapping[str, Any], path: str) -> tuple[str, str | None]:
    """``timecodeSource`` (default EMBEDDED) and ``timecodeStart``."""
    kind = source.get("timecodeSource", EMBEDDED)
    start = source.get("timecodeStart")
    if kind == SPECIFIEDSTART and not start:
        raise SettingsError(
            f"{path}/timecodeStart", "is required when timecodeSource is SPECIFIEDSTART"
        )
    return kind, start


def remix(settings: Mapping[str, Any], path: str) -> Remix:
    """``RemixSettings``: ``channelsOut`` rows of ``channelsIn`` levels in dB (-60..6)."""
    rows = (settings.get("channelMapping") or {}).get("outputChannels") or []
    if not rows:
        raise SettingsError(f"{path}/channelMapping", "outputChannels is a required property")
    if "channelsOut" in settings and settings["channelsOut"] != len(rows):
        raise SettingsError(
            f"{path}/channelsOut",
            f"{settings['channelsOut']} does not match the {len(rows)} outputChannels of "
            "channelMapping",
        )
    levels = []
    for index, row in enumerate(rows):
        where = f"{path}/channelMapping/outputChannels/{index}"
        if "inputChannels" in row and "inputChannelsFineTune" in row:
            raise SettingsError(where, "use inputChannels or inputChannelsFineTune, not both")
        values = row.get("inputChannelsFineTune") or row.get("inputChannels") or []
        if "channelsIn" in settings and len(values) != settings["channelsIn"]:
            raise SettingsError(
                where, f"{len(values)} levels for channelsIn {settings['channelsIn']}"
            )
        levels.append(values)
    return gains_from_db(levels)


def audio_selectors(
    source: Mapping[str, Any], path: str
) -> tuple[tuple[AudioSelector, ...], tuple[AudioSelectorGroup, ...]]:
    """``audioSelectors`` (by track, PID or language; external files; remixing) and
    ``audioSelectorGroups``."""
    selectors = []
    for name, selector in (source.get("audioSelectors") or {}).items():
        where = f"{path}/audioSelectors/{name}"
        kind = selector.get("selectorType", "TRACK")
        language = selector.get("languageCode") or selector.get("customLanguageCode")
        if kind == "LANGUAGE_CODE" and not language:
            raise SettingsError(where, "languageCode is required by selectorType LANGUAGE_CODE")
        if kind == "PID" and not selector.get("pids"):
            raise SettingsError(where, "pids is required by selectorType PID")
        selectors.append(
            AudioSelector(
                name=name,
                tracks=tuple(selector.get("tracks") or selector.get("streams") or ()),
                pids=tuple(selector.get("pids") or ()) if kind == "PID" else (),
                language=language.upper() if kind == "LANGUAGE_CODE" and language else None,
                external_file=selector.get("externalAudioFileInput"),
                offset_ms=int(selector.get("offset", 0)),
                default=selector.get("defaultSelection") == "DEFAULT",
                remix=remix(selector["remixSettings"], f"{where}/remixSettings")
                if selector.get("remixSettings")
                else None,
            )
        )
    names = {s.name for s in selectors}
    groups = []
    for name, group in (source.get("audioSelectorGroups") or {}).items():
        members = tuple(group.get("audioSelectorNames") or ())
        for member in members:
            if member not in names:
                raise SettingsError(
                    f"{path}/audioSelectorGroups/{name}/audioSelectorNames",
                    f"{member!r} is not an audio selector of this input",
                )
        groups.append(AudioSelectorGroup(name, members))
    return tuple(selectors), tuple(groups)


def loudness(settings: Mapping[str, Any]) -> LoudnessSettings:
    """``AudioNormalizationSettings`` with AWS's defaults."""
    algorithm = settings.get("algorithm", "ITU_BS_1770_2")
    default_target = -24.0 if algorithm == "ITU_BS_1770_1" else -23.0
    return LoudnessSettings(
        algorithm=algorithm,
        correct=settings.get("algorithmControl", "CORRECT_AUDIO") == "CORRECT_AUDIO",
        target_lkfs=float(settings.get("targetLkfs", default_target)),
        true_peak_limit_db=float(settings.get("truePeakLimiterThreshold", 0.0)),
        log=settings.get("loudnessLogging", "DONT_LOG") == "LOG",
        true_peak=settings.get("peakCalculation", "NONE") == "TRUE_PEAK",
    )


def images(inserter: Mapping[str, Any], path: str) -> tuple[InsertedImage, ...]:
    """An ``imageInserter``'s images (opacity 50 by default), bottom layer first."""
    found = []
    for index, image in enumerate(inserter.get("insertableImages") or []):
        where = f"{path}/insertableImages/{index}"
        uri = image.get("imageInserterInput")
        if not uri:
            raise SettingsError(where, "imageInserterInput is a required property")
        if not uri.startswith("s3://"):
            raise SettingsError(f"{where}/imageInserterInput", "only s3:// images are supported")
        if not uri.lower().endswith((".png", ".tga")):
            raise SettingsError(
                f"{where}/imageInserterInput", "the image must be a PNG or TGA file"
            )
        for axis in ("imageX", "imageY"):
            if axis not in image:
                raise SettingsError(where, f"{axis} is required for any image overlay")
        if image.get("startTime"):
            try:
                Timecode.parse(image["startTime"])
            except ClippingError as exc:
                raise SettingsError(f"{where}/startTime", str(exc)) from None
        found.append(
            InsertedImage(
                uri=uri,
                x=int(image["imageX"]),
                y=int(image["imageY"]),
                width=image.get("width") or None,
                height=image.get("height") or None,
                opacity=int(image.get("opacity", 50)),
                start=image.get("startTime") or None,
                duration_ms=image.get("duration"),
                fade_in_ms=int(image.get("fadeIn", 0)),
                fade_out_ms=int(image.get("fadeOut", 0)),
                layer=int(image.get("layer", 0)),
            )
        )
    return tuple(sorted(found, key=lambda i: i.layer))


def segment_modifier(hls_settings: Mapping[str, Any], path: str) -> str:
    """``hlsSettings.segmentModifier``, its format identifiers checked (resolved per
    segment when the job runs)."""
    modifier = str(hls_settings.get("segmentModifier") or "")
    problems = check_identifiers(modifier, MODIFIER_IDENTIFIERS, "a segment modifier")
    if problems:
        raise SettingsError(f"{path}/segmentModifier", problems[0])
    if "/" in modifier:
        raise SettingsError(f"{path}/segmentModifier", "must not contain '/'")
    return modifier


def check_destination_identifiers(destination: str, path: str) -> None:
    problems = check_identifiers(destination, DESTINATION_IDENTIFIERS, "a destination")
    if problems:
        raise SettingsError(f"{path}/destination", problems[0])


def _resolution(value: Mapping[str, Any]) -> Resolution:
    return Resolution(int(value["width"]), int(value["height"]))


def automated_abr(group: Mapping[str, Any], path: str) -> AutomatedAbr | None:
    """An output group's ``automatedEncodingSettings.abrSettings`` with AWS's defaults."""
    settings = (group.get("automatedEncodingSettings") or {}).get("abrSettings")
    if settings is None:
        return None
    rules = {rule.get("type"): rule for rule in settings.get("rules") or []}
    allowed = rules.get("ALLOWED_RENDITIONS", {}).get("allowedRenditions")
    abr = AutomatedAbr(
        max_renditions=int(settings.get("maxRenditions", 15)),
        max_bitrate=int(settings.get("maxAbrBitrate", 8_000_000)),
        min_bitrate=int(settings.get("minAbrBitrate", 600_000)),
        max_quality=settings.get("maxQualityLevel"),
        min_top=_resolution(rules["MIN_TOP_RENDITION_SIZE"]["minTopRenditionSize"])
        if "MIN_TOP_RENDITION_SIZE" in rules
        else None,
        min_bottom=_resolution(rules["MIN_BOTTOM_RENDITION_SIZE"]["minBottomRenditionSize"])
        if "MIN_BOTTOM_RENDITION_SIZE" in rules
        else None,
        force_include=tuple(
            _resolution(r)
            for r in rules.get("FORCE_INCLUDE_RENDITIONS", {}).get("forceIncludeRenditions") or []
        ),
        allowed=tuple(_resolution(r) for r in allowed) if allowed is not None else None,
        required=tuple(_resolution(r) for r in allowed or [] if r.get("required") == "ENABLED"),
    )
    problems = check_rules(abr)
    if problems:
        raise SettingsError(f"{path}/automatedEncodingSettings/abrSettings", problems[0])
    return abr

"""What the emulator does with each MediaConvert job setting: the settings coverage table.

:data:`SETTINGS_COVERAGE` maps a service-model shape and a wire (camelCase) member to its
treatment: *honoured* (read, and the output follows it), *ignored* (accepted; it tunes
encoder internals or metadata only) or *approximated* (accepted; what the emulator does
instead is in the note). A member the table does not list is refused with a
:class:`SettingsError` naming it: a setting is
never dropped silently. The MediaConvert values the ladder maps onto (AAC bitrates, coding
modes, H.264 profiles) live here too, so the parser and the renderer read one list.

The rows live by settings family in this package's modules; this one assembles the table.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from vod_testbed.backends.mediaconvert.coverage import (
    audio,
    captions,
    encryption,
    hls,
    inputs,
    outputs,
    streaming,
    video,
)
from vod_testbed.backends.mediaconvert.coverage.audio import (
    AAC_BITRATES,
    AAC_SAMPLE_RATES,
    AUDIO_SELECTOR,
    CODING_MODE_CHANNELS,
)
from vod_testbed.backends.mediaconvert.coverage.base import (
    ENCODER_INTERNAL,
    Coverage,
    SettingsError,
    Treatment,
    approximated,
    honoured,
    ignored,
)
from vod_testbed.backends.mediaconvert.coverage.outputs import GROUP_TYPES, STREAMING_GROUP_TYPES
from vod_testbed.backends.mediaconvert.coverage.video import H264_PROFILES

__all__ = [
    "AAC_BITRATES",
    "AAC_SAMPLE_RATES",
    "AUDIO_SELECTOR",
    "CODING_MODE_CHANNELS",
    "ENCODER_INTERNAL",
    "GROUP_TYPES",
    "H264_PROFILES",
    "SETTINGS_COVERAGE",
    "STREAMING_GROUP_TYPES",
    "Coverage",
    "SettingsError",
    "Treatment",
    "approximated",
    "check_supported",
    "coverage_markdown",
    "honoured",
    "ignored",
]

_FAMILIES = (outputs, inputs, hls, streaming, video, audio, captions, encryption)
_ROWS = {shape: members for family in _FAMILIES for shape, members in family.ROWS.items()}
# The table's shapes in the order COVERAGE.md's readers know (coverage_markdown's rows).
_ORDER = (
    "JobSettings",
    "Input",
    "AudioSelector",
    "VideoSelector",
    "OutputGroup",
    "OutputGroupSettings",
    "HlsGroupSettings",
    "HlsImageBasedTrickPlaySettings",
    "FileGroupSettings",
    "CmafGroupSettings",
    "DashIsoGroupSettings",
    "CmfcSettings",
    "MpdSettings",
    "Output",
    "ContainerSettings",
    "Mp4Settings",
    "CaptionSelector",
    "CaptionSourceSettings",
    "FileSourceSettings",
    "EmbeddedSourceSettings",
    "CaptionDescription",
    "CaptionDestinationSettings",
    "WebvttDestinationSettings",
    "SrtDestinationSettings",
    "BurninDestinationSettings",
    "OutputSettings",
    "HlsSettings",
    "VideoDescription",
    "VideoPreprocessor",
    "ImageInserter",
    "InsertableImage",
    "InputClipping",
    "AudioSelectorGroup",
    "RemixSettings",
    "ChannelMapping",
    "OutputChannelMapping",
    "AudioNormalizationSettings",
    "TimecodeConfig",
    "AutomatedEncodingSettings",
    "AutomatedAbrSettings",
    "AutomatedAbrRule",
    "Deinterlacer",
    "NoiseReducer",
    "NoiseReducerFilterSettings",
    "NoiseReducerSpatialFilterSettings",
    "NoiseReducerTemporalFilterSettings",
    "VideoCodecSettings",
    "H264Settings",
    "H265Settings",
    "H265QvbrSettings",
    "H264QvbrSettings",
    "FrameCaptureSettings",
    "AudioDescription",
    "AudioCodecSettings",
    "Ac3Settings",
    "Eac3Settings",
    "Mp3Settings",
    "WavSettings",
    "AacSettings",
    "HlsEncryptionSettings",
    "StaticKeyProvider",
)
# Each shape in exactly one family and in the order: never a row lost or overridden.
if sorted(_ORDER) != sorted(s for family in _FAMILIES for s in family.ROWS):
    raise RuntimeError("a coverage shape is missing from _ORDER or listed by two families")

# Shape name -> wire member name -> treatment. Members not listed are refused.
SETTINGS_COVERAGE: dict[str, dict[str, Coverage]] = {shape: _ROWS[shape] for shape in _ORDER}


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

"""Audio rendition groups in Settings -> the job model (docs/audio-groups.md).

An HLS group with video outputs and audio-only outputs: each audio-only output's
``HlsSettings.AudioTrackType`` makes it an alternate rendition of its ``AudioGroupId`` or a
variant of its own, and each video output's ``AudioRenditionSets`` names the groups its
variants play with. What the service model's documentation of those settings says is
checked here, by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from vod_testbed.backends.jobmodel.audio_groups import DEFAULT_GROUP_ID
from vod_testbed.backends.jobmodel.model import AudioRenditionSettings, Output
from vod_testbed.backends.mediaconvert.coverage import SettingsError

VARIANT = "AUDIO_ONLY_VARIANT_STREAM"
DEFAULT_TRACK_TYPE = "ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT"


def _hls_settings(output: Mapping[str, Any]) -> Mapping[str, Any]:
    return (output.get("outputSettings") or {}).get("hlsSettings") or {}


def with_audio_groups(
    wire_outputs: Sequence[Mapping[str, Any]],
    outputs: Sequence[Output],
    path: str,
    warn: Callable[[str, str], None],
) -> list[Output]:
    """The group's outputs with their audio rendition settings; unchanged for a group
    without video (an audio-only ladder) or without audio-only outputs.

    Raises:
        SettingsError: a video output with audio of its own beside audio renditions, a
            track type left out where several audio-only outputs need it, a rendition set
            naming a group no output is in, a segment modifier on an audio-only output.
    """
    videos = [i for i, o in enumerate(outputs) if o.video is not None]
    audio = [i for i, o in enumerate(outputs) if o.video is None and o.audio]
    if not videos or not audio:
        return list(outputs)
    result = list(outputs)
    groups: dict[str, list[int]] = {}
    for index in audio:
        hls = _hls_settings(wire_outputs[index])
        hpath = f"{path}/outputs/{index}/outputSettings/hlsSettings"
        if hls.get("segmentModifier"):
            raise SettingsError(
                f"{hpath}/segmentModifier",
                "is not supported by the emulator on an audio-only output beside video outputs",
            )
        if "audioTrackType" not in hls and len(audio) > 1:
            # HlsSettings.AudioTrackType: "When there is more than one variant in your
            # output group, you must explicitly choose a value for this setting."
            raise SettingsError(
                f"{hpath}/audioTrackType",
                "is required when the HLS group has more than one audio-only output",
            )
        track_type = hls.get("audioTrackType", DEFAULT_TRACK_TYPE)
        if track_type == VARIANT:
            continue
        settings = AudioRenditionSettings(hls.get("audioGroupId", DEFAULT_GROUP_ID), track_type)
        groups.setdefault(settings.group_id, []).append(index)
        result[index] = replace(outputs[index], audio_rendition=settings)
    for name, members in groups.items():
        defaults = [i for i in members if result[i].audio_rendition.default]  # type: ignore[union-attr]
        if len(defaults) > 1:
            # AudioTrackType: "Choose this value for only one variant in your output group."
            warn(
                f"{path}/outputs/{defaults[1]}/outputSettings/hlsSettings/audioTrackType",
                f'audio group "{name}" has {len(defaults)} DEFAULT=YES renditions; '
                "players take the first",
            )
    if not groups:
        return result
    for index in videos:
        opath = f"{path}/outputs/{index}"
        if outputs[index].audio:
            raise SettingsError(
                f"{opath}/audioDescriptions",
                "a video output beside audio renditions carries no audio of its own in the "
                "emulator (its variants play the audio group)",
            )
        wanted = _hls_settings(wire_outputs[index]).get("audioRenditionSets")
        sets = tuple(s.strip() for s in wanted.split(",") if s.strip()) if wanted else ()
        unknown = [s for s in sets or (DEFAULT_GROUP_ID,) if s not in groups]
        if unknown:
            raise SettingsError(
                f"{opath}/outputSettings/hlsSettings/audioRenditionSets",
                f"names audio group(s) {', '.join(unknown)} that no audio-only output of the "
                f"group is in (groups: {', '.join(groups)})",
            )
        result[index] = replace(outputs[index], audio_rendition_sets=sets)
    return result

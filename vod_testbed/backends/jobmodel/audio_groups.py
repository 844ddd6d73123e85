"""Audio rendition groups of an HLS group (docs/audio-groups.md).

An HLS group with video outputs may also hold audio-only outputs. MediaConvert lists each
one in the multivariant playlist by its ``AudioTrackType``: an alternate rendition
(``EXT-X-MEDIA:TYPE=AUDIO`` of its ``AudioGroupId``) that the video variants name with
``AUDIO=`` (their ``AudioRenditionSets``), or a variant of its own
(``AUDIO_ONLY_VARIANT_STREAM``). The video outputs alone are still a ladder; the audio-only
outputs beside them are what this module names.
"""

from __future__ import annotations

from dataclasses import replace

from vod_testbed.backends.jobmodel.model import HlsGroup, Output

# HlsSettings.AudioGroupId and AudioRenditionSets when the settings leave them out.
DEFAULT_GROUP_ID = "program_audio"


def audio_outputs(group: HlsGroup) -> tuple[Output, ...]:
    """The audio-only outputs of a group that has video outputs; none for a group of audio
    alone (an audio-only ladder, whose outputs are all variants)."""
    if not any(o.video is not None for o in group.outputs):
        return ()
    return tuple(o for o in group.outputs if o.video is None and o.audio)


def video_part(group: HlsGroup) -> HlsGroup:
    """The group without its audio-only outputs: the ladder the video outputs make."""
    audio = audio_outputs(group)
    if not audio:
        return group
    return replace(group, outputs=tuple(o for o in group.outputs if o not in audio))


def rendition_sets(output: Output) -> tuple[str, ...]:
    """The audio groups a video output's variants name (AWS's default: program_audio)."""
    return output.audio_rendition_sets or (DEFAULT_GROUP_ID,)


def alternate_groups(group: HlsGroup) -> dict[str, tuple[Output, ...]]:
    """Each audio group's alternate renditions, in the settings' order."""
    groups: dict[str, list[Output]] = {}
    for output in audio_outputs(group):
        if output.audio_rendition is not None:
            groups.setdefault(output.audio_rendition.group_id, []).append(output)
    return {name: tuple(outputs) for name, outputs in groups.items()}

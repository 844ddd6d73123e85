"""Audio rendition groups of a job model -> Settings (docs/audio-groups.md): what
:mod:`.parse_audio_groups` reads, written back so that a rendered model reads back as
itself."""

from __future__ import annotations

from functools import cache
from typing import Any

from vod_testbed.backends.jobmodel.model import AudioDescription, Output
from vod_testbed.backends.mediaconvert.model import shape


@cache
def _language_codes() -> frozenset[str]:
    """MediaConvert's ``LanguageCode`` enum; any other three letters are a
    ``CustomLanguageCode``."""
    codes: list[str] = shape("LanguageCode").enum  # type: ignore[attr-defined]
    return frozenset(codes)


def language_and_name(description: AudioDescription) -> dict[str, Any]:
    """An audio description's language (as configured) and stream name."""
    rendered: dict[str, Any] = {}
    if description.language:
        key = "LanguageCode" if description.language in _language_codes() else "CustomLanguageCode"
        rendered.update({"LanguageCodeControl": "USE_CONFIGURED", key: description.language})
    if description.stream_name:
        rendered["StreamName"] = description.stream_name
    return rendered


def hls_settings(output: Output) -> dict[str, Any]:
    """An HLS output's audio group members of ``HlsSettings``: an audio-only output is an
    alternate rendition of its group or a variant of its own (MPEG-TS segments, as the
    emulator writes them); a video output names its audio groups."""
    if output.video is None and output.audio:
        settings: dict[str, Any] = {"AudioOnlyContainer": "M2TS"}
        rendition = output.audio_rendition
        if rendition is None:
            settings["AudioTrackType"] = "AUDIO_ONLY_VARIANT_STREAM"
        else:
            settings.update(
                {"AudioGroupId": rendition.group_id, "AudioTrackType": rendition.track_type}
            )
        return settings
    if output.audio_rendition_sets:
        return {"AudioRenditionSets": ",".join(output.audio_rendition_sets)}
    return {}

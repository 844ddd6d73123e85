"""An HLS group read into the job model (see :mod:`.parse` for the job around it): the
emulator runs it as a ladder, so its video outputs must be one (docs/jobs.md); audio-only
outputs and caption outputs beside them, encryption, trick play and automated ABR.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.jobmodel.audio_groups import video_part
from vod_testbed.backends.jobmodel.codecs import H264, H265, Aac
from vod_testbed.backends.jobmodel.ladder import hls_group_ladder
from vod_testbed.backends.jobmodel.model import HlsGroup, Input, M3u8, Output, VideoDescription
from vod_testbed.backends.mediaconvert import parse_inputs
from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported
from vod_testbed.backends.mediaconvert.parse_audio import audio_descriptions
from vod_testbed.backends.mediaconvert.parse_audio_groups import with_audio_groups
from vod_testbed.backends.mediaconvert.parse_captions import (
    caption_descriptions,
    caption_output,
    is_caption_output,
)
from vod_testbed.backends.mediaconvert.parse_codecs import (
    same_in_every_output,
    video_box,
    video_codec,
    video_preprocessors,
)
from vod_testbed.backends.mediaconvert.parse_context import (
    GroupContext,
    check_remix,
    group_settings,
)
from vod_testbed.backends.mediaconvert.parse_encryption import hls_encryption
from vod_testbed.backends.mediaconvert.trickplay import read_trick_play


def hls_group(group: Mapping[str, Any], path: str, source: Input, ctx: GroupContext) -> HlsGroup:
    """An HLS group; the emulator runs it as a ladder, so its outputs must be one: H.264
    on one keyframe grid and frame rate, the same AAC format (or none) in each."""
    hls, gpath = group_settings(group, path, "hlsGroupSettings", "HlsGroupSettings")
    destination = ctx.destination(hls, gpath)
    folder, base = naming.split_destination(destination)
    master = naming.join_uri(folder, naming.master_playlist_name(base))
    ctx.claim(master, f"{gpath}/destination")
    segment_seconds = int(hls.get("segmentLength", 10))
    # GOP_MULTIPLE rounds segments up to the GOP: any GOP fits (jobmodel.ladder).
    gop_multiple = hls.get("segmentLengthControl", "EXACT") == "GOP_MULTIPLE"
    outputs: list[Output] = []
    modifiers: set[str] = set()
    for index, output in enumerate(group["outputs"]):
        opath = f"{path}/outputs/{index}"
        modifier = _rung_modifier(output, opath, len(group["outputs"]), modifiers)
        if is_caption_output(output):
            _hls_container(output, opath)
            outputs.append(caption_output(output, opath, modifier, ctx.captions))
            continue
        if not output.get("videoDescription"):
            outputs.append(_audio_only_output(output, opath, modifier, ctx))
            continue
        outputs.append(
            _hls_output(
                output,
                opath,
                None if gop_multiple else segment_seconds,
                modifier,
                ctx,
                automated="automatedEncodingSettings" in group,
            )
        )
    videos = [o for o in outputs if o.video is not None]
    if videos:
        _same_across_outputs(videos, path)
    outputs = with_audio_groups(group["outputs"], outputs, path, ctx.warn)
    encryption = hls_encryption(hls.get("encryption"), f"{gpath}/encryption")
    if encryption is not None and any(
        isinstance(o.container, M3u8) and o.container.iframe_only for o in outputs
    ):
        raise SettingsError(
            f"{gpath}/encryption",
            "I-frame-only playlists of encrypted segments are not supported by the emulator",
        )
    abr = parse_inputs.automated_abr(group, path)
    if abr is not None:
        settings = group["automatedEncodingSettings"]
        check_supported(settings, "AutomatedEncodingSettings", f"{path}/automatedEncodingSettings")
        apath = f"{path}/automatedEncodingSettings/abrSettings"
        check_supported(settings["abrSettings"], "AutomatedAbrSettings", apath)
        for number, rule in enumerate(settings["abrSettings"].get("rules") or []):
            check_supported(rule, "AutomatedAbrRule", f"{apath}/rules/{number}")
    parsed = HlsGroup(
        destination=destination,
        outputs=tuple(outputs),
        segment_seconds=segment_seconds,
        integer_durations=hls.get("manifestDurationFormat", "FLOATING_POINT") == "INTEGER",
        round_target_duration_up=hls.get("targetDurationCompatibilityMode", "LEGACY") == "LEGACY",
        gop_multiple_segments=gop_multiple,
        automated_abr=abr,
        trick_play=read_trick_play(hls, gpath, "HlsImageBasedTrickPlaySettings"),
        encryption=encryption,
    )
    try:
        # Audio-only outputs beside video ones are its audio renditions, not rungs.
        ladder = hls_group_ladder(video_part(parsed), source, strict=True)
    except ValueError as exc:
        raise SettingsError(path, str(exc)) from exc
    if ladder is None:
        raise SettingsError(path, "the HLS group is not one the emulator can run as a ladder")
    return parsed


def _hls_output(
    output: Mapping[str, Any],
    opath: str,
    segment_seconds: int | None,
    modifier: str,
    ctx: GroupContext,
    *,
    automated: bool = False,
) -> Output:
    if "extension" in output:
        raise SettingsError(f"{opath}/extension", "only file outputs take an extension")
    container = _hls_container(output, opath)
    # Automated ABR chooses each rendition's size; an output box only caps it (a blank
    # one means the source's; docs/inputs-and-audio.md, "Automated ABR").
    box = video_box(output, opath, codecs=("H_264", "H_265"), box_required=not automated)
    vpath = f"{opath}/videoDescription"
    description = output["videoDescription"]
    audio = audio_descriptions(output, opath, ctx.selectors)
    for index, settings in enumerate(output.get("audioDescriptions") or []):
        check_remix(
            settings.get("remixSettings"), f"{opath}/audioDescriptions/{index}/remixSettings"
        )
        loudness = settings.get("audioNormalizationSettings")
        if loudness is not None:
            check_supported(
                loudness,
                "AudioNormalizationSettings",
                f"{opath}/audioDescriptions/{index}/audioNormalizationSettings",
            )
    if len(audio) > 1:
        raise SettingsError(f"{opath}/audioDescriptions/1", "only one audio description per output")
    if audio and not isinstance(audio[0].codec, Aac):
        raise SettingsError(
            f"{opath}/audioDescriptions/0/codecSettings/codec",
            f"{audio[0].codec.codec} in HLS outputs is not supported by the emulator (AAC is)",
        )
    hls_settings = (output.get("outputSettings") or {}).get("hlsSettings") or {}
    codec = video_codec(description, vpath, segment_seconds, ctx.warn)
    if isinstance(codec, H265) and codec.profile != "main":
        raise SettingsError(
            f"{vpath}/codecSettings/h265Settings/codecProfile",
            "only 8-bit Main H.265 is written in HLS groups by the emulator",
        )
    return Output(
        container,
        modifier,
        segment_modifier=parse_inputs.segment_modifier(
            hls_settings, f"{opath}/outputSettings/hlsSettings"
        ),
        video=VideoDescription(
            codec=codec,
            width=box.width,
            height=box.height,
            scaling=box.upscale,
            preprocessors=video_preprocessors(description, vpath, ctx.warn),
        ),
        audio=audio,
        captions=caption_descriptions(output, opath, ctx.captions),
    )


def _audio_only_output(
    output: Mapping[str, Any], opath: str, modifier: str, ctx: GroupContext
) -> Output:
    """An HLS output of sound alone (one AAC description): an audio-only variant."""
    _hls_container(output, opath)
    audio = audio_descriptions(output, opath, ctx.selectors)
    if len(audio) != 1 or not isinstance(audio[0].codec, Aac):
        raise SettingsError(
            f"{opath}/audioDescriptions",
            "an audio-only HLS output needs exactly one AAC audio description",
        )
    return Output(M3u8(), modifier, audio=audio)


def _same_across_outputs(outputs: list[Output], path: str) -> None:
    """The renditions of one HLS group share one decode, keyframe grid, frame rate and
    scaling (each has its own AAC settings): refuse outputs that differ."""
    first = outputs[0]
    for index, output in enumerate(outputs[1:], start=1):
        opath = f"{path}/outputs/{index}"
        assert first.video is not None and output.video is not None
        assert isinstance(first.video.codec, H264 | H265)
        assert isinstance(output.video.codec, H264 | H265)
        same_in_every_output(
            _grid(first.video.codec),
            _grid(output.video.codec),
            f"{opath}/videoDescription/codecSettings/h264Settings",
        )
        if bool(output.audio) != bool(first.audio):
            raise SettingsError(
                f"{opath}/audioDescriptions",
                "every output of the HLS group needs audio, or none does",
            )
        if output.video.scaling is not first.video.scaling:
            raise SettingsError(
                f"{opath}/videoDescription/scalingBehavior",
                "every output of the HLS group needs the same scalingBehavior",
            )
        if output.video.preprocessors != first.video.preprocessors:
            raise SettingsError(
                f"{opath}/videoDescription/videoPreprocessors",
                "every output of the HLS group needs the same deinterlacer and noise reducer",
            )


def _rung_modifier(output: Mapping[str, Any], path: str, count: int, seen: set[str]) -> str:
    check_supported(output, "Output", path)
    modifier = output.get("nameModifier")
    if modifier is None:
        # One output without a modifier would write its variant playlist over the
        # multivariant one; MediaConvert requires modifiers with several outputs.
        reason = (
            "is required when the group has several outputs"
            if count > 1
            else "is required by the emulator: the rung name comes from it"
        )
        raise SettingsError(path, f"nameModifier {reason}")
    if not modifier.startswith("_") or len(modifier) < 2:
        raise SettingsError(
            f"{path}/nameModifier",
            f"{modifier!r}: the emulator needs modifiers of the form '_<rung name>' "
            "(the ladder derives file names as base + '_' + rung name)",
        )
    if "$" in modifier or "/" in modifier:
        raise SettingsError(f"{path}/nameModifier", "format identifiers and '/' are not supported")
    if modifier in seen:
        raise SettingsError(
            f"{path}/nameModifier", f"{modifier!r} is used by another output of the group"
        )
    seen.add(modifier)
    return str(modifier)


def _hls_container(output: Mapping[str, Any], path: str) -> M3u8:
    container_settings = output.get("containerSettings")
    if container_settings is None:
        raise SettingsError(path, "containerSettings is a required property")
    cpath = f"{path}/containerSettings"
    check_supported(container_settings, "ContainerSettings", cpath)
    if container_settings.get("container") != "M3U8":
        raise SettingsError(f"{cpath}/container", "HLS outputs must use the M3U8 container")
    output_settings = output.get("outputSettings") or {}
    check_supported(output_settings, "OutputSettings", f"{path}/outputSettings")
    check_supported(
        output_settings.get("hlsSettings") or {},
        "HlsSettings",
        f"{path}/outputSettings/hlsSettings",
    )
    hls_settings = output_settings.get("hlsSettings") or {}
    return M3u8(iframe_only=hls_settings.get("iFrameOnlyManifest", "EXCLUDE") == "INCLUDE")


def _grid(codec: H264 | H265) -> dict[str, Any]:
    return {
        "gop_seconds": codec.gop.seconds,
        "scene_cut_min_frames": codec.gop.scene_cut_min_frames,
        "frame_rate": codec.frame_rate,
    }

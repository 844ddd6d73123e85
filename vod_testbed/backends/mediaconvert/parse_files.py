"""A file group and its outputs read into the job model (see :mod:`.parse` for the job around
them): MP4 files (H.264 or H.265 video and AAC/AC3/EAC3 audio, or audio alone), MP3 and
WAV files (no container), and JPEG frame captures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.jobmodel import names
from vod_testbed.backends.jobmodel.codecs import Mp3, Wav
from vod_testbed.backends.jobmodel.model import FileGroup, Mp4, Output, Raw, VideoDescription
from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported
from vod_testbed.backends.mediaconvert.parse_audio import audio_descriptions
from vod_testbed.backends.mediaconvert.parse_captions import (
    caption_descriptions,
    is_caption_output,
    sidecar_output,
)
from vod_testbed.backends.mediaconvert.parse_captures import frame_capture_output
from vod_testbed.backends.mediaconvert.parse_codecs import (
    Warn,
    video_box,
    video_codec,
    video_preprocessors,
)
from vod_testbed.backends.mediaconvert.parse_context import GroupContext, group_settings

# Audio codecs an MP4 file carries (ISO BMFF sample entries mp4a, ac-3, ec-3).
MP4_AUDIO = ("AAC", "AC3", "EAC3")


def file_output(
    output: Mapping[str, Any], path: str, selectors: tuple[str, ...], warn: Warn
) -> Output:
    """One output of a FILE group.

    Raises:
        SettingsError: a container, codec or setting the emulator cannot honour, named.
    """
    check_supported(output, "Output", path)
    container_settings = output.get("containerSettings")
    if container_settings is None:
        raise SettingsError(path, "containerSettings is a required property")
    cpath = f"{path}/containerSettings"
    container = container_settings.get("container")
    if container not in ("MP4", "RAW"):
        raise SettingsError(
            f"{cpath}/container",
            f"{container} file outputs are not supported by the emulator (MP4 and RAW are)",
        )
    check_supported(container_settings, "ContainerSettings", cpath)
    modifier = output.get("nameModifier", "")
    if "$" in modifier or "/" in modifier:
        raise SettingsError(f"{path}/nameModifier", "format identifiers and '/' are not supported")
    codec = ((output.get("videoDescription") or {}).get("codecSettings") or {}).get("codec")
    if container == "RAW" and codec == "FRAME_CAPTURE":
        return frame_capture_output(output, path)
    if "outputSettings" in output:
        raise SettingsError(f"{path}/outputSettings", "does not apply to file outputs")
    audio = audio_descriptions(output, path, selectors)
    if container == "RAW":
        if "videoDescription" in output or len(audio) != 1:
            raise SettingsError(
                path,
                "an output without a container is a frame capture or one MP3 or WAV track "
                "for the emulator",
            )
        if not isinstance(audio[0].codec, Mp3 | Wav):
            raise SettingsError(
                f"{path}/audioDescriptions/0/codecSettings/codec",
                f"{audio[0].codec.codec} without a container is not supported by the emulator "
                "(MP3 and WAV are; put AAC in an MP4 container)",
            )
        return Output(Raw(), modifier, extension=output.get("extension"), audio=audio)
    mp4 = container_settings.get("mp4Settings") or {}
    check_supported(mp4, "Mp4Settings", f"{cpath}/mp4Settings")
    for i, description in enumerate(audio):
        if description.codec.codec not in MP4_AUDIO:
            raise SettingsError(
                f"{path}/audioDescriptions/{i}/codecSettings/codec",
                f"{description.codec.codec} in MP4 is not supported by the emulator "
                f"(accepted: {', '.join(MP4_AUDIO)})",
            )
    video = None
    if "videoDescription" in output:
        vpath = f"{path}/videoDescription"
        box = video_box(output, path, codecs=("H_264", "H_265"), box_required=False)
        description = output["videoDescription"]
        video = VideoDescription(
            codec=video_codec(description, vpath, None, warn),
            width=box.width or None,
            height=box.height or None,
            scaling=box.upscale,
            preprocessors=video_preprocessors(description, vpath, warn),
        )
    elif not audio:
        raise SettingsError(path, "an output needs a videoDescription or audioDescriptions")
    return Output(
        # MoovPlacement: "Leave blank or choose Progressive download" for the moov first.
        Mp4(moov_first=mp4.get("moovPlacement", "PROGRESSIVE_DOWNLOAD") != "NORMAL"),
        modifier,
        extension=output.get("extension"),
        video=video,
        audio=audio,
    )


def _file_or_sidecar(output: Mapping[str, Any], path: str, ctx: GroupContext) -> Output:
    """A media file, or a sidecar caption file (captions without video or audio)."""
    if not is_caption_output(output):
        parsed = file_output(output, path, ctx.selectors, ctx.warn)
        if not output.get("captionDescriptions"):
            return parsed
        captions = caption_descriptions(output, path, ctx.captions)
        if (
            len(captions) != 1
            or captions[0].destination != "BURN_IN"
            or parsed.video is None
            or parsed.is_frame_capture
        ):
            raise SettingsError(
                f"{path}/captionDescriptions",
                "captions inside a media file are supported by the emulator only burnt into "
                "its video (one BURN_IN description); put others in an output of their own: "
                "a sidecar SRT or WEBVTT file (docs/captions.md)",
            )
        return replace(parsed, captions=captions)
    check_supported(output, "Output", path)
    check_supported(
        output.get("containerSettings") or {}, "ContainerSettings", f"{path}/containerSettings"
    )
    modifier = output.get("nameModifier", "")
    if "$" in modifier or "/" in modifier:
        raise SettingsError(f"{path}/nameModifier", "format identifiers and '/' are not supported")
    return sidecar_output(output, path, modifier, ctx.captions)


def file_group(group: Mapping[str, Any], path: str, ctx: GroupContext) -> FileGroup:
    """A FILE group: each output a file (or a frame capture's series) of its own."""
    settings, gpath = group_settings(group, path, "fileGroupSettings", "FileGroupSettings")
    destination = ctx.destination(settings, gpath)
    folder, base = naming.split_destination(destination)
    outputs = []
    for index, output in enumerate(group["outputs"]):
        opath = f"{path}/outputs/{index}"
        if len(group["outputs"]) > 1 and "nameModifier" not in output:
            # Output.NameModifier: "When you create multiple outputs in the same output
            # group, Name modifier is required."
            raise SettingsError(
                opath, "nameModifier is required when the group has several outputs"
            )
        parsed = _file_or_sidecar(output, opath, ctx)
        name = (
            names.capture_pattern(base, parsed)
            if parsed.is_frame_capture
            else names.file_name(base, parsed)
        )
        ctx.claim(naming.join_uri(folder, name), f"{opath}/nameModifier")
        outputs.append(parsed)
    return FileGroup(destination=destination, outputs=tuple(outputs))

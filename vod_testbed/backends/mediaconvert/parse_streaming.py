"""CMAF and DASH ISO groups read into the job model (see :mod:`.parse` for the job around
them; docs/jobs.md, "CMAF and DASH").

Each output is one track, as MediaConvert requires of these groups: an H.264 video (its
GOP dividing the segment length, the same grid in every video output so that players can
switch between them at segment boundaries) or one AAC audio track. Anything else is refused
by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vod_testbed.backends import naming
from vod_testbed.backends.jobmodel import stream_names
from vod_testbed.backends.jobmodel.codecs import H264, Aac
from vod_testbed.backends.jobmodel.model import (
    CmafGroup,
    Cmfc,
    DashIsoGroup,
    Mpd,
    MpdOptions,
    Output,
    StreamingGroup,
    VideoDescription,
)
from vod_testbed.backends.mediaconvert.coverage import SettingsError, check_supported
from vod_testbed.backends.mediaconvert.parse_audio import audio_descriptions
from vod_testbed.backends.mediaconvert.parse_codecs import (
    Warn,
    same_in_every_output,
    video_box,
    video_codec,
    video_preprocessors,
)

# What each group reads: its settings' key and shape, the outputs' container, its
# container settings' key and shape, and the segment length AWS defaults to.
_KINDS = {
    "CMAF_GROUP_SETTINGS":
        ("cmafGroupSettings", "CmafGroupSettings", "CMFC", "cmfcSettings", 10),
    "DASH_ISO_GROUP_SETTINGS":
        ("dashIsoGroupSettings", "DashIsoGroupSettings", "MPD", "mpdSettings", 30),
}  # fmt: skip
# CmfcSettings.AudioGroupId: "MediaConvert uses program_audio" when blank.
DEFAULT_AUDIO_GROUP = "program_audio"


def streaming_group(
    kind: str,
    group: Mapping[str, Any],
    path: str,
    *,
    destination: Callable[[Mapping[str, Any], str], str],
    claim: Callable[[str, str], None],
    selectors: tuple[str, ...],
    warn: Warn,
) -> StreamingGroup:
    """A CMAF or DASH ISO group (``kind`` is its ``outputGroupSettings.type``).

    ``destination`` resolves a group's destination, ``claim`` refuses a second writer of one
    object (both the job parser's).

    Raises:
        SettingsError: a setting the emulator cannot honour, named by its pointer.
    """
    key, shape, container, container_key, default_segment = _KINDS[kind]
    gpath = f"{path}/outputGroupSettings/{key}"
    settings = group["outputGroupSettings"].get(key)
    if settings is None:
        raise SettingsError(f"{path}/outputGroupSettings", f"{key} is a required property")
    check_supported(settings, shape, gpath)
    resolved = destination(settings, gpath)
    folder, base = naming.split_destination(resolved)
    segment_seconds = int(settings.get("segmentLength", default_segment))
    outputs = tuple(
        _output(
            output,
            f"{path}/outputs/{index}",
            container,
            container_key,
            segment_seconds,
            selectors,
            warn,
            several=len(group["outputs"]) > 1,
        )
        for index, output in enumerate(group["outputs"])
    )
    _check_tracks(outputs, path)
    common: dict[str, Any] = {
        "destination": resolved,
        "outputs": outputs,
        "segment_seconds": segment_seconds,
        "fragment_seconds": int(settings.get("fragmentLength", 2)),
        "mpd": MpdOptions(
            min_buffer_ms=int(settings.get("minBufferTime", 30_000)),
            peak_bandwidth=settings.get("mpdManifestBandwidthType", "MAX") == "MAX",
            segment_timeline=settings.get("writeSegmentTimelineInRepresentation") == "ENABLED",
        ),
    }
    parsed: StreamingGroup
    if kind == "CMAF_GROUP_SETTINGS":
        parsed = CmafGroup(
            **common,
            write_hls=settings.get("writeHlsManifest", "ENABLED") == "ENABLED",
            write_dash=settings.get("writeDashManifest", "ENABLED") == "ENABLED",
            integer_durations=settings.get("manifestDurationFormat") == "INTEGER",
            round_target_duration_up=settings.get("targetDurationCompatibilityMode", "LEGACY")
            == "LEGACY",
        )
        if not (parsed.write_hls or parsed.write_dash):
            raise SettingsError(gpath, "writes neither an HLS nor a DASH manifest")
    else:
        parsed = DashIsoGroup(**common)
    claim(naming.join_uri(folder, stream_names.mpd_name(base)), f"{gpath}/destination")
    if isinstance(parsed, CmafGroup):
        claim(naming.join_uri(folder, naming.master_playlist_name(base)), f"{gpath}/destination")
    for index, output in enumerate(outputs):
        claim(
            naming.join_uri(folder, stream_names.init_name(base, parsed, output)),
            f"{path}/outputs/{index}/nameModifier",
        )
    return parsed


def _output(
    output: Mapping[str, Any],
    path: str,
    container: str,
    container_key: str,
    segment_seconds: int,
    selectors: tuple[str, ...],
    warn: Warn,
    *,
    several: bool,
) -> Output:
    check_supported(output, "Output", path)
    for member in ("extension", "outputSettings"):
        if member in output:
            raise SettingsError(
                f"{path}/{member}", f"{member} does not apply to {container} outputs"
            )
    if output.get("captionDescriptions"):
        # Refused rather than left out of the manifests.
        raise SettingsError(
            f"{path}/captionDescriptions",
            f"captions in {container} outputs are not supported by the emulator (WEBVTT "
            "renditions of an HLS group and sidecar files of a file group are)",
        )
    modifier = output.get("nameModifier")
    if not modifier:
        reason = "the group has several outputs" if several else "its files are named after it"
        raise SettingsError(path, f"nameModifier is required by the emulator: {reason}")
    if "$" in modifier or "/" in modifier:
        raise SettingsError(
            f"{path}/nameModifier",
            "format identifiers ($Number$, $Bandwidth$, $Time$ ...) and '/' are not supported "
            "by the emulator in CMAF and DASH names",
        )
    cpath = f"{path}/containerSettings"
    container_settings = output.get("containerSettings")
    if container_settings is None:
        raise SettingsError(path, "containerSettings is a required property")
    check_supported(container_settings, "ContainerSettings", cpath)
    if container_settings.get("container") != container:
        raise SettingsError(
            f"{cpath}/container", f"outputs of this group use the {container} container"
        )
    track = container_settings.get(container_key) or {}
    shape = "CmfcSettings" if container == "CMFC" else "MpdSettings"
    check_supported(track, shape, f"{cpath}/{container_key}")
    audio = audio_descriptions(output, path, selectors)
    has_video = "videoDescription" in output
    if has_video == bool(audio) or len(audio) > 1:
        raise SettingsError(
            path,
            f"each {container} output holds one track: a videoDescription or one audio "
            "description (put video and audio in separate outputs)",
        )
    if audio and not isinstance(audio[0].codec, Aac):
        raise SettingsError(
            f"{path}/audioDescriptions/0/codecSettings/codec",
            f"{audio[0].codec.codec} in {container} outputs is not supported by the emulator "
            "(AAC is)",
        )
    packaging: Cmfc | Mpd = Mpd()
    if container == "CMFC":
        packaging = Cmfc(
            iframe_only=track.get("iFrameOnlyManifest", "EXCLUDE") == "INCLUDE",
            audio_group=track.get("audioGroupId", DEFAULT_AUDIO_GROUP),
        )
        if packaging.iframe_only and not has_video:
            raise SettingsError(
                f"{cpath}/{container_key}/iFrameOnlyManifest", "an audio output has no I-frames"
            )
    video = None
    if has_video:
        vpath = f"{path}/videoDescription"
        box = video_box(output, path, codecs=("H_264",))
        description = output["videoDescription"]
        video = VideoDescription(
            codec=video_codec(description, vpath, segment_seconds, warn),
            width=box.width,
            height=box.height,
            scaling=box.upscale,
            preprocessors=video_preprocessors(description, vpath, warn),
        )
    return Output(packaging, str(modifier), video=video, audio=audio)


def _check_tracks(outputs: tuple[Output, ...], path: str) -> None:
    """Distinct names, at least one video, one keyframe grid and one audio group."""
    seen: dict[str, int] = {}
    videos = [(i, o) for i, o in enumerate(outputs) if o.video is not None]
    for index, output in enumerate(outputs):
        if output.name_modifier in seen:
            raise SettingsError(
                f"{path}/outputs/{index}/nameModifier",
                f"{output.name_modifier!r} is used by output {seen[output.name_modifier]}",
            )
        seen[output.name_modifier] = index
    if not videos:
        raise SettingsError(f"{path}/outputs", "the emulator needs at least one video output")
    first = videos[0][1]
    assert first.video is not None and isinstance(first.video.codec, H264)
    for index, output in videos[1:]:
        assert output.video is not None and isinstance(output.video.codec, H264)
        same_in_every_output(
            _grid(first.video.codec),
            _grid(output.video.codec),
            f"{path}/outputs/{index}/videoDescription/codecSettings/h264Settings",
        )
    groups = {o.container.audio_group for o in outputs if isinstance(o.container, Cmfc) and o.audio}
    if len(groups) > 1:
        raise SettingsError(
            f"{path}/outputs",
            "the emulator writes one audio rendition group per CMAF group "
            f"(audioGroupId: {', '.join(sorted(groups))})",
        )


def _grid(codec: H264) -> dict[str, Any]:
    return {
        "gop_seconds": codec.gop.seconds,
        "scene_cut_min_frames": codec.gop.scene_cut_min_frames,
        "frame_rate": codec.frame_rate,
    }

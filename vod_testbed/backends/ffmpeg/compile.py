"""A job model compiled into ffmpeg commands: pure, no process is started here
(docs/ARCHITECTURE.md, "The job model").

Each HLS group is a ladder (:func:`~vod_testbed.backends.jobmodel.ladder.hls_group_ladder`)
and gets the ladder's own command (:mod:`.command`), in a folder of its own. Each file group
is one ffmpeg process that decodes the input once and writes every output of the group:
MP4 (H.264 or H.265, AAC/AC3/EAC3, or audio alone), MP3, WAV and JPEG frame captures, under
MediaConvert's names (:mod:`vod_testbed.backends.jobmodel.names`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.command import (
    GLOBAL_ARGS,
    QVBR_BASE_CRF,
    TURNS,
    EncodePlan,
    jpeg_qscale,
    kbps,
    picture,
)
from vod_testbed.backends.ffmpeg.filters import preprocess
from vod_testbed.backends.ffmpeg.trickplay import plan_tile_sets
from vod_testbed.backends.jobmodel import names
from vod_testbed.backends.jobmodel.audio_groups import video_part
from vod_testbed.backends.jobmodel.codecs import (
    H264,
    H265,
    Aac,
    Ac3,
    AudioCodec,
    FrameCapture,
    Mp3,
    Wav,
)
from vod_testbed.backends.jobmodel.ladder import hls_group_ladder, is_caption_output
from vod_testbed.backends.jobmodel.model import (
    FileGroup,
    HlsGroup,
    Input,
    Mp4,
    Output,
    VideoDescription,
    VideoPreprocessors,
)
from vod_testbed.backends.ladder import (
    Geometry,
    RateControl,
    Rung,
    UpscalePolicy,
    fit_geometry,
    fit_without_upscaling,
    plan_renditions,
)
from vod_testbed.backends.source import applied_rotation, display_size
from vod_testbed.common import errors
from vod_testbed.media import containers
from vod_testbed.media.probe import MediaInfo, output_frame_rate


@dataclass(frozen=True)
class Source:
    """The probed input as every command reads it."""

    path: Path
    media: MediaInfo
    input: Input

    @property
    def rotation(self) -> int:
        return applied_rotation(self.media, self.input.rotate)

    @property
    def display_size(self) -> tuple[int, int]:
        return display_size(self.media, self.input.rotate)

    def audio_stream(self, selector: str) -> int:
        """The input's audio stream an audio description's selector takes: its first
        track (an assembled input has one track per selector; docs/inputs-and-audio.md)."""
        found = next((s for s in self.input.audio_selectors if s.name == selector), None)
        return found.tracks[0] - 1 if found is not None and found.tracks else 0


def hls_group_plan(
    group: HlsGroup, source: Source, work: Path, preset: str, frame_rate: Fraction | None
) -> EncodePlan:
    """The ladder command's plan for one HLS group, written into ``work``."""
    group = video_part(group)  # audio renditions have a command of their own (audio_groups)
    ladder = hls_group_ladder(group, source.input)
    if ladder is None:  # the parser admits only HLS groups that are ladders
        raise errors.TranscodeError(errors.SETTINGS_ERROR, "The HLS group is not a ladder.")
    assert source.media.video is not None
    width, height = source.display_size
    first = group.outputs[0].video
    first_audio = group.outputs[0].audio
    _, base = naming.split_destination(group.destination)
    renditions = tuple(plan_renditions(ladder, width, height))
    rate = ladder.frame_rate or frame_rate or output_frame_rate(source.media.video)
    return EncodePlan(
        input_path=source.path,
        media=source.media,
        ladder=ladder,
        renditions=renditions,
        thumbnail=None,
        frame_rate=rate,
        hls_dir=work,
        hls_base=base,
        thumbnail_dir=work,
        thumbnail_base=base,
        preset=preset,
        rotation=source.rotation,
        preprocessors=first.preprocessors if first else VideoPreprocessors(),
        audio_stream=source.audio_stream(first_audio[0].selector) if first_audio else 0,
        tile_sets=plan_tile_sets(ladder, (width, height), rate, renditions),
    )


@dataclass(frozen=True)
class FileTarget:
    """One output of a file group: where ffmpeg writes it (a printf pattern for frame
    captures) and the picture it gets."""

    output: Output
    path: Path
    geometry: Geometry | None


@dataclass(frozen=True)
class FileGroupPlan:
    group: FileGroup
    work: Path
    base: str
    targets: tuple[FileTarget, ...]
    argv: list[str]


def _geometry(video: VideoDescription, source: Source) -> Geometry:
    width, height = source.display_size
    box_w, box_h = video.width or width, video.height or height
    if video.scaling is UpscalePolicy.FIT_NO_UPSCALE:
        return fit_without_upscaling(box_w, box_h, width, height)
    return fit_geometry(box_w, box_h, width, height)


def _input(source: Source) -> Any:
    """The input, read as :func:`vod_testbed.backends.ffmpeg.command` reads it: the probed
    demuxer, local files only, the rotation metadata honoured only when the rule says so."""
    options: dict[str, Any] = dict(containers.ffmpeg_input_options(source.media.format_name))
    assert source.media.video is not None
    fixed = source.input.rotate.fixed_degrees is not None
    if (source.rotation == 0 or fixed) and source.media.video.rotation % 360 != 0:
        options["noautorotate"] = None
    return ffmpeg.input(containers.file_url(source.path), **options)


def _base_video(source: Source, stream: Any) -> Any:
    if source.input.rotate.fixed_degrees is not None:
        for name, args in TURNS[source.rotation]:
            stream = stream.filter(name, *args)
    return stream


def _rate_options(codec: H264 | H265) -> dict[str, str]:
    rate = codec.rate
    rung = Rung(
        "x",
        2,
        2,
        rate.bitrate or 0,
        rate_control=rate.mode,
        peak_bitrate=rate.peak_bitrate,
        qvbr_quality=rate.qvbr_quality,
        buffer_bits=rate.buffer_bits,
        buffer_initial_fill_percent=rate.buffer_initial_fill_percent,
    )
    options: dict[str, str] = {}
    if rate.mode is RateControl.QVBR:
        options["crf"] = str(QVBR_BASE_CRF - 2 * (rate.qvbr_quality or 7))
    else:
        options["b:v"] = kbps(rung.video_bitrate)
    if rate.mode is RateControl.CBR:
        options["minrate"] = kbps(rung.video_bitrate)
    if rung.max_bitrate:
        options["maxrate"] = kbps(rung.max_bitrate)
        options["bufsize"] = str(rung.buffer_size)
    return options


def _video_options(codec: H264 | H265, frame_rate: Fraction, preset: str) -> dict[str, str]:
    gop_frames = max(1, round(codec.gop.seconds * frame_rate))
    scene_cut = codec.gop.scene_cut_min_frames
    options = {
        "preset": preset,
        "g": str(gop_frames),
        "force_key_frames": f"expr:gte(t,n_forced*{float(codec.gop.seconds):g})",
        **_rate_options(codec),
    }
    if isinstance(codec, H264):
        options.update(
            {
                "c:v": "libx264",
                "profile:v": codec.profile,
                "keyint_min": str(gop_frames if scene_cut is None else min(scene_cut, gop_frames)),
                "sc_threshold": "0" if scene_cut is None else "40",
            }
        )
        return options
    min_keyint = gop_frames if scene_cut is None else min(scene_cut, gop_frames)
    scenecut = "0" if scene_cut is None else "40"
    options.update(
        {
            "c:v": "libx265",
            "profile:v": codec.profile,
            "tag:v": codec.sample_entry,
            "x265-params": f"log-level=error:min-keyint={min_keyint}:scenecut={scenecut}",
        }
    )
    return options


def _audio_options(codec: AudioCodec) -> dict[str, str]:
    if isinstance(codec, Aac):
        return {
            "c:a": "aac",
            "b:a": kbps(codec.bitrate),
            "ac": str(codec.channels),
            "ar": str(codec.sample_rate),
        }
    if isinstance(codec, Ac3):
        return {
            "c:a": codec.codec.lower(),
            "b:a": kbps(codec.bitrate),
            "ac": str(codec.channels),
            "ar": str(codec.sample_rate),
        }
    options: dict[str, str] = {"ar": str(codec.sample_rate)}
    if codec.channels:
        options["ac"] = str(codec.channels)
    if isinstance(codec, Mp3):
        options["c:a"] = "libmp3lame"
        if codec.bitrate is None:
            options["q:a"] = str(codec.vbr_quality or 0)
        else:
            options["b:a"] = kbps(codec.bitrate)
        return options
    assert isinstance(codec, Wav)
    options["c:a"] = "pcm_s24le" if codec.bit_depth == 24 else "pcm_s16le"
    return options


def _muxer(output: Output) -> dict[str, str]:
    if isinstance(output.container, Mp4):
        options = {"f": "mp4"}
        if output.container.moov_first:
            options["movflags"] = "+faststart"
        return options
    if output.is_frame_capture:
        return {"f": "image2", "start_number": "0", "fps_mode": "vfr"}
    codec = output.audio[0].codec
    return {"f": "mp3" if isinstance(codec, Mp3) else "wav"}


def file_group_plan(
    group: FileGroup,
    source: Source,
    work: Path,
    preset: str,
    ffmpeg_binary: str,
    burn_in: Mapping[int, Path] | None = None,
) -> FileGroupPlan:
    """The one ffmpeg process that writes every output of a file group into ``work``;
    ``burn_in`` maps an output's index to the WebVTT file drawn into its picture.

    Raises:
        TranscodeError: 1021 when an output takes audio and the input has none.
    """
    assert source.media.video is not None
    _, base = naming.split_destination(group.destination)
    video_outputs = [o for o in group.outputs if o.video is not None]
    audio_tracks = sum(len(o.audio) for o in group.outputs)
    if audio_tracks and source.media.audio is None:
        raise errors.TranscodeError(
            errors.AUDIO_ERROR,
            "Audio Error: the outputs take audio from the input, and the input has no audio "
            "stream. Remove the outputs' audio descriptions for a video-only job.",
        )
    stream = _input(source)
    videos: list[Any] = []
    if video_outputs:
        split = _base_video(source, stream["v:0"]).filter_multi_output("split", len(video_outputs))
        videos = [split[i] for i in range(len(video_outputs))]
    audios: list[Any] = []
    descriptions = [a for o in group.outputs for a in o.audio]
    by_stream: dict[int, list[int]] = {}
    for index, description in enumerate(descriptions):
        by_stream.setdefault(source.audio_stream(description.selector), []).append(index)
    audios = [None] * audio_tracks
    for number, users in by_stream.items():
        split = stream[f"a:{number}"].filter_multi_output("asplit", len(users))
        for place, index in enumerate(users):
            audios[index] = split[place]
    targets: list[FileTarget] = []
    outputs: list[Any] = []
    follow = output_frame_rate(source.media.video)
    for number, output in enumerate(group.outputs):
        if is_caption_output(output):
            # A sidecar caption file, written without ffmpeg (model_captions.py).
            targets.append(FileTarget(output, work / names.file_name(base, output), None))
            continue
        streams: list[Any] = []
        options: dict[str, str] = {**_muxer(output), "max_muxing_queue_size": "4096"}
        geometry = None
        if output.video is not None:
            geometry = _geometry(output.video, source)
            video = preprocess(videos.pop(0), output.video.preprocessors)
            codec = output.video.codec
            if isinstance(codec, FrameCapture):
                every = f"isnan(prev_selected_t)+gte(t-prev_selected_t,{float(codec.interval_s)})"
                video = picture(video.filter("select", every), geometry, source.display_size)
                options.update(
                    {
                        "c:v": "mjpeg",
                        "q:v": str(jpeg_qscale(codec.quality)),
                        "frames:v": str(codec.max_captures),
                    }
                )
            else:
                rate = codec.frame_rate or follow
                pixel_format = "yuv420p10le" if codec.profile == "main10" else "yuv420p"
                video = picture(video, geometry, source.display_size)
                if burn_in and number in burn_in:
                    video = video.filter("subtitles", filename=str(burn_in[number]))
                video = video.filter("fps", fps=str(rate)).filter("format", pixel_format)
                options.update(_video_options(codec, rate, preset))
            streams.append(video)
        for index, description in enumerate(output.audio):
            streams.append(audios.pop(0))
            for key, value in _audio_options(description.codec).items():
                # Per track: -c:a:0, -b:a:0, -ac:a:0, -ar:a:0 ...
                options[f"{key.removesuffix(':a')}:a:{index}"] = value
        name = (
            names.capture_pattern(base, output)
            if output.is_frame_capture
            else names.file_name(base, output)
        )
        path = work / name
        targets.append(FileTarget(output, path, geometry))
        outputs.append(ffmpeg.output(*streams, str(path), **options))
    argv: list[str] = []  # a group of sidecar caption files alone runs no ffmpeg
    if outputs:
        graph = ffmpeg.merge_outputs(*outputs).global_args(*GLOBAL_ARGS)
        argv = graph.compile(cmd=ffmpeg_binary, overwrite_output=True)
    return FileGroupPlan(group, work, base, tuple(targets), argv)

"""Building the ffmpeg command of a ladder job: pure, no process is started here.

One ffmpeg process decodes the source once, normalises it (square pixels, constant frame
rate, 8-bit 4:2:0), splits it into every rendition plus the thumbnail branch, and encodes
them all: H.264 with a closed GOP whose keyframes fall at the same times in every rung,
AAC-LC stereo 48 kHz, one ``hls`` muxer writing MediaConvert's file names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.filters import preprocess
from vod_testbed.backends.ffmpeg.trickplay import tile_outputs
from vod_testbed.backends.jobmodel.model import VideoPreprocessors
from vod_testbed.backends.ladder import (
    AudioRendition,
    Geometry,
    Ladder,
    RateControl,
    RenditionPlan,
    Rung,
)
from vod_testbed.backends.trickplay import TileSet
from vod_testbed.media import containers
from vod_testbed.media.probe import MediaInfo

# Quiet, no console input, progress as key=value blocks on stdout (progress.py reads them).
GLOBAL_ARGS = (
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "warning",
    "-progress",
    "pipe:1",
    "-nostats",
)

# x264's CRF for MediaConvert's QVBR quality levels 1..10 (level 7 ~ CRF 22, 10 ~ CRF 16).
QVBR_BASE_CRF = 36


@dataclass(frozen=True)
class EncodePlan:
    """Everything the command depends on, resolved from the job and the probed source."""

    input_path: Path
    media: MediaInfo
    ladder: Ladder
    renditions: tuple[RenditionPlan, ...]
    thumbnail: Geometry | None
    frame_rate: Fraction
    hls_dir: Path
    hls_base: str
    thumbnail_dir: Path
    thumbnail_base: str
    preset: str = "superfast"
    # Clockwise degrees the source is turned (backends.source.applied_rotation).
    rotation: int = 0
    # A WebVTT file drawn into every rendition (a BURN_IN caption track), or None.
    burn_in: Path | None = None
    # A source without video: the audio-only variants (then ``renditions`` is empty).
    audio_renditions: tuple[AudioRendition, ...] = ()
    # A model's deinterlacer and noise reducer, shared by every rendition.
    preprocessors: VideoPreprocessors = field(default_factory=VideoPreprocessors)
    # The input's audio stream the renditions take (an assembled input has several).
    audio_stream: int = 0
    # Image-based trick play: more branches of the same decode (backends/ffmpeg/trickplay.py).
    tile_sets: tuple[TileSet, ...] = ()

    @property
    def fixed_rotation(self) -> bool:
        """The job fixes the turn (the stored picture turned, its metadata ignored), rather
        than following the metadata (which ffmpeg applies by itself)."""
        return self.ladder.rotate.fixed_degrees is not None

    @property
    def gop_frames(self) -> int:
        return max(1, round(self.ladder.gop_seconds * self.frame_rate))

    @property
    def has_audio(self) -> bool:
        """The source has audio and the ladder wants it."""
        return self.media.audio is not None and self.ladder.audio is not None


def kbps(bits_per_second: int) -> str:
    return f"{round(bits_per_second / 1000)}k"


def picture(stream: Any, geometry: Geometry, source_size: tuple[int, int]) -> Any:
    """Scale into the box, pad the rest (MediaConvert DEFAULT scaling), square pixels."""
    if (geometry.picture_width, geometry.picture_height) != source_size:
        stream = stream.filter("scale", geometry.picture_width, geometry.picture_height)
    if (geometry.picture_width, geometry.picture_height) != (
        geometry.box_width,
        geometry.box_height,
    ):
        stream = stream.filter(
            "pad", geometry.box_width, geometry.box_height, geometry.pad_x, geometry.pad_y
        )
    return stream.filter("setsar", "1")


def _source(plan: EncodePlan) -> Any:
    """The input: a local file (``file:``, no other protocol), read with the demuxer the
    probe found, so ffmpeg cannot take the same bytes for a playlist or a list."""
    options: dict[str, Any] = dict(containers.ffmpeg_input_options(plan.media.format_name))
    # ffmpeg turns the picture by its rotation metadata unless told not to; whether the
    # metadata is honoured is the source rule's decision (backends.source).
    assert plan.media.video is not None
    if (plan.rotation == 0 or plan.fixed_rotation) and plan.media.video.rotation % 360 != 0:
        options["noautorotate"] = None
    return ffmpeg.input(containers.file_url(plan.input_path), **options)


# The filters that turn a picture clockwise by a right angle (what ffmpeg's own autorotate
# inserts for the same metadata).
TURNS: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {
    0: (),
    90: (("transpose", ("clock",)),),
    180: (("hflip", ()), ("vflip", ())),
    270: (("transpose", ("cclock",)),),
}


def _normalised_video(plan: EncodePlan, source: Any) -> tuple[Any, tuple[int, int]]:
    """The source video as every branch wants it; returns the stream and its size."""
    assert plan.media.video is not None
    video = source["v:0"]
    if plan.fixed_rotation:
        for name, args in TURNS[plan.rotation]:
            video = video.filter(name, *args)
    video = preprocess(video, plan.preprocessors)
    display_w, display_h = plan.media.video.picture_size
    stored = (plan.media.video.width, plan.media.video.height)
    if plan.rotation in (90, 270):
        display_w, display_h = display_h, display_w
        stored = (stored[1], stored[0])
    largest = max(plan.renditions, key=lambda r: r.geometry.picture_width)
    target = (display_w, display_h)
    # Bigger-than-ladder sources are scaled down once here, not once per rung.
    if display_w > largest.geometry.picture_width:
        target = (largest.geometry.picture_width, largest.geometry.picture_height)
    if target != stored or plan.media.video.sample_aspect_ratio != 1:
        video = video.filter("scale", target[0], target[1]).filter("setsar", "1")
    if plan.burn_in is not None:
        # Drawn once, at the largest rung's size, before the split: every rendition shows
        # the same captions for the cost of one render.
        video = video.filter("subtitles", filename=str(plan.burn_in))
    # Constant frame rate: VFR sources become CFR so the GOP is exactly gop_seconds long.
    video = video.filter("fps", fps=str(plan.frame_rate)).filter("format", "yuv420p")
    return video, target


def _rate_control_options(index: int, rung: Rung) -> dict[str, str]:
    """Per-rung x264 options; the VBV buffer and its initial fill are what the MediaConvert
    backend sends as HrdBufferSize and HrdBufferInitialFillPercentage."""
    opts = {f"profile:v:{index}": rung.profile}
    if rung.rate_control is RateControl.QVBR:
        quality = rung.qvbr_quality or 7
        opts[f"crf:v:{index}"] = str(QVBR_BASE_CRF - 2 * quality)
    else:
        opts[f"b:v:{index}"] = kbps(rung.video_bitrate)
    if rung.rate_control is RateControl.CBR:
        opts[f"minrate:v:{index}"] = kbps(rung.video_bitrate)
    opts[f"maxrate:v:{index}"] = kbps(rung.max_bitrate)
    opts[f"bufsize:v:{index}"] = str(rung.buffer_size)
    opts[f"rc_init_occupancy:v:{index}"] = str(
        rung.buffer_size * rung.buffer_initial_fill_percent // 100
    )
    return opts


def keyframe_expression(ladder: Ladder) -> str:
    """ffmpeg's ``force_key_frames`` expression: a keyframe every ``gop_seconds``, and with
    exact segments (a GOP that does not divide them) one at every segment boundary too: the
    next forced time is the nearer of the two grids' next points after the last one."""
    gop = f"{float(ladder.gop_seconds):g}"
    if not ladder.exact_segments:
        return f"expr:gte(t,n_forced*{gop})"
    segment = f"{ladder.segment_seconds}"
    after = "(prev_forced_t+0.0005)"
    upcoming = f"min(ceil({after}/{gop})*{gop},ceil({after}/{segment})*{segment})"
    return f"expr:if(isnan(prev_forced_t),1,gte(t,{upcoming}))"


def _hevc_options(index: int, plan: EncodePlan) -> dict[str, str]:
    """An H.265 rung among the ladder's: libx265 on its stream, on the same keyframe grid
    (forced keyframes as IDRs, closed GOPs) with its parameter sets in every segment, as a
    TS segment must carry them to be played on its own."""
    minimum = plan.ladder.scene_cut_min_frames
    keyint_min = plan.gop_frames if minimum is None else max(1, min(minimum, plan.gop_frames))
    params = [
        "log-level=error",
        f"keyint={plan.gop_frames}",
        f"min-keyint={keyint_min}",
        f"scenecut={0 if minimum is None else 40}",
        "open-gop=0",
        "repeat-headers=1",
    ]
    return {
        f"c:v:{index}": "libx265",
        f"forced-idr:v:{index}": "1",
        f"x265-params:v:{index}": ":".join(params),
    }


def _scene_cut_options(plan: EncodePlan) -> dict[str, str]:
    """No scene-cut keyframes (the fixed grid), or x264's scene-cut detection with IDRs at
    least ``scene_cut_min_frames`` apart (MediaConvert's scene change detection). Each rung
    detects cuts on its own, so those IDRs need not line up across rungs, as on AWS."""
    minimum = plan.ladder.scene_cut_min_frames
    if minimum is None:
        return {"keyint_min": str(plan.gop_frames), "sc_threshold": "0"}
    # x264's own default threshold (ffmpeg's 0 would turn detection off).
    return {"keyint_min": str(max(1, min(minimum, plan.gop_frames))), "sc_threshold": "40"}


def jpeg_qscale(quality: int) -> int:
    """MediaConvert's JPEG quality 1..100 onto mjpeg's qscale 31..2 (lower is better)."""
    return max(2, min(31, round(31 - quality * 0.29)))


def _hls_options(plan: EncodePlan, stream_map: list[str]) -> dict[str, str]:
    """The hls muxer's options, MediaConvert's file names: the same for every ladder."""
    hls_flags = ["independent_segments"]
    if plan.ladder.integer_durations:
        hls_flags.append("round_durations")
    return {
        "f": "hls",
        "hls_time": str(plan.ladder.segment_seconds),
        "hls_playlist_type": "vod",
        "hls_flags": "+".join(hls_flags),
        "hls_segment_type": "mpegts",
        "start_number": "1",
        "hls_segment_filename": str(plan.hls_dir / naming.segment_pattern(plan.hls_base, "%v")),
        "master_pl_name": naming.master_playlist_name(plan.hls_base),
        "var_stream_map": " ".join(stream_map),
        "max_muxing_queue_size": "4096",
    }


def build_audio_command(plan: EncodePlan, ffmpeg_binary: str) -> list[str]:
    """The argv of an audio-only ladder: the source's sound resampled once, split, and
    encoded as AAC at each variant's bit rate into MPEG-TS segments (MediaConvert's
    ``AudioOnlyContainer: M2TS``) on the ladder's segment grid."""
    audio_spec = plan.ladder.audio
    assert audio_spec is not None and plan.audio_renditions  # the backend checked
    source = ffmpeg.input(
        containers.file_url(plan.input_path),
        **containers.ffmpeg_input_options(plan.media.format_name),
    )
    audio = source["a:0"].filter("aresample", audio_spec.sample_rate)
    split = audio.filter_multi_output("asplit", len(plan.audio_renditions))
    streams = [split[i] for i in range(len(plan.audio_renditions))]
    options: dict[str, str] = {
        "c:a": "aac",
        "ac": str(audio_spec.channels),
        "ar": str(audio_spec.sample_rate),
    }
    for i, rendition in enumerate(plan.audio_renditions):
        options[f"b:a:{i}"] = kbps(rendition.bitrate)
    stream_map = [f"a:{i},name:{r.name_modifier}" for i, r in enumerate(plan.audio_renditions)]
    hls = ffmpeg.output(
        *streams,
        str(plan.hls_dir / naming.media_playlist_name(plan.hls_base, "%v")),
        **_hls_options(plan, stream_map),
        **options,
    )
    argv: list[str] = hls.global_args(*GLOBAL_ARGS).compile(
        cmd=ffmpeg_binary, overwrite_output=True
    )
    return argv


def build_command(plan: EncodePlan, ffmpeg_binary: str) -> list[str]:
    """The argv of the one ffmpeg process that produces the whole job.

    Raises:
        ValueError: the probed container is not an accepted one.
    """
    source = _source(plan)
    video, size = _normalised_video(plan, source)
    first_tiles = len(plan.renditions) + (1 if plan.thumbnail else 0)
    branches = first_tiles + len(plan.tile_sets)
    split = video.filter_multi_output("split", branches)
    streams: list[Any] = [
        picture(split[i], r.geometry, size) for i, r in enumerate(plan.renditions)
    ]
    stream_map = []
    options: dict[str, str] = {
        "c:v": "libx264",
        "preset": plan.preset,
        "pix_fmt": "yuv420p",
        "g": str(plan.gop_frames),
        # Time-based forcing keeps the 2 s grid on any frame rate; with -g/-sc_threshold it
        # gives identical IDR times in every rung.
        "force_key_frames": keyframe_expression(plan.ladder),
        **_scene_cut_options(plan),
    }
    for i, rendition in enumerate(plan.renditions):
        options.update(_rate_control_options(i, rendition.rung))
        if rendition.rung.codec == "h265":
            options.update(_hevc_options(i, plan))
    if plan.has_audio:
        audio_spec = plan.ladder.audio
        assert audio_spec is not None  # has_audio says so
        audio = source[f"a:{plan.audio_stream}"].filter("aresample", audio_spec.sample_rate)
        asplit = audio.filter_multi_output("asplit", len(plan.renditions))
        streams += [asplit[i] for i in range(len(plan.renditions))]
        options.update(
            {
                "c:a": "aac",
                "ac": str(audio_spec.channels),
                "ar": str(audio_spec.sample_rate),
            }
        )
        for i, rendition in enumerate(plan.renditions):
            options[f"b:a:{i}"] = kbps(rendition.rung.audio_bitrate)
            own = rendition.rung.audio_format  # a rung's own AAC format, after the shared one
            if own is not None:
                options[f"ac:a:{i}"] = str(own.channels)
                options[f"ar:a:{i}"] = str(own.sample_rate)
    for i, rendition in enumerate(plan.renditions):
        entry = f"v:{i},a:{i}" if plan.has_audio else f"v:{i}"
        stream_map.append(f"{entry},name:{rendition.rung.name_modifier}")
    hls = ffmpeg.output(
        *streams,
        str(plan.hls_dir / naming.media_playlist_name(plan.hls_base, "%v")),
        **_hls_options(plan, stream_map),
        **options,
    )
    outputs = [hls]
    if plan.thumbnail and plan.ladder.thumbnails:
        spec = plan.ladder.thumbnails
        # MediaConvert's capture rule: the first frame, then one every interval. (The fps
        # filter would round to the nearest frame and emit nothing for clips under interval/2.)
        every = f"isnan(prev_selected_t)+gte(t-prev_selected_t,{spec.interval_s})"
        thumbs = picture(split[len(plan.renditions)].filter("select", every), plan.thumbnail, size)
        outputs.append(
            ffmpeg.output(
                thumbs,
                str(
                    plan.thumbnail_dir
                    / naming.thumbnail_pattern(plan.thumbnail_base, spec.name_modifier)
                ),
                f="image2",
                start_number="0",
                fps_mode="vfr",
                **{
                    "c:v": "mjpeg",
                    "q:v": str(jpeg_qscale(spec.quality)),
                    "frames:v": str(spec.max_captures),
                },
            )
        )
    outputs += tile_outputs(
        [split[first_tiles + i] for i in range(len(plan.tile_sets))],
        plan.tile_sets,
        plan.frame_rate,
        size,
        plan.hls_dir,
        plan.hls_base,
        picture,
    )
    graph = ffmpeg.merge_outputs(*outputs).global_args(*GLOBAL_ARGS)
    argv: list[str] = graph.compile(cmd=ffmpeg_binary, overwrite_output=True)
    return argv

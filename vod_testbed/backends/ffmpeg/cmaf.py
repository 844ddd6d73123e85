"""CMAF and DASH ISO groups: one ffmpeg process writes every track's fMP4 segments, then
the segments are read back (:mod:`vod_testbed.media.fmp4`) and the manifests written from
what they hold (:mod:`.stream_manifests`); docs/jobs.md, "CMAF and DASH".

Each output of the group is its own ffmpeg output through the ``dash`` muxer, which writes
an init segment and numbered fragmented-MP4 segments under MediaConvert's names
(:mod:`vod_testbed.backends.jobmodel.stream_names`), cut every ``SegmentLength`` on the
shared keyframe grid, with a ``moof`` every ``FragmentLength``. The muxer's own manifests are
scratch files: ffmpeg's DASH manifest is a live-profile one with its own names, so the
published ones are written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from vod_testbed.backends import naming
from vod_testbed.backends.ffmpeg.command import GLOBAL_ARGS, picture
from vod_testbed.backends.ffmpeg.compile import (
    Source,
    _audio_options,
    _base_video,
    _geometry,
    _input,
    _video_options,
)
from vod_testbed.backends.ffmpeg.filters import preprocess
from vod_testbed.backends.jobmodel import stream_names
from vod_testbed.backends.jobmodel.codecs import H264
from vod_testbed.backends.jobmodel.model import CmafGroup, Output, StreamingGroup
from vod_testbed.backends.ladder import Geometry
from vod_testbed.common import errors
from vod_testbed.media.fmp4 import Fmp4Error, Fragment, Init, read_fragments, read_init
from vod_testbed.media.probe import output_frame_rate


@dataclass(frozen=True)
class Track:
    """One output of the group as planned: its box (video) and frame rate."""

    output: Output
    geometry: Geometry | None
    frame_rate: Any


@dataclass(frozen=True)
class StreamGroupPlan:
    group: StreamingGroup
    work: Path
    base: str
    tracks: tuple[Track, ...]
    argv: list[str]


@dataclass(frozen=True)
class WrittenTrack:
    """One output's files as written and what they hold."""

    track: Track
    init_path: Path
    init: Init
    segments: tuple[Path, ...]
    fragments: tuple[tuple[Fragment, ...], ...]  # per segment

    @property
    def durations_s(self) -> list[float]:
        return [sum(f.duration for f in frags) / self.init.timescale for frags in self.fragments]

    @property
    def duration_s(self) -> float:
        return sum(self.durations_s)

    def sizes(self) -> list[int]:
        return [s.stat().st_size for s in self.segments]

    def media_bitrate(self) -> int:
        """The track's own bit rate: its samples, without boxes (the event's
        ``averageBitrate``)."""
        bits = 8 * sum(f.media_bytes for fragments in self.fragments for f in fragments)
        return round(bits / self.duration_s) if self.duration_s else 0


def stream_group_plan(
    group: StreamingGroup, source: Source, work: Path, preset: str, ffmpeg_binary: str
) -> StreamGroupPlan:
    """The one ffmpeg process that writes every track of ``group`` into ``work``.

    Raises:
        TranscodeError: 1021 when an output takes audio and the input has none.
    """
    assert source.media.video is not None
    _, base = naming.split_destination(group.destination)
    if any(o.audio for o in group.outputs) and source.media.audio is None:
        raise errors.TranscodeError(
            errors.AUDIO_ERROR,
            "Audio Error: the group has audio outputs and the input has no audio stream. "
            "Remove the audio outputs for a video-only job.",
        )
    stream = _input(source)
    videos = [o for o in group.outputs if o.video is not None]
    split = _base_video(source, stream["v:0"]).filter_multi_output("split", len(videos))
    follow = output_frame_rate(source.media.video)
    cmaf = isinstance(group, CmafGroup)
    outputs, tracks, taken = [], [], 0
    for number, output in enumerate(group.outputs):
        options: dict[str, Any] = {
            "f": "dash",
            "seg_duration": str(group.segment_seconds),
            "frag_type": "duration",
            "frag_duration": str(min(group.fragment_seconds, group.segment_seconds)),
            "use_template": "1",
            "use_timeline": "1",
            "init_seg_name": stream_names.init_name(base, group, output),
            "media_seg_name": stream_names.segment_template(base, group, output),
            "max_muxing_queue_size": "4096",
        }
        if cmaf:
            options["format_options"] = "movflags=+cmaf:brand=cmfc"
        geometry, rate = None, None
        if output.video is not None:
            codec = output.video.codec
            assert isinstance(codec, H264)
            geometry = _geometry(output.video, source)
            rate = codec.frame_rate or follow
            video = preprocess(split[taken], output.video.preprocessors)
            taken += 1
            video = picture(video, geometry, source.display_size)
            media = video.filter("fps", fps=str(rate)).filter("format", "yuv420p")
            options.update(_video_options(codec, rate, preset))
            # Each track starts at its encoder's B-frame delay, which x264's B-pyramid makes
            # differ between sizes (one frame or two); without the pyramid every rendition's
            # frames, and so its keyframes and segments, fall at the same times.
            options["x264-params"] = "b-pyramid=none"
        else:
            description = output.audio[0]
            media = stream[f"a:{source.audio_stream(description.selector)}"]
            options.update(_audio_options(description.codec))
        tracks.append(Track(output, geometry, rate))
        outputs.append(ffmpeg.output(media, str(work / f"scratch{number}.mpd"), **options))
    graph = ffmpeg.merge_outputs(*outputs).global_args(*GLOBAL_ARGS)
    argv: list[str] = graph.compile(cmd=ffmpeg_binary, overwrite_output=True)
    return StreamGroupPlan(group, work, base, tuple(tracks), argv)


def read_tracks(plan: StreamGroupPlan, source_s: float, tolerance_s: float) -> list[WrittenTrack]:
    """Every track's init segment and numbered segments, read back; the scratch manifests
    removed.

    Raises:
        TranscodeError: a missing or unreadable segment, a gap in the numbering, or a track
            shorter than the source.
    """
    for scratch in plan.work.glob("scratch*.mpd"):
        scratch.unlink()
    return [_read_track(plan, track, source_s, tolerance_s) for track in plan.tracks]


def _read_track(
    plan: StreamGroupPlan, track: Track, source_s: float, tolerance_s: float
) -> WrittenTrack:
    output = track.output
    init_path = plan.work / stream_names.init_name(plan.base, plan.group, output)
    name = f"output {output.name_modifier}"
    if not init_path.is_file():
        raise errors.TranscodeError(
            errors.UNKNOWN_ERROR, f"The encoder wrote no init segment for {name}."
        )
    segments: list[Path] = []
    while True:
        path = plan.work / stream_names.segment_name(
            plan.base, plan.group, output, len(segments) + 1
        )
        if not path.is_file():
            break
        segments.append(path)
    try:
        init = read_init(init_path.read_bytes())
        fragments = tuple(tuple(read_fragments(s.read_bytes(), init)) for s in segments)
    except Fmp4Error as exc:
        raise errors.TranscodeError(
            errors.UNKNOWN_ERROR, f"The {name} is not valid fMP4: {exc}."
        ) from exc
    written = WrittenTrack(track, init_path, init, tuple(segments), fragments)
    if not segments or source_s - written.duration_s > tolerance_s:
        raise errors.TranscodeError(
            errors.INPUT_ERROR,
            f"The input is truncated or corrupt: it declares {source_s:.2f} s but only "
            f"{written.duration_s:.2f} s could be packaged ({name}).",
        )
    return written

"""Inputs clipped and stitched in ffmpeg, as MediaConvert strings them together ("When you
specify more than one input clip, the transcoding service creates the job outputs by
stringing the clips together in the order you specify them", service model), and the
tracks and timecode read from an input."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from tests.support.inputs import write_source
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.input_graph import InputPart, remix_expressions, stitched
from vod_testbed.backends.jobmodel.model import Clipping
from vod_testbed.backends.jobmodel.timecodes import clip_windows
from vod_testbed.media.probe import probe
from vod_testbed.media.tracks import read_tracks


def _normalised(path: Path) -> tuple[Any, Any]:
    source = ffmpeg.input(str(path))
    video = source["v:0"].filter("scale", 320, 180).filter("fps", fps="30")
    return source, video.filter("format", "yuv420p")


def _run(video: Any, audio: Any | None, out: Path) -> None:
    streams = [video] + ([audio] if audio is not None else [])
    argv = ffmpeg.output(*streams, str(out), **{"c:v": "libx264", "preset": "ultrafast"}).compile(
        cmd=binary.find_ffmpeg(), overwrite_output=True
    )
    subprocess.run(argv, check=True, timeout=120, capture_output=True)


def test_two_inputs_each_clipped_are_stitched_in_order(tmp_path: Path) -> None:
    first = write_source(tmp_path / "a.mp4", duration_s=3, tracks=((440, None, 2),))
    second = write_source(tmp_path / "b.mp4", duration_s=2, tracks=())  # no audio
    parts = []
    for path, clips in (
        (first, [Clipping(start_timecode="00:00:00:15", end_timecode="00:00:01:14")]),
        (second, [Clipping(start_timecode="00:00:01:00")]),
    ):
        source, video = _normalised(path)
        info = probe(path)
        windows = clip_windows(clips, rate=Fraction(30), duration_s=info.duration_s)
        audio = source["a:0"] if info.audio else None
        parts.append(InputPart(video=video, audio=(audio,), windows=windows))
    video, (audio,) = stitched(parts, layouts=("stereo",), sample_rate=48_000)
    out = tmp_path / "out.mp4"
    _run(video, audio, out)
    result = probe(out)
    # 1 s of the first (frames 15..44) and 1 s of the second (silence for its audio).
    assert result.video_duration_s is not None
    assert abs(result.video_duration_s - 2.0) < 0.05
    assert result.audio is not None and result.audio.sample_rate == 48_000
    assert abs(result.duration_s - 2.0) < 0.1


def test_a_whole_single_input_passes_through_without_concat(tmp_path: Path) -> None:
    path = write_source(tmp_path / "a.mp4", duration_s=1)
    source, video = _normalised(path)
    part = InputPart(
        video=video,
        audio=(source["a:0"],),
        windows=clip_windows([], rate=Fraction(30), duration_s=1.0),
    )
    v, (a,) = stitched([part], layouts=("stereo",), sample_rate=48_000)
    argv = ffmpeg.output(v, a, "out.mp4").compile()
    assert "concat" not in " ".join(argv)


def test_tracks_languages_and_timecode_are_read(tmp_path: Path) -> None:
    path = write_source(
        tmp_path / "a.mov",
        duration_s=1,
        tracks=((440, "eng", 2), (660, "spa", 1)),
        timecode="01:00:00:00",
    )
    tracks = read_tracks(path)
    assert [(t.number, t.language, t.channels) for t in tracks.audio] == [
        (1, "ENG", 2),
        (2, "SPA", 1),
    ]
    assert tracks.timecode == "01:00:00:00"


def test_remix_expressions_carry_the_gains() -> None:
    assert remix_expressions([[1.0, 0.0], [0.0, 0.5]]) == "1*val(0)|0.5*val(1)"
    assert remix_expressions([[0.0, 0.0]]) == "0"

"""The shapes people upload, end to end through the FFmpeg backend: each gives a valid
ladder, or a clear error."""

from __future__ import annotations

import pytest

from tests.support.ffmpeg_jobs import run_job, valid_ladder
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, UpscalePolicy
from vod_testbed.cli.main import main as cli_main
from vod_testbed.common import errors
from vod_testbed.fixtures.media import clip_path

pytestmark = pytest.mark.e2e

# Small sources keep only the rungs at or below them: the suite stays fast.
DROP = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP)
UP_TO_360P = [(640, 360)]


@pytest.mark.parametrize(
    ("clip", "sizes", "frame_rate"),
    [
        ("hevc_mp4", [(854, 480), (640, 360)], 30.0),
        ("vp9_opus_webm", UP_TO_360P, 30.0),
        ("prores_mov", UP_TO_360P, 30.0),
        ("surround_5_1", UP_TO_360P, 30.0),
        ("mono_audio", UP_TO_360P, 30.0),
        ("fps_60", [(1280, 720), (854, 480), (640, 360)], 60.0),
        ("fps_25", [(854, 480), (640, 360)], 25.0),
        ("fps_29_97", [(854, 480), (640, 360)], 29.97),
        # 4:3 in 16:9 boxes: pillarboxed, every rendition keeps the ladder's size.
        ("four_by_three", [(854, 480), (640, 360)], 30.0),
    ],
)
def test_an_uploaded_shape_gives_a_valid_ladder_in_stereo_aac_at_its_own_rate(
    ffmpeg_backend, storage, put_clip, clip, sizes, frame_rate
):
    path = clip_path(clip)

    report = valid_ladder(ffmpeg_backend, storage, path, put_clip(path), DROP, sizes)

    assert report.warnings == [], report.render_text()
    assert [r.frame_rate for r in report.renditions] == pytest.approx(
        [frame_rate] * len(sizes), abs=0.001
    )
    assert {r.audio for r in report.renditions} == {"aac LC 2 ch 48000 Hz"}


def test_a_static_slide_deck_gives_a_valid_ladder_with_its_low_rates_noted(
    ffmpeg_backend, storage, put_clip
):
    """Capped VBR spends far less than any target on a still picture: that is reported,
    and is not an error."""
    path = clip_path("slide_deck")
    sizes = [(rung.width, rung.height) for rung in DEFAULT_LADDER.rungs]

    report = valid_ladder(ffmpeg_backend, storage, path, put_clip(path), DEFAULT_LADDER, sizes)

    rungs = [rung.name for rung in DEFAULT_LADDER.rungs]
    assert [(c.id, c.rendition) for c in report.notes] == [
        ("ladder.video-bitrate", rung) for rung in rungs
    ]
    targets = [rung.video_bitrate for rung in DEFAULT_LADDER.rungs]
    assert all(
        0 < (r.video_bitrate or 0) < target / 2
        for r, target in zip(report.renditions, targets, strict=True)
    )


def test_transcoding_a_slide_deck_exits_0(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOD_WORK_DIR", str(tmp_path / "work"))

    code = cli_main(["transcode", str(clip_path("slide_deck")), "--out", str(tmp_path / "out")])

    last_line = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert code == 0, last_line
    assert last_line.startswith("VALID: ")
    assert "0 error(s)" in last_line and "4 note(s)" in last_line


@pytest.mark.parametrize(("clip", "kind"), [("still_png", "PNG"), ("still_jpeg", "JPEG")])
def test_a_still_image_named_as_a_video_fails_with_1010_saying_so(
    ffmpeg_backend, storage, put_clip, s3_prefix, clip, kind
):
    source = put_clip(clip_path(clip), "in/holiday.mp4")

    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(source))

    assert job.status is JobStatus.ERROR
    assert job.error_code == errors.INPUT_ERROR
    assert job.error_message == (
        f"The input is a still image ({kind}), not a video: an HLS ladder needs moving pictures."
    )
    assert list(storage.list(s3_prefix + "/")) == [source]

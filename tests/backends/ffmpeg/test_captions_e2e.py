"""Captions through the FFmpeg backend: sidecar files -> WebVTT renditions in a SUBTITLES
group and burn-in, with MediaConvert's names; bad caption files end the job in ERROR."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.ffmpeg_jobs import run_job
from vod_testbed.backends.captions import CaptionDestination, CaptionTrack
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import Ladder, Rung
from vod_testbed.common import errors
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.captions import CaptionFormat
from vod_testbed.media.probe import probe

pytestmark = pytest.mark.e2e

# One small rung and 2 s segments: a 3 s clip makes two segments per track.
LADDER = Ladder(
    rungs=(Rung("360p", 640, 360, 800_000, audio_bitrate=64_000),),
    segment_seconds=2,
    thumbnails=None,
)
SRT = (
    b"1\n00:00:00,200 --> 00:00:01,500\nWelcome\n\n"
    b"2\n00:00:01,800 --> 00:00:02,600\nto the course\n"
)
VTT = b"WEBVTT\n\n00:00.300 --> 00:01.200\nBienvenue\n"


def _put(storage, s3_prefix: str, name: str, data: bytes, tmp_path: Path) -> str:
    local = tmp_path / name
    local.write_bytes(data)
    uri = f"{s3_prefix}/{name}"
    storage.put(local, uri)
    return uri


def test_webvtt_renditions_and_burn_in_as_mediaconvert_writes_them(
    ffmpeg_backend, storage, put_clip, s3_prefix, tmp_path
):
    clip = clip_path("small")
    source = put_clip(clip, "lecture.mp4")
    srt = _put(storage, s3_prefix, "lecture.en.srt", SRT, tmp_path)
    vtt = _put(storage, s3_prefix, "lecture.fr.vtt", VTT, tmp_path)
    tracks = (
        CaptionTrack(srt, CaptionFormat.SRT, "eng", "English (CC)"),
        CaptionTrack(vtt, CaptionFormat.WEBVTT, "fra", time_delta_ms=500),
        CaptionTrack(srt, CaptionFormat.SRT, "eng", destination=CaptionDestination.BURN_IN),
    )
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(source, ladder=LADDER, captions=tracks))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    hls = f"{s3_prefix}/lecture_processed/hls"
    assert [
        (c.name_modifier, c.language, c.name, c.playlist_uri) for c in job.outputs.captions
    ] == [
        ("_captions_eng", "eng", "English (CC)", f"{hls}/master_captions_eng.m3u8"),
        ("_captions_fra", "fra", "French", f"{hls}/master_captions_fra.m3u8"),
    ]
    keys = sorted(u.rsplit("/", 1)[-1] for u in storage.list(hls + "/"))
    assert [k for k in keys if "captions" in k] == [
        "master_captions_eng.m3u8",
        "master_captions_eng_00001.vtt",
        "master_captions_eng_00002.vtt",
        "master_captions_fra.m3u8",
        "master_captions_fra_00001.vtt",
        "master_captions_fra_00002.vtt",
    ]
    local = storage.download_tree(hls, tmp_path / "hls")
    master = (local / "master.m3u8").read_text()
    assert 'SUBTITLES="subs"' in master.splitlines()[3]
    assert (
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English (CC)",DEFAULT=YES,'
        'AUTOSELECT=YES,FORCED=NO,LANGUAGE="eng",URI="master_captions_eng.m3u8"'
    ) in master
    assert 'LANGUAGE="fra",URI="master_captions_fra.m3u8"' in master
    # TimeDelta +500 ms: the French cue moves from 0.3 s to 0.8 s.
    assert (
        "00:00:00.800 --> 00:00:01.700\nBienvenue"
        in (local / "master_captions_fra_00001.vtt").read_text()
    )
    # The cue spanning the 2 s boundary is in both segments.
    second = (local / "master_captions_eng_00002.vtt").read_text()
    assert second.startswith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:")
    assert "00:00:01.800 --> 00:00:02.600\nto the course" in second

    report = validate_hls(local / "master.m3u8", source_duration_s=probe(clip).duration_s)
    assert report.ok, report.render_text()
    assert [(s.language, s.name, s.default, s.segment_count) for s in report.subtitles] == [
        ("eng", "English (CC)", True, 2),
        ("fra", "French", False, 2),
    ]
    ids = {c.id for c in report.checks if c.ok}
    assert {"subtitles.group", "subtitles.segments", "subtitles.cues", "subtitles.duration"} <= ids

    # The validator catches what would put captions out of step with the picture.
    segment = local / "master_captions_eng_00001.vtt"
    segment.write_text(segment.read_text().replace("MPEGTS:", "MPEGTS:9"))
    broken = validate_hls(local / "master.m3u8")
    assert any(c.id == "subtitles.segments" and not c.ok for c in broken.checks)


def test_burn_in_draws_the_captions_into_the_picture(
    ffmpeg_backend, put_clip, storage, s3_prefix, tmp_path
):
    clip = clip_path("small")
    source = put_clip(clip, "burn.mp4")
    srt = _put(
        storage, s3_prefix, "burn.srt", b"1\n00:00:00,000 --> 00:00:03,000\nWWWWWWWW\n", tmp_path
    )
    plain, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(source, ladder=LADDER))
    burnt, _ = run_job(
        ffmpeg_backend,
        JobRequest.for_prefix(
            source,
            output_prefix=f"{s3_prefix}/burnt",
            ladder=LADDER,
            captions=(
                CaptionTrack(srt, CaptionFormat.SRT, destination=CaptionDestination.BURN_IN),
            ),
        ),
    )
    assert plain.status is burnt.status is JobStatus.COMPLETE
    assert burnt.outputs is not None and burnt.outputs.captions == ()
    frames = []
    for job, name in ((plain, "plain"), (burnt, "burnt")):
        assert job.outputs is not None
        segment = job.outputs.renditions[0].playlist_uri.replace(".m3u8", "_00001.ts")
        frames.append(_bottom_rows(storage.fetch(segment, tmp_path / f"{name}.ts")))
    # Text appears in the bottom band, where libass draws: many pixels change sharply there
    # (the encoder alone moves a pixel by a few levels, never by 64).
    assert _changed_share(*frames) > 0.02


def _bottom_rows(path: Path) -> list[int]:
    import av

    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        luma = frame.planes[0]
        data = bytes(luma)
    rows = range(frame.height - 60, frame.height)
    return [v for y in rows for v in data[y * luma.line_size : y * luma.line_size + frame.width]]


def _changed_share(a: list[int], b: list[int]) -> float:
    return sum(abs(x - y) > 64 for x, y in zip(a, b, strict=True)) / len(a)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "is not a text file"),
        ("1\n00:00:00,000 --> 00:00:01,000\nD\u00e9j\u00e0 vu\n".encode("cp1252"), "is not UTF-8"),
        (b"1\n00:00:09,000 --> 00:00:10,000\nLate\n", "past the end of the video"),
    ],
)
def test_a_bad_caption_file_ends_the_job_in_error_with_its_reason(
    ffmpeg_backend, put_clip, storage, s3_prefix, tmp_path, data, reason
):
    source = put_clip(clip_path("small"), "bad.mp4")
    uri = _put(storage, s3_prefix, "bad.srt", data, tmp_path)
    job, _ = run_job(
        ffmpeg_backend,
        JobRequest.for_prefix(
            source, ladder=LADDER, captions=(CaptionTrack(uri, CaptionFormat.SRT),)
        ),
    )
    assert job.status is JobStatus.ERROR
    assert job.error_code == errors.INPUT_ERROR
    assert job.error_message is not None
    assert job.error_message.startswith("Caption file bad.srt (SRT, eng) ")
    assert reason in job.error_message
    assert list(storage.list(f"{s3_prefix}/bad_processed/")) == []


def test_the_ladder_report_lists_the_caption_tracks(
    ffmpeg_backend, storage, put_clip, s3_prefix, tmp_path
):
    from vod_testbed.report.build import build_report
    from vod_testbed.report.render import render_text

    source = put_clip(clip_path("small"), "report.mp4")
    srt = _put(storage, s3_prefix, "report.srt", SRT, tmp_path)
    job, _ = run_job(
        ffmpeg_backend,
        JobRequest.for_prefix(
            source, ladder=LADDER, captions=(CaptionTrack(srt, CaptionFormat.SRT, "eng"),)
        ),
    )
    assert job.outputs is not None
    report = build_report(job.outputs.master_playlist_uri, storage=storage, ladder=LADDER)
    assert [(t.language, t.name, t.segment_count, t.cue_count) for t in report.captions] == [
        ("eng", "English", 2, 3)  # the cue spanning the 2 s boundary is in both segments
    ]
    assert report.to_dict()["captions"][0]["playlist"] == "master_captions_eng.m3u8"
    assert "captions eng 'English': master_captions_eng.m3u8, 2 segment(s), 3 cue(s), default" in (
        render_text(report)
    )

"""Audio-only sources (M4A, MP3, WAV, FLAC) through the FFmpeg backend: an audio-only HLS
ladder where the ladder allows one, the old refusal where it does not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support.ffmpeg_jobs import run_job, validated
from vod_testbed.backends.captions import CaptionTrack
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.common import errors
from vod_testbed.fixtures.media import clip_path
from vod_testbed.media.captions import CaptionFormat

pytestmark = pytest.mark.e2e

AUDIO_LADDER = replace(DEFAULT_LADDER, audio_only=True)


@pytest.mark.parametrize("clip", ["audio_only", "audio_mp3", "audio_wav", "audio_flac"])
def test_an_audio_only_source_makes_an_audio_only_ladder(
    ffmpeg_backend, storage, put_clip, s3_prefix, clip
):
    path = clip_path(clip)
    source = put_clip(path, f"talk{path.suffix}")
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(source, ladder=AUDIO_LADDER))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    assert [(r.name, r.width, r.height) for r in job.outputs.renditions] == [
        ("audio_128k", 0, 0),
        ("audio_96k", 0, 0),
        ("audio_64k", 0, 0),
    ]
    assert all(abs(r.duration_ms - 3000) <= 100 for r in job.outputs.renditions)
    assert job.outputs.thumbnail_uris == ()
    keys = sorted(u.rsplit("/", 1)[-1] for u in storage.list(f"{s3_prefix}/talk_processed/"))
    assert keys == [
        "master.m3u8",
        "master_audio_128k.m3u8",
        "master_audio_128k_00001.ts",
        "master_audio_64k.m3u8",
        "master_audio_64k_00001.ts",
        "master_audio_96k.m3u8",
        "master_audio_96k_00001.ts",
    ]
    report = validated(job, AUDIO_LADDER, path, storage)
    assert report.ok, report.render_text()
    assert [f.codecs for f in report.renditions] == ["mp4a.40.2"] * 3
    assert report.renditions[0].audio == "aac LC 2 ch 48000 Hz"


def test_without_the_policy_an_audio_only_source_still_fails_1010(ffmpeg_backend, put_clip):
    source = put_clip(clip_path("audio_mp3"), "talk.mp3")
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(source))
    assert job.status is JobStatus.ERROR
    assert job.error_code == errors.INPUT_ERROR
    assert "no video stream" in (job.error_message or "")


def test_a_recorded_talk_keeps_its_captions(ffmpeg_backend, storage, put_clip, s3_prefix, tmp_path):
    path = clip_path("audio_mp3")
    source = put_clip(path, "talk.mp3")
    srt = tmp_path / "talk.srt"
    srt.write_bytes(b"1\n00:00:00,500 --> 00:00:02,000\nWelcome to the podcast\n")
    uri = f"{s3_prefix}/talk.srt"
    storage.put(srt, uri)
    request = JobRequest.for_prefix(
        source, ladder=AUDIO_LADDER, captions=(CaptionTrack(uri, CaptionFormat.SRT, "eng"),)
    )
    job, _ = run_job(ffmpeg_backend, request)
    assert job.status is JobStatus.COMPLETE, job.error_message
    report = validated(job, AUDIO_LADDER, path, storage)
    assert report.ok, report.render_text()
    assert [(s.language, s.cue_count) for s in report.subtitles] == [("eng", 1)]
    assert not report.failed("subtitles.segments")

"""The FFmpeg backend runs a job model, not only the ladder: HLS beside file outputs, as
the emulator runs them, with the same object names."""

from __future__ import annotations

import pytest

from tests.backends.ffmpeg.jobs import run_job
from tests.backends.mediaconvert.job_examples import hls_with_downloads_job
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.media.probe import probe

pytestmark = pytest.mark.e2e


def test_hls_beside_file_outputs_on_the_ffmpeg_backend(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    model = parse_job_settings(to_wire_case(hls_with_downloads_job(source, s3_prefix))).job
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(model))

    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    hls, files = job.outputs.groups
    assert (hls.type, hls.playlist_uri) == ("HLS_GROUP", f"{s3_prefix}/hls/index.m3u8")
    assert [o.height for o in hls.outputs] == [720, 360]
    assert [o.uris[0].rsplit("/", 1)[1] for o in files.outputs] == [
        "lecture_hevc.mp4",
        "lecture_audio.m4a",
        "lecture_mp3.mp3",
        "lecture_wav.wav",
    ]
    assert all(abs(o.duration_ms - 2000) <= 200 for o in files.outputs)
    hevc = probe(storage.fetch(files.outputs[0].uris[0], tmp_path / "hevc.mp4"))
    assert hevc.video is not None and hevc.video.codec == "hevc"
    assert hevc.audio is not None and hevc.audio.codec == "ac3"
    keys = sorted(uri.rsplit("/", 1)[1] for uri in storage.list(f"{s3_prefix}/hls/"))
    assert keys == [
        "index.m3u8",
        "index_360p.m3u8",
        "index_360p_00001.ts",
        "index_720p.m3u8",
        "index_720p_00001.ts",
    ]

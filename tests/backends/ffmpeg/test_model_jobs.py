"""The FFmpeg backend runs a job model, not only the ladder: HLS beside file outputs, as
the emulator runs them, with the same object names."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support.ffmpeg_jobs import run_job
from tests.support.job_examples import (
    AUDIO_SELECTORS,
    frame_capture_job,
    hls_group,
    hls_with_downloads_job,
)
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.jobmodel.ladder import hls_group_ladder
from vod_testbed.backends.jobmodel.model import HlsGroup
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.common import errors
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
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


def test_two_hls_groups_each_validate_against_their_own_ladder(
    ffmpeg_backend, put_clip, s3_prefix, storage
):
    source = put_clip(clip_path("short_2s"), "talk.mp4")
    settings = {
        "Inputs": [{"FileInput": source, "AudioSelectors": AUDIO_SELECTORS}],
        "OutputGroups": [
            hls_group(f"{s3_prefix}/a/index", ("_720p", 1280, 720, 3_000_000)),
            hls_group(
                f"{s3_prefix}/b/", ("_360p", 640, 360, 800_000), ("_240p", 426, 240, 400_000)
            ),
        ],
    }
    parsed = parse_job_settings(to_wire_case(settings))
    assert parsed.ladder is None
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(parsed.job))

    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    masters = [g.playlist_uri for g in job.outputs.groups]
    # A destination ending in '/' takes the input's name.
    assert masters == [f"{s3_prefix}/a/index.m3u8", f"{s3_prefix}/b/talk.m3u8"]
    for group, master in zip(parsed.job.output_groups, masters, strict=True):
        assert isinstance(group, HlsGroup)
        ladder = hls_group_ladder(group, parsed.job.inputs[0])
        assert ladder is not None
        report = validate_hls(
            master,
            expected=replace(ladder, thumbnails=None),
            source_duration_s=probe(clip_path("short_2s")).duration_s,
            storage=storage,
        )
        assert report.ok, report.render_text()


def test_a_model_with_names_ffmpeg_cannot_write_is_refused_by_name(ffmpeg_backend, s3_prefix):
    settings = frame_capture_job(f"{s3_prefix}/in/talk.mp4", f"{s3_prefix}/stills/")
    settings["OutputGroups"][0]["Outputs"][0]["NameModifier"] = "_100%"
    model = parse_job_settings(to_wire_case(settings)).job
    with pytest.raises(errors.InvalidRequestError, match="model/output_groups/0"):
        ffmpeg_backend.submit(JobRequest.for_model(model))

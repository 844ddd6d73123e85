"""H.265 renditions in an HLS group (TS segments) on the FFmpeg backend, and rendered back
into Settings: MediaConvert's H265Settings in an HLS output, its CODECS read from the
stream's own sequence parameter set (docs/ARCHITECTURE.md, "FFmpeg")."""

from __future__ import annotations

import re
from dataclasses import replace

import m3u8
import pytest

from tests.support.ffmpeg_jobs import run_job
from tests.support.job_examples import hevc_hls_job
from tests.support.settings_builders import assert_valid_for_boto3
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.segments import inspect_segment

SOURCE = "s3://media/in/lecture.mp4"
# Main profile (1), compatible with Main and Main 10 (flags 6), main tier, a level, and the
# constraint bytes x265 sets (progressive source, frame only: 90), trailing zeros omitted.
HEVC_MAIN = re.compile(r"hvc1\.1\.6\.L\d+\.90")


def test_an_hevc_rendition_reads_back_and_renders_as_settings_aws_accepts() -> None:
    job = parse_job_settings(to_wire_case(hevc_hls_job(SOURCE, "s3://media/out/index"))).job
    rendered = render_model_settings(job)
    assert_valid_for_boto3(rendered)
    codec = rendered["OutputGroups"][0]["Outputs"][1]["VideoDescription"]["CodecSettings"]
    assert (codec["Codec"], codec["H265Settings"]["CodecProfile"]) == ("H_265", "MAIN_MAIN")
    again = parse_job_settings(to_wire_case(rendered)).job
    assert replace(again, warnings=()) == replace(job, warnings=())


def test_a_main10_rendition_in_hls_is_refused_by_name() -> None:
    settings = hevc_hls_job(SOURCE, "s3://media/out/index")
    hevc = settings["OutputGroups"][0]["Outputs"][1]["VideoDescription"]["CodecSettings"]
    hevc["H265Settings"]["CodecProfile"] = "MAIN10_MAIN"
    with pytest.raises(ValueError, match=r"h265Settings/codecProfile.*8-bit Main"):
        parse_job_settings(to_wire_case(settings))


@pytest.mark.e2e
def test_the_ffmpeg_backend_writes_an_hevc_rung_beside_an_avc_one(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    model = parse_job_settings(to_wire_case(hevc_hls_job(source, f"{s3_prefix}/hls/index"))).job
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(model))
    assert job.status is JobStatus.COMPLETE, job.error_message

    master = m3u8.loads(
        storage.fetch(f"{s3_prefix}/hls/index.m3u8", tmp_path / "m.m3u8").read_text()
    )
    codecs = {p.uri: p.stream_info.codecs for p in master.playlists}
    assert codecs["index_avc.m3u8"].startswith("avc1.")
    assert HEVC_MAIN.fullmatch(codecs["index_hevc.m3u8"].split(",")[0]), codecs
    segment = storage.fetch(f"{s3_prefix}/hls/index_hevc_00002.ts", tmp_path / "2.ts")
    media = inspect_segment(segment)
    # The second segment opens on an IDR of its own, parameter sets included.
    assert media.first_packet_is_keyframe and HEVC_MAIN.fullmatch(media.video_codecs or "")
    report = validate_hls(f"{s3_prefix}/hls/index.m3u8", storage=storage)
    assert report.ok, report.render_text()
    assert any("H.265 Main level" in c.message for c in report.checks), report.render_text()

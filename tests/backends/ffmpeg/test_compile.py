"""A job model compiled into ffmpeg commands (pure: nothing runs)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from tests.support.job_examples import hls_with_downloads_job, mp4_output
from vod_testbed.backends.ffmpeg.compile import Source, file_group_plan, hls_group_plan
from vod_testbed.backends.jobmodel.model import FileGroup, HlsGroup
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.media.probe import AudioInfo, MediaInfo, VideoInfo

MEDIA = MediaInfo(
    "mov,mp4,m4a,3gp,3g2,mj2",
    2.0,
    1000,
    VideoInfo("h264", 1280, 720, Fraction(1), 0, Fraction(30), Fraction(30), "yuv420p", "High", 8),
    AudioInfo("aac", 2, 48000),
)


def job(settings: dict) -> tuple[HlsGroup, FileGroup, Source]:
    spec = parse_job_settings(to_wire_case(settings)).job
    hls, files = spec.output_groups
    assert isinstance(hls, HlsGroup) and isinstance(files, FileGroup)
    return hls, files, Source(Path("/w/in.mp4"), MEDIA, spec.inputs[0])


def test_a_file_group_is_one_process_writing_every_output_under_its_name() -> None:
    _, files, source = job(hls_with_downloads_job("s3://m/in/lecture.mp4", "s3://m/out"))
    plan = file_group_plan(files, source, Path("/w/g1"), "superfast", "ffmpeg")
    argv = " ".join(plan.argv)
    assert [t.path.name for t in plan.targets] == [
        "lecture_hevc.mp4",
        "lecture_audio.m4a",
        "lecture_mp3.mp3",
        "lecture_wav.wav",
    ]
    assert argv.count("-i ") == 1  # the input is decoded once for every output
    assert "-c:v libx265" in argv and "-tag:v hvc1" in argv
    assert "-c:a:0 ac3" in argv and "-c:a:0 libmp3lame" in argv and "-c:a:0 pcm_s16le" in argv
    # MoovPlacement NORMAL on the H.265 file, PROGRESSIVE_DOWNLOAD (the default) on the M4A.
    assert argv.count("+faststart") == 1


def test_preprocessors_become_filters_on_the_outputs_that_ask() -> None:
    settings = hls_with_downloads_job("s3://m/in/lecture.mp4", "s3://m/out")
    output = mp4_output(modifier="_clean")
    output["VideoDescription"]["VideoPreprocessors"] = {
        "Deinterlacer": {"Mode": "ADAPTIVE"},
        "NoiseReducer": {"Filter": "BILATERAL"},
    }
    settings["OutputGroups"][1]["Outputs"].append(output)
    hls, files, source = job(settings)
    argv = " ".join(file_group_plan(files, source, Path("/w/g1"), "superfast", "ffmpeg").argv)
    assert "bwdif" in argv and "hqdn3d" in argv
    # The HLS group's own renditions ask for none.
    assert not hls_group_plan(
        hls, source, Path("/w/g0"), "superfast", None
    ).preprocessors.noise_reducer

"""TargetDurationCompatibilityMode read and written (MediaConvert API reference,
HlsGroupSettings: LEGACY, the default, rounds the target duration up; SPEC_COMPLIANT rounds
it at .5)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from vod_testbed.backends.ffmpeg.outputs import round_target_duration_up
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings


def _settings(round_up: bool) -> dict:
    ladder = replace(DEFAULT_LADDER, round_target_duration_up=round_up)
    return render_job_settings(JobRequest.for_prefix("s3://media/video/u1/a.mp4", ladder=ladder))


def _hls(settings: dict) -> dict:
    return settings["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]


def test_the_ladder_renders_spec_compliant_and_reads_back_the_same() -> None:
    settings = _settings(False)
    assert _hls(settings)["TargetDurationCompatibilityMode"] == "SPEC_COMPLIANT"
    parsed = parse_job_settings(to_wire_case(settings))
    assert parsed.request.ladder.round_target_duration_up is False
    assert _hls(_settings(True))["TargetDurationCompatibilityMode"] == "LEGACY"


def test_settings_without_the_mode_get_mediaconverts_default_legacy() -> None:
    settings = _settings(False)
    del _hls(settings)["TargetDurationCompatibilityMode"]
    parsed = parse_job_settings(to_wire_case(settings))
    assert parsed.request.ladder.round_target_duration_up is True


def test_legacy_rounds_the_longest_segment_up(tmp_path: Path) -> None:
    playlist = tmp_path / "master_1080p.m3u8"
    playlist.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n"
        "#EXTINF:6.006000,\na_00001.ts\n#EXTINF:3.000000,\na_00002.ts\n#EXT-X-ENDLIST\n"
    )
    round_target_duration_up(playlist)
    assert "#EXT-X-TARGETDURATION:7\n" in playlist.read_text()
    playlist.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.000000,\na.ts\n")
    round_target_duration_up(playlist)
    assert "#EXT-X-TARGETDURATION:6\n" in playlist.read_text()

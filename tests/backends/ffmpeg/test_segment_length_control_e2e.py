"""A GOP that does not divide the segment length, as the service model's
HlsGroupSettings.SegmentLengthControl documents it: GOP_MULTIPLE "will round up the segment
lengths to match the next GOP boundary"; with EXACT, AWS adds I-frames at segment ends,
which the emulator does not reproduce, so it refuses the job by name (the setting that
would run it named in the message)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.backends.ffmpeg.jobs import run_job
from tests.backends.mediaconvert.job_examples import AUDIO_SELECTORS
from tests.support.inputs import h264_output, hls_group, write_source
from vod_testbed.backends.job import JobStatus
from vod_testbed.backends.mediaconvert.coverage import SettingsError
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.hls.validation import validate_hls


def _settings(source: str, destination: str, control: str | None) -> dict[str, Any]:
    output = h264_output("_180p")
    # A 90-frame GOP at 30 fps: 3 s, which does not divide the 2 s segments.
    output["VideoDescription"]["CodecSettings"]["H264Settings"].update(
        {"GopSize": 90, "GopSizeUnits": "FRAMES", "FramerateControl": "SPECIFIED",
         "FramerateNumerator": 30, "FramerateDenominator": 1}
    )  # fmt: skip
    group = hls_group(destination, output)
    if control is not None:
        group["OutputGroupSettings"]["HlsGroupSettings"]["SegmentLengthControl"] = control
    return {
        "Inputs": [{"FileInput": source, "AudioSelectors": AUDIO_SELECTORS}],
        "OutputGroups": [group],
    }


@pytest.mark.parametrize("control", [None, "EXACT"])
def test_exact_segments_with_a_gop_that_does_not_divide_them_are_refused_by_name(
    control: str | None,
) -> None:
    with pytest.raises(SettingsError, match="GOP_MULTIPLE rounds segments up") as raised:
        parse_job_settings(to_wire_case(_settings("s3://in/a.mov", "s3://out/hls/m", control)))
    assert "h264Settings/gopSize" in str(raised.value)


@pytest.mark.e2e
def test_gop_multiple_rounds_each_segment_up_to_the_gop(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path: Path
) -> None:
    source = put_clip(write_source(tmp_path / "a.mov", duration_s=4), "a.mov")
    parsed = parse_job_settings(
        to_wire_case(_settings(source, f"{s3_prefix}/hls/master", "GOP_MULTIPLE"))
    )
    assert parsed.ladder is not None
    assert (parsed.ladder.ladder.segment_seconds, parsed.ladder.ladder.gop_seconds) == (3, 3)
    job, _ = run_job(ffmpeg_backend, parsed.ladder)
    assert job.status is JobStatus.COMPLETE, job.error_message
    report = validate_hls(
        f"{s3_prefix}/hls/master.m3u8",
        expected=parsed.ladder.ladder,
        storage=storage,
        source_duration_s=4.0,
    )
    assert report.ok, report.render_text()
    (rendition,) = report.renditions
    assert rendition.segment_count == 2  # 3 s, then the last 1 s

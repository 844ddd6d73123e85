"""A GOP that does not divide the segment length, as the service model's
HlsGroupSettings.SegmentLengthControl documents it: GOP_MULTIPLE "will round up the segment
lengths to match the next GOP boundary"; EXACT (the default) keeps the segment length and
"might result in additional I-frames in the output GOP": keyframes at the segment
boundaries as well as on the GOP grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import m3u8
import pytest

from tests.support.ffmpeg_jobs import run_job
from tests.support.inputs import h264_output, hls_group, write_source
from tests.support.job_examples import AUDIO_SELECTORS
from vod_testbed.backends.job import JobStatus
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media.segments import inspect_segment


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


@pytest.mark.e2e
@pytest.mark.parametrize("control", [None, "EXACT"])
def test_exact_segments_get_keyframes_at_their_boundaries(
    control: str | None, ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path: Path
) -> None:
    source = put_clip(write_source(tmp_path / "a.mov", duration_s=4), "a.mov")
    parsed = parse_job_settings(to_wire_case(_settings(source, f"{s3_prefix}/hls/m", control)))
    assert parsed.ladder is not None
    ladder = parsed.ladder.ladder
    assert (ladder.segment_seconds, ladder.gop_seconds, ladder.exact_segments) == (2, 3, True)
    job, _ = run_job(ffmpeg_backend, parsed.ladder)
    assert job.status is JobStatus.COMPLETE, job.error_message
    report = validate_hls(
        f"{s3_prefix}/hls/m.m3u8", expected=ladder, storage=storage, source_duration_s=4.0
    )
    assert report.ok, report.render_text()  # every segment opens on an IDR, among others
    variant = storage.fetch(f"{s3_prefix}/hls/m_180p.m3u8", tmp_path / "v.m3u8").read_text()
    assert [round(s.duration, 3) for s in m3u8.loads(variant).segments] == [2.0, 2.0]
    # IDRs at 0, 2 (a segment boundary), 3 (the GOP grid): the extra I-frame AWS adds.
    first = inspect_segment(storage.fetch(f"{s3_prefix}/hls/m_180p_00001.ts", tmp_path / "1.ts"))
    second = inspect_segment(storage.fetch(f"{s3_prefix}/hls/m_180p_00002.ts", tmp_path / "2.ts"))
    starts = [first.start_time or 0.0] * 2
    times = [round(t - starts[0], 2) for t in first.keyframe_times + second.keyframe_times]
    assert times == [0.0, 2.0, 3.0], times


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

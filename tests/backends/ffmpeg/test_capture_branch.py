"""A frame capture beside an HLS group is written by the HLS group's ffmpeg process, from the
picture it already decodes, when the images come out the same (pure: nothing runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.job_examples import file_group, frame_capture_output, hls_group
from tests.support.sources import media_info
from vod_testbed.backends.ffmpeg.capture_branch import with_capture
from vod_testbed.backends.ffmpeg.command import build_command
from vod_testbed.backends.ffmpeg.compile import Source, file_group_plan, hls_group_plan
from vod_testbed.backends.jobmodel.model import FileGroup, HlsGroup
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings

SOURCE = "s3://m/in/lecture.mp4"


def _plans(capture: dict[str, Any]) -> tuple[Any, Any]:
    settings = {
        "Inputs": [{"FileInput": SOURCE, "AudioSelectors": {"Audio Selector 1": {}}}],
        "OutputGroups": [
            hls_group("s3://m/out/hls/master", ("_720p", 1280, 720, 3_000_000)),
            file_group("s3://m/out/thumbnails/master", capture),
        ],
    }
    spec = parse_job_settings(to_wire_case(settings)).job
    hls, files = spec.output_groups
    assert isinstance(hls, HlsGroup) and isinstance(files, FileGroup)
    source = Source(Path("/w/in.mp4"), media_info(1280, 720), spec.inputs[0])
    ladder = hls_group_plan(hls, source, Path("/w/group0"), "superfast", None)
    return ladder, file_group_plan(files, source, Path("/w/group1"), "superfast", "ffmpeg")


def test_a_frame_capture_becomes_a_branch_of_the_ladders_decode() -> None:
    ladder, files = _plans(frame_capture_output())
    joined = with_capture(ladder, files)
    assert joined is not None
    argv = build_command(joined, "ffmpeg")
    assert argv.count("-i") == 1
    # Where, how often, how many and how good: what the file group's own command writes.
    (target,) = files.targets
    assert str(target.path) in argv  # /w/group1/master_thumb.%07d.jpg
    own = " ".join(files.argv)
    branch = " ".join(argv)
    for option in ("-frames:v 10", "-q:v 8", "-start_number 0"):
        assert option in own and option in branch
    assert "isnan(prev_selected_t)+gte(t-prev_selected_t\\,1)" in branch
    assert "scale=320:180" in branch


def _larger_than_the_ladder() -> dict[str, Any]:
    # The ladder scales a larger input down to its largest picture before it splits it.
    capture = frame_capture_output()
    capture["VideoDescription"].update({"Width": 1920, "Height": 1080})
    return capture


def _twice_a_second() -> dict[str, Any]:
    # Not the ladder's whole-second rule.
    return frame_capture_output(FramerateNumerator=2, FramerateDenominator=1)


@pytest.mark.parametrize("capture", [_larger_than_the_ladder, _twice_a_second])
def test_a_capture_the_branch_would_change_keeps_its_own_process(capture: Any) -> None:
    ladder, files = _plans(capture())
    assert with_capture(ladder, files) is None

"""Rendering a ladder and parsing it back gives the same ladder (docs/ARCHITECTURE.md,
"The settings contract")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from tests.support.settings_builders import (
    INPUT,
    assert_valid_for_boto3,
    read_back,
    request,
    wire,
)
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    DEFAULT_LADDER,
    AudioSpec,
    RateControl,
    RotatePolicy,
    ThumbnailSpec,
    UpscalePolicy,
)
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings


def _qvbr(rung: Any) -> Any:
    return replace(rung, rate_control=RateControl.QVBR, qvbr_quality=7)


ROUND_TRIPS: dict[str, Callable[[], JobRequest]] = {
    "default": lambda: JobRequest.for_prefix(INPUT, user_metadata={"videoId": "v-1"}),
    "fit-no-upscale": lambda: request(upscale=UpscalePolicy.FIT_NO_UPSCALE),
    "no-rotation": lambda: request(rotate=RotatePolicy.NONE),
    "rotate-90": lambda: request(rotate=RotatePolicy.DEGREES_90),
    "rotate-180": lambda: request(rotate=RotatePolicy.DEGREES_180),
    "frame-rate-25": lambda: request(frame_rate=Fraction(25)),
    "scene-cuts": lambda: request(scene_cut_min_frames=12),
    "vbv-buffer": lambda: request(
        rungs=(
            replace(DEFAULT_LADDER.rungs[0], buffer_bits=4_000_000, buffer_initial_fill_percent=50),
        )
    ),
    "cbr": lambda: request(
        rungs=tuple(replace(r, rate_control=RateControl.CBR) for r in DEFAULT_LADDER.rungs)
    ),
    "qvbr": lambda: request(rungs=tuple(_qvbr(r) for r in DEFAULT_LADDER.rungs)),
    "qvbr-no-level": lambda: request(
        rungs=(replace(DEFAULT_LADDER.rungs[0], rate_control=RateControl.QVBR),)
    ),
    "vbr-explicit-peak": lambda: request(
        rungs=(replace(DEFAULT_LADDER.rungs[0], peak_bitrate=6_000_000, profile="main"),)
    ),
    "no-thumbnails": lambda: request(thumbnails=None),
    "integer-durations": lambda: request(integer_durations=True, segment_seconds=4),
    "mono-44k": lambda: request(audio=AudioSpec(channels=1, sample_rate=44_100)),
    "thumbs-custom": lambda: request(
        thumbnails=ThumbnailSpec(
            interval_s=5, width=640, height=360, quality=60, name_modifier="", max_captures=20
        )
    ),
    "gop-3": lambda: request(segment_seconds=6, gop_seconds=3),
    # Settings carry no AAC bitrate for video-only outputs: rungs read back with the default.
    "video-only": lambda: request(
        audio=None,
        rungs=tuple(replace(r, audio_bitrate=128_000) for r in DEFAULT_LADDER.rungs),
    ),
}


def test_outputs_without_audio_descriptions_make_a_video_only_ladder() -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    for output in settings["outputGroups"][0]["outputs"]:
        output.pop("audioDescriptions")
    settings["inputs"][0].pop("audioSelectors")
    parsed = parse_job_settings(settings)
    assert parsed.request.ladder.audio is None
    assert [r.name for r in parsed.request.ladder.rungs] == ["1080p", "720p", "480p", "360p"]


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_round_trip_gives_the_same_request(name: str) -> None:
    req = ROUND_TRIPS[name]()
    settings = render_job_settings(req)
    assert_valid_for_boto3(settings)
    parsed = parse_job_settings(to_wire_case(settings), user_metadata=req.user_metadata)
    assert parsed.request == read_back(req)
    assert parsed.warnings == ()


def test_trailing_slash_destination_takes_the_input_name() -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    settings["outputGroups"][0]["outputGroupSettings"]["hlsGroupSettings"]["destination"] = (
        "s3://out/hls/"
    )
    parsed = parse_job_settings(settings)
    assert parsed.request.hls_destination == "s3://out/hls/abc-1700000000-clip"

"""Job settings -> the ladder: the job as AWS documents it, and the approximations that warn."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest

from tests.support.settings_builders import (
    AWS_DOC_SETTINGS,
    INPUT,
    assert_valid_for_boto3,
    h264_of,
    wire,
)
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    AudioSpec,
    MissingAudio,
    RateControl,
    RotatePolicy,
    ThumbnailSpec,
    UpscalePolicy,
)
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import EMULATION_WARNING, parse_job_settings


def test_the_aws_documentation_job_parses() -> None:
    assert_valid_for_boto3(AWS_DOC_SETTINGS)
    parsed = parse_job_settings(to_wire_case(AWS_DOC_SETTINGS), user_metadata={"assetId": "a"})
    req = parsed.request
    assert parsed.warnings == ()
    assert req.input_uri == "s3://bucket/path/input/source.mp4"
    assert req.hls_destination == "s3://bucket/path/hls/master"
    assert req.thumbnail_destination == "s3://bucket/path/thumbnails/master"
    assert req.user_metadata == {"assetId": "a"}
    ladder = req.ladder
    assert [(r.name, r.width, r.height) for r in ladder.rungs] == [
        ("1080p", 1920, 1080),
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    assert [r.rate_control for r in ladder.rungs] == [RateControl.QVBR] * 4
    assert [r.max_bitrate for r in ladder.rungs] == [5_000_000, 3_000_000, 1_500_000, 800_000]
    assert [r.qvbr_quality for r in ladder.rungs] == [8, 7, 7, 7]
    assert [r.profile for r in ladder.rungs] == ["high", "high", "main", "main"]
    assert [r.audio_bitrate for r in ladder.rungs] == [128_000, 128_000, 96_000, 64_000]
    assert (ladder.segment_seconds, ladder.gop_seconds) == (6, 2)
    # Its outputs take audio: on a source without any, the job fails as on AWS.
    assert ladder.audio == AudioSpec(channels=2, sample_rate=48_000, when_absent=MissingAudio.FAIL)
    assert ladder.thumbnails == ThumbnailSpec(
        interval_s=10, width=1280, height=720, quality=80, name_modifier="_thumb", max_captures=100
    )
    assert ladder.upscale is UpscalePolicy.UPSCALE
    # TRANSITION_DETECTION with MinIInterval blank: scene cuts may add IDRs (6 frames apart).
    assert ladder.scene_cut_min_frames == 6
    # Its video selector is empty: MediaConvert does not rotate by default.
    assert ladder.rotate is RotatePolicy.NONE


def test_encoder_internals_are_accepted_and_change_nothing() -> None:
    base = wire(JobRequest.for_prefix(INPUT))
    tuned = copy.deepcopy(base)
    output = tuned["outputGroups"][0]["outputs"][0]
    h264 = output["videoDescription"]["codecSettings"]["h264Settings"]
    h264.update(
        {
            "qualityTuningLevel": "MULTI_PASS_HQ",
            "sceneChangeDetect": "DISABLED",
            "numberBFramesBetweenReferenceFrames": 3,
            "adaptiveQuantization": "HIGH",
        }
    )
    output["containerSettings"]["m3u8Settings"] = {"pcrControl": "PCR_EVERY_PES_PACKET"}
    output["videoDescription"]["sharpness"] = 50
    tuned["outputGroups"][0]["outputGroupSettings"]["hlsGroupSettings"]["destinationSettings"] = {
        "s3Settings": {"accessControl": {"cannedAcl": "PUBLIC_READ"}}
    }
    assert parse_job_settings(tuned).request == parse_job_settings(base).request


def test_frames_gop_is_converted_with_a_warning() -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    for i in range(4):
        h264_of(settings, i).update({"gopSize": 60.0, "gopSizeUnits": "FRAMES"})
    parsed = parse_job_settings(settings)
    assert parsed.request.ladder.gop_seconds == 2
    assert len(parsed.warnings) == 4
    code, message = parsed.warnings[0]
    assert code == EMULATION_WARNING
    assert message.startswith("/outputGroups/0/outputs/0/videoDescription/codecSettings/")
    assert "60 frames" in message


def test_approximated_rate_settings_warn() -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    h264_of(settings, 0).pop("maxBitrate")  # VBR without a cap
    h264_of(settings, 1).update(
        {"rateControlMode": "QVBR", "qvbrSettings": {"qvbrQualityLevel": 7}}
    )  # keeps bitrate, which QVBR does not use
    parsed = parse_job_settings(settings)
    messages = [m for _, m in parsed.warnings]
    assert any("VBR without maxBitrate" in m for m in messages)
    assert any(m.endswith("bitrate has no effect with QVBR; maxBitrate caps") for m in messages)
    assert parsed.request.ladder.rungs[0].peak_bitrate is None


def h264_everywhere(settings: dict[str, Any], **members: Any) -> dict[str, Any]:
    for output in settings["outputGroups"][0]["outputs"]:
        output["videoDescription"]["codecSettings"]["h264Settings"].update(members)
    return settings


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"sceneChangeDetect": "DISABLED", "minIInterval": 0}, None),
        ({"sceneChangeDetect": "ENABLED", "minIInterval": 0}, None),
        ({"sceneChangeDetect": "ENABLED", "minIInterval": 12}, 12),
        ({"sceneChangeDetect": "TRANSITION_DETECTION"}, 6),
    ],
)
def test_scene_change_settings_decide_whether_cuts_start_gops(
    members: dict[str, Any], expected: int | None
) -> None:
    """MinIInterval 0: "MediaConvert will only create IDR-frames at the start of your
    output's cadence-driven GOP" (service model); blank: an automatic interval."""
    settings = wire(JobRequest.for_prefix(INPUT))
    for output in settings["outputGroups"][0]["outputs"]:
        h264 = output["videoDescription"]["codecSettings"]["h264Settings"]
        h264.pop("minIInterval")
        h264.update(members)
    assert parse_job_settings(settings).request.ladder.scene_cut_min_frames == expected


def test_a_specified_frame_rate_is_the_ladders() -> None:
    settings = h264_everywhere(
        wire(JobRequest.for_prefix(INPUT)),
        framerateControl="SPECIFIED",
        framerateNumerator=30000,
        framerateDenominator=1001,
    )
    assert parse_job_settings(settings).request.ladder.frame_rate == Fraction(30000, 1001)


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ({"rotate": "AUTO"}, RotatePolicy.AUTO),
        ({"rotate": "DEGREE_0"}, RotatePolicy.NONE),
        ({}, RotatePolicy.NONE),
        ({"rotate": "DEGREES_90"}, RotatePolicy.DEGREES_90),
        ({"rotate": "DEGREES_180"}, RotatePolicy.DEGREES_180),
        ({"rotate": "DEGREES_270"}, RotatePolicy.DEGREES_270),
    ],
)
def test_the_video_selector_decides_rotation(
    selector: dict[str, str], expected: RotatePolicy
) -> None:
    """ "By default, the service does no rotation, even if your input video has rotation
    metadata" (service model, VideoSelector.Rotate)."""
    settings = wire(JobRequest.for_prefix(INPUT))
    settings["inputs"][0]["videoSelector"] = selector
    assert parse_job_settings(settings).request.ladder.rotate is expected

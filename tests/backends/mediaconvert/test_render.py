"""Ladder -> CreateJob Settings (docs/ARCHITECTURE.md, "The settings contract")."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from tests.support.settings_builders import (
    INPUT,
    assert_valid_for_boto3,
    request,
)
from tests.support.sources import LANDSCAPE, media_info
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    DEFAULT_LADDER,
    AudioSpec,
    PortraitPolicy,
    RateControl,
    RotatePolicy,
    UpscalePolicy,
)
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings

ANAMORPHIC = media_info(1440, 1080, sar=Fraction(4, 3))
VFR = media_info(rate=Fraction(30), average_rate=Fraction(400, 19))


def test_render_default_ladder_field_by_field() -> None:
    req = JobRequest.for_prefix(INPUT)
    settings = render_job_settings(req)
    assert_valid_for_boto3(settings)

    (source,) = settings["Inputs"]
    assert source["FileInput"] == INPUT
    assert list(source["AudioSelectors"]) == ["Audio Selector 1"]
    assert source["VideoSelector"]["Rotate"] == "AUTO"

    hls_group, file_group = settings["OutputGroups"]
    assert hls_group["OutputGroupSettings"]["Type"] == "HLS_GROUP_SETTINGS"
    hls = hls_group["OutputGroupSettings"]["HlsGroupSettings"]
    assert hls["Destination"] == (
        "s3://media/video/u1/2024/01/abc-1700000000-clip_processed/hls/master"
    )
    assert hls["SegmentLength"] == 6
    assert hls["SegmentControl"] == "SEGMENTED_FILES"
    assert hls["DirectoryStructure"] == "SINGLE_DIRECTORY"
    assert hls["ManifestDurationFormat"] == "FLOATING_POINT"
    assert hls["OutputSelection"] == "MANIFESTS_AND_SEGMENTS"

    expected = [
        ("_1080p", 1920, 1080, 5_000_000, 128_000),
        ("_720p", 1280, 720, 3_000_000, 128_000),
        ("_480p", 854, 480, 1_500_000, 96_000),
        ("_360p", 640, 360, 800_000, 64_000),
    ]
    assert len(hls_group["Outputs"]) == 4
    for output, (modifier, width, height, bitrate, aac_bitrate) in zip(
        hls_group["Outputs"], expected, strict=True
    ):
        assert output["NameModifier"] == modifier
        assert output["ContainerSettings"]["Container"] == "M3U8"
        video = output["VideoDescription"]
        assert (video["Width"], video["Height"]) == (width, height)
        assert video["ScalingBehavior"] == "DEFAULT"
        assert video["CodecSettings"]["Codec"] == "H_264"
        h264 = video["CodecSettings"]["H264Settings"]
        assert h264["RateControlMode"] == "VBR"
        assert h264["Bitrate"] == bitrate
        assert h264["MaxBitrate"] == round(bitrate * 1.07)
        assert h264["CodecProfile"] == "HIGH"
        assert (h264["GopSize"], h264["GopSizeUnits"]) == (2.0, "SECONDS")
        (audio,) = output["AudioDescriptions"]
        assert audio["AudioSourceName"] == "Audio Selector 1"
        assert audio["CodecSettings"]["Codec"] == "AAC"
        aac = audio["CodecSettings"]["AacSettings"]
        assert aac == {
            "Bitrate": aac_bitrate,
            "CodingMode": "CODING_MODE_2_0",
            "SampleRate": 48_000,
            "CodecProfile": "LC",
            "RateControlMode": "CBR",
        }

    assert file_group["OutputGroupSettings"]["Type"] == "FILE_GROUP_SETTINGS"
    assert file_group["OutputGroupSettings"]["FileGroupSettings"]["Destination"].endswith(
        "clip_processed/thumbnails/master"
    )
    (capture,) = file_group["Outputs"]
    assert capture["NameModifier"] == "_thumb"
    assert capture["Extension"] == "jpg"
    assert capture["ContainerSettings"] == {"Container": "RAW"}
    assert (capture["VideoDescription"]["Width"], capture["VideoDescription"]["Height"]) == (
        1280,
        720,
    )
    codec = capture["VideoDescription"]["CodecSettings"]
    assert codec["Codec"] == "FRAME_CAPTURE"
    assert codec["FrameCaptureSettings"] == {
        "FramerateNumerator": 1,
        "FramerateDenominator": 10,
        "MaxCaptures": 10_000,
        "Quality": 80,
    }


def test_render_qvbr_and_cbr_rungs() -> None:
    qvbr = replace(DEFAULT_LADDER.rungs[0], rate_control=RateControl.QVBR, qvbr_quality=8)
    cbr = replace(DEFAULT_LADDER.rungs[1], rate_control=RateControl.CBR)
    settings = render_job_settings(request(rungs=(qvbr, cbr)))
    assert_valid_for_boto3(settings)
    first, second = (
        o["VideoDescription"]["CodecSettings"]["H264Settings"]
        for o in settings["OutputGroups"][0]["Outputs"]
    )
    assert first["RateControlMode"] == "QVBR"
    assert first["MaxBitrate"] == qvbr.max_bitrate
    assert first["QvbrSettings"] == {"QvbrQualityLevel": 8}
    assert "Bitrate" not in first
    assert second["RateControlMode"] == "CBR"
    assert second["Bitrate"] == 3_000_000
    assert "MaxBitrate" not in second


def outputs_of(settings: dict[str, Any]) -> list[dict[str, Any]]:
    outputs: list[dict[str, Any]] = settings["OutputGroups"][0]["Outputs"]
    return outputs


def h264_settings(settings: dict[str, Any]) -> list[dict[str, Any]]:
    return [o["VideoDescription"]["CodecSettings"]["H264Settings"] for o in outputs_of(settings)]


def test_render_keys_every_rung_on_the_fixed_gop_grid() -> None:
    for h264 in h264_settings(render_job_settings(JobRequest.for_prefix(INPUT))):
        assert h264["SceneChangeDetect"] == "DISABLED"
        assert h264["MinIInterval"] == 0
        assert (h264["GopSize"], h264["GopSizeUnits"], h264["GopClosedCadence"]) == (
            2.0,
            "SECONDS",
            1,
        )


def test_render_sends_the_vbv_buffer_the_ffmpeg_backend_uses() -> None:
    for rung, h264 in zip(
        DEFAULT_LADDER.rungs,
        h264_settings(render_job_settings(JobRequest.for_prefix(INPUT))),
        strict=True,
    ):
        assert h264["HrdBufferSize"] == rung.buffer_size == round(rung.video_bitrate * 1.5)
        assert h264["HrdBufferInitialFillPercentage"] == 90


def test_render_asks_for_square_pixels() -> None:
    for h264 in h264_settings(render_job_settings(JobRequest.for_prefix(INPUT), source=ANAMORPHIC)):
        assert (h264["ParControl"], h264["ParNumerator"], h264["ParDenominator"]) == (
            "SPECIFIED",
            1,
            1,
        )


def test_render_follows_the_source_frame_rate_up_to_60_fps() -> None:
    for source in (LANDSCAPE, media_info(rate=Fraction(60)), VFR):
        for h264 in h264_settings(render_job_settings(JobRequest.for_prefix(INPUT), source=source)):
            assert h264["FramerateControl"] == "INITIALIZE_FROM_SOURCE"


def test_render_sends_the_halved_rate_for_a_source_above_60_fps() -> None:
    settings = render_job_settings(
        JobRequest.for_prefix(INPUT), source=media_info(rate=Fraction(120))
    )
    assert_valid_for_boto3(settings)
    for h264 in h264_settings(settings):
        assert h264["FramerateControl"] == "SPECIFIED"
        assert (h264["FramerateNumerator"], h264["FramerateDenominator"]) == (60, 1)


def test_render_a_source_without_audio_as_a_video_only_job() -> None:
    settings = render_job_settings(JobRequest.for_prefix(INPUT), source=media_info(audio=False))
    assert_valid_for_boto3(settings)
    assert "AudioSelectors" not in settings["Inputs"][0]
    assert all("AudioDescriptions" not in o for o in outputs_of(settings))


def test_render_drop_policy_leaves_out_the_rungs_above_the_source() -> None:
    settings = render_job_settings(
        request(upscale=UpscalePolicy.DROP), source=media_info(1280, 720)
    )
    assert [o["NameModifier"] for o in outputs_of(settings)] == ["_720p", "_480p", "_360p"]
    behaviours = {o["VideoDescription"]["ScalingBehavior"] for o in outputs_of(settings)}
    assert behaviours == {"DEFAULT"}


def test_render_fit_no_upscale_policy_as_mediaconvert_setting() -> None:
    settings = render_job_settings(request(upscale=UpscalePolicy.FIT_NO_UPSCALE))
    behaviours = {o["VideoDescription"]["ScalingBehavior"] for o in outputs_of(settings)}
    assert behaviours == {"FIT_NO_UPSCALE"}
    assert len(outputs_of(settings)) == 4


def test_render_refuses_drop_without_the_source() -> None:
    with pytest.raises(ValueError, match="render with the probed source"):
        render_job_settings(request(upscale=UpscalePolicy.DROP))


def test_render_rotation_policy_as_the_video_selector() -> None:
    auto = render_job_settings(JobRequest.for_prefix(INPUT))
    none = render_job_settings(request(rotate=RotatePolicy.NONE))
    turned = render_job_settings(request(rotate=RotatePolicy.DEGREES_270))
    assert auto["Inputs"][0]["VideoSelector"] == {"Rotate": "AUTO"}
    assert none["Inputs"][0]["VideoSelector"] == {"Rotate": "DEGREE_0"}
    assert turned["Inputs"][0]["VideoSelector"] == {"Rotate": "DEGREES_270"}


def test_render_turns_the_boxes_of_a_fixed_rotation_whatever_the_metadata() -> None:
    # Stored 1280x720 without metadata, in a container AUTO would not turn: DEGREES_90 does.
    req = request(portrait=PortraitPolicy.ROTATE_BOX, rotate=RotatePolicy.DEGREES_90)
    turned = render_job_settings(req, source=media_info(1280, 720, format_name="matroska,webm"))
    assert outputs_of(turned)[1]["VideoDescription"]["Width"] == 720


def test_render_resolves_policies_with_the_source_size() -> None:
    req = request(upscale=UpscalePolicy.DROP, portrait=PortraitPolicy.ROTATE_BOX)
    with pytest.raises(ValueError, match="rotate-box"):
        render_job_settings(req)
    # A 720x1280 portrait phone video: rotated boxes, nothing above 720x1280.
    settings = render_job_settings(req, source=media_info(720, 1280))
    outputs = outputs_of(settings)
    boxes = [(o["VideoDescription"]["Width"], o["VideoDescription"]["Height"]) for o in outputs]
    assert [o["NameModifier"] for o in outputs] == ["_720p", "_480p", "_360p"]
    assert boxes == [(720, 1280), (480, 854), (360, 640)]
    capture = settings["OutputGroups"][1]["Outputs"][0]["VideoDescription"]
    assert (capture["Width"], capture["Height"]) == (720, 1280)
    parsed = parse_job_settings(to_wire_case(settings)).request.ladder
    assert [(r.name, r.width, r.height) for r in parsed.rungs] == [
        ("720p", 720, 1280),
        ("480p", 480, 854),
        ("360p", 360, 640),
    ]


def test_render_turns_the_boxes_only_when_auto_rotation_applies() -> None:
    # Stored 1280x720 with 90-degree metadata: portrait once turned, as MP4 allows it.
    req = request(portrait=PortraitPolicy.ROTATE_BOX)
    turned = render_job_settings(req, source=media_info(1280, 720, rotation=90))
    kept = render_job_settings(
        req, source=media_info(1280, 720, rotation=90, format_name="matroska,webm")
    )
    assert outputs_of(turned)[1]["VideoDescription"]["Width"] == 720
    assert outputs_of(kept)[1]["VideoDescription"]["Width"] == 1280


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"audio": AudioSpec(channels=6)}, "6 audio channels"),
        ({"audio": AudioSpec(sample_rate=47_000)}, "47000 Hz"),
        ({"audio": AudioSpec(codec="opus")}, "only AAC LC"),
        (
            {"rungs": (replace(DEFAULT_LADDER.rungs[0], audio_bitrate=100_000),)},
            "100000 is not a valid bitrate for AAC LC 2.0 at 48000 Hz",
        ),
        (
            {"rungs": (replace(DEFAULT_LADDER.rungs[0], audio_bitrate=48_000),)},
            "valid bitrates are 64000 to 576000",
        ),
        (
            {"rungs": (replace(DEFAULT_LADDER.rungs[0], width=4608, height=2592),)},
            "exceeds the maximum AVC",
        ),
        ({"rungs": (replace(DEFAULT_LADDER.rungs[0], profile="high10"),)}, "profile 'high10'"),
    ],
)
def test_render_refuses_what_mediaconvert_cannot_encode(
    changes: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        render_job_settings(request(**changes))

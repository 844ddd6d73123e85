"""Ladder -> CreateJob Settings (docs/ARCHITECTURE.md, "The settings contract")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.backends.mediaconvert.settings_builders import (
    INPUT,
    assert_valid_for_boto3,
    request,
)
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import (
    DEFAULT_LADDER,
    AudioSpec,
    PortraitPolicy,
    RateControl,
    UpscalePolicy,
)
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.render import render_job_settings


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


def test_render_drop_policy_is_fit_no_upscale() -> None:
    settings = render_job_settings(request(upscale=UpscalePolicy.DROP))
    behaviours = {
        o["VideoDescription"]["ScalingBehavior"] for o in settings["OutputGroups"][0]["Outputs"]
    }
    assert behaviours == {"FIT_NO_UPSCALE"}


def test_render_resolves_policies_with_the_source_size() -> None:
    req = request(upscale=UpscalePolicy.DROP, portrait=PortraitPolicy.ROTATE_BOX)
    with pytest.raises(ValueError, match="ROTATE_BOX"):
        render_job_settings(req)
    # A 720x1280 portrait phone video: rotated boxes, nothing above 720x1280.
    settings = render_job_settings(req, source_size=(720, 1280))
    outputs = settings["OutputGroups"][0]["Outputs"]
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
    assert parsed.upscale is UpscalePolicy.DROP


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"audio": AudioSpec(channels=6)}, "6 audio channels"),
        ({"audio": AudioSpec(sample_rate=47_000)}, "47000 Hz"),
        ({"audio": AudioSpec(codec="opus")}, "only AAC LC"),
        (
            {"rungs": (replace(DEFAULT_LADDER.rungs[0], audio_bitrate=100_000),)},
            "100000 is not an AAC bitrate",
        ),
        ({"rungs": (replace(DEFAULT_LADDER.rungs[0], profile="high10"),)}, "profile 'high10'"),
    ],
)
def test_render_refuses_what_mediaconvert_cannot_encode(
    changes: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        render_job_settings(request(**changes))

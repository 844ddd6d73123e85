"""Automated ABR's limits as the service model (``AutomatedAbrSettings``) and the user guide
("Automated ABR rules") document them, on the emulator's deterministic ladder."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.support.settings_builders import wire
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel.automated_abr import AbrSettingsError, automated_ladder, expanded
from vod_testbed.backends.jobmodel.codecs import H264, Aac
from vod_testbed.backends.jobmodel.inputs import AutomatedAbr, Resolution
from vod_testbed.backends.jobmodel.model import (
    AudioDescription,
    HlsGroup,
    Input,
    JobSpec,
    M3u8,
    Output,
    VideoDescription,
)
from vod_testbed.backends.ladder import RateControl
from vod_testbed.backends.mediaconvert.coverage import SettingsError
from vod_testbed.backends.mediaconvert.model import ValidationError
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.backends.mediaconvert.parse_inputs import automated_abr


def abr(settings: dict[str, Any]) -> AutomatedAbr:
    """``abrSettings`` (wire form) read as the parser reads it."""
    read = automated_abr({"automatedEncodingSettings": {"abrSettings": settings}}, "/g")
    assert read is not None
    return read


HD = Resolution(1920, 1080)
SMALL = {"width": 512, "height": 288}
QHD = {"width": 960, "height": 540}


def test_defaults_give_a_ladder_from_the_source_down_within_aws_bitrates() -> None:
    ladder = automated_ladder(HD, None, abr({}))
    assert (ladder[0].width, ladder[0].height) == (1920, 1080)
    # "If you don't specify a value, MediaConvert uses 8,000,000" / "600,000".
    assert ladder[0].max_bitrate == 8_000_000
    assert ladder[-1].max_bitrate == 600_000
    assert len(ladder) <= 15  # MaxRenditions defaults to 15
    assert [r.max_bitrate for r in ladder] == sorted((r.max_bitrate for r in ladder), reverse=True)
    assert all(r.qvbr_quality == 7 for r in ladder)
    assert automated_ladder(HD, None, abr({})) == ladder  # deterministic


def test_limits_are_honoured() -> None:
    ladder = automated_ladder(
        HD,
        Resolution(1280, 720),  # the base output's Width x Height: the maximum resolution
        abr({"maxRenditions": 3, "maxAbrBitrate": 5_000_000, "minAbrBitrate": 400_000,
             "maxQualityLevel": 8}),
    )  # fmt: skip
    assert (ladder[0].width, ladder[0].height) == (1280, 720)
    assert len(ladder) == 3
    assert (ladder[0].max_bitrate, ladder[-1].max_bitrate) == (5_000_000, 400_000)
    assert {r.qvbr_quality for r in ladder} == {8}


def test_rules_min_bottom_and_force_include() -> None:
    # "If you specify 512x288, the lowest resolution in your ABR stack is greater than or
    # equal to 512x288."
    ladder = automated_ladder(
        HD,
        None,
        abr({
            "maxRenditions": 4,
            "rules": [
                {"type": "MIN_BOTTOM_RENDITION_SIZE", "minBottomRenditionSize": SMALL},
                {"type": "FORCE_INCLUDE_RENDITIONS", "forceIncludeRenditions": [QHD]},
            ],
        }),
    )  # fmt: skip
    sizes = [(r.width, r.height) for r in ladder]
    assert (960, 540) in sizes and len(sizes) == 4
    assert min(w * h for w, h in sizes) >= 512 * 288


def test_allowed_renditions_only_and_required_ones_kept() -> None:
    allowed: list[dict[str, Any]] = [
        {"width": 1280, "height": 720, "required": "ENABLED"},
        {"width": 640, "height": 360},
        {"width": 1920, "height": 1080},
        {"width": 960, "height": 540},
    ]
    ladder = automated_ladder(
        HD,
        None,
        abr(
            {
                "maxRenditions": 3,
                "rules": [{"type": "ALLOWED_RENDITIONS", "allowedRenditions": allowed}],
            }
        ),
    )
    sizes = {(r.width, r.height) for r in ladder}
    assert (1280, 720) in sizes and len(sizes) == 3
    assert sizes <= {(a["width"], a["height"]) for a in allowed}


def test_contradicting_rules_are_refused() -> None:
    # "Allowed renditions ... Force include renditions cannot be not specified" (sic): the
    # two rules exclude each other.
    rules = [
        {"type": "ALLOWED_RENDITIONS", "allowedRenditions": [QHD]},
        {"type": "FORCE_INCLUDE_RENDITIONS", "forceIncludeRenditions": [QHD]},
    ]  # fmt: skip
    with pytest.raises(SettingsError, match="cannot be used together"):
        abr({"rules": rules})
    with pytest.raises(SettingsError, match="minAbrBitrate is above"):
        abr({"minAbrBitrate": 9_000_000})
    with pytest.raises(AbrSettingsError, match="minAbrBitrate is above"):
        automated_ladder(HD, None, AutomatedAbr(min_bitrate=9_000_000))


def test_a_groups_base_output_becomes_the_ladder() -> None:
    base = Output(M3u8(), "_video", video=VideoDescription(H264(), width=1280, height=720))
    audio = Output(M3u8(), "_audio", audio=(AudioDescription(Aac()),))
    group = HlsGroup("s3://b/out/master", (base, audio), automated_abr=abr({"maxRenditions": 3}))
    spec, warnings = expanded(JobSpec((Input("s3://b/in.mp4"),), (group,)), HD)
    outputs = spec.output_groups[0].outputs
    assert [o.name_modifier for o in outputs] == [
        "_video_1280x720",
        "_video_640x360",
        "_video_320x180",
        "_audio",
    ]
    first = outputs[0].video
    assert first is not None and isinstance(first.codec, H264)
    assert first.codec.rate.mode is RateControl.QVBR
    assert first.codec.rate.peak_bitrate == 8_000_000
    assert "deterministic ladder" in warnings[0]


def test_an_automated_abr_output_needs_no_box_but_a_plain_hls_output_does() -> None:
    # Width and Height blank mean the source's resolution (service model,
    # VideoDescription.Width); automated ABR then sizes each rendition itself.
    settings = wire(JobRequest.for_prefix("s3://b/in.mp4"))
    group = settings["outputGroups"][0]
    group["outputs"] = group["outputs"][:1]
    for key in ("width", "height"):
        del group["outputs"][0]["videoDescription"][key]
    with pytest.raises(ValidationError, match="width is required"):
        parse_job_settings(copy.deepcopy(settings))

    group["automatedEncodingSettings"] = {"abrSettings": {"maxRenditions": 3}}
    parsed = parse_job_settings(settings)
    groups = [g for g in parsed.job.output_groups if isinstance(g, HlsGroup)]
    video = groups[0].outputs[0].video
    assert video is not None and (video.width, video.height) == (0, 0)
    assert groups[0].automated_abr is not None

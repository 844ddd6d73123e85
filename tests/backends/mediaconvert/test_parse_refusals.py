"""Settings the ladder cannot express are refused, each named by its JSON pointer."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.settings_builders import (
    INPUT,
    aac_of,
    h264_of,
    hls_of,
    output_of,
    wire,
)
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.mediaconvert.model import ValidationError
from vod_testbed.backends.mediaconvert.parse import parse_job_settings


def _as_h265(codec_settings: dict[str, Any], profile: str) -> None:
    """An H.264 output's codec settings made H.265 with the same rate and GOP."""
    h264 = codec_settings.pop("h264Settings")
    h264.pop("codecProfile", None)
    codec_settings.update({"codec": "H_265", "h265Settings": {**h264, "codecProfile": profile}})


def _extra_group(kind: str) -> Callable[[dict[str, Any]], None]:
    def mutate(s: dict[str, Any]) -> None:
        group = copy.deepcopy(s["outputGroups"][0])
        group["outputGroupSettings"]["type"] = kind
        s["outputGroups"].append(group)

    return mutate


REFUSALS: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    (
        "smooth-group",
        _extra_group("MS_SMOOTH_GROUP_SETTINGS"),
        "/outputGroups/2/outputGroupSettings/type",
        "MS_SMOOTH_GROUP_SETTINGS output groups are not supported",
    ),
    (
        "two-hls-groups-on-one-destination",
        _extra_group("HLS_GROUP_SETTINGS"),
        "/outputGroups/2/outputGroupSettings/hlsGroupSettings/destination",
        "as /outputGroups/0/outputGroupSettings/hlsGroupSettings/destination does",
    ),
    (
        # "You can have up to 150 inputs in a job" (user guide).
        "151-inputs",
        lambda s: s["inputs"].extend(copy.deepcopy(s["inputs"][0]) for _ in range(150)),
        "/inputs",
        "at most 150 inputs",
    ),
    (
        # "Multiple clips must be in chronological order and can't overlap" (user guide).
        "input-clips-out-of-order",
        lambda s: s["inputs"][0].update(
            {
                "inputClippings": [
                    {"startTimecode": "00:00:02:00", "endTimecode": "00:00:03:00"},
                    {"startTimecode": "00:00:01:00", "endTimecode": "00:00:01:10"},
                ]
            }
        ),
        "/inputs/0/inputClippings/1/startTimecode",
        "chronological order",
    ),
    (
        "http-input",
        lambda s: s["inputs"][0].update({"fileInput": "https://example.com/a.mp4"}),
        "/inputs/0/fileInput",
        "only s3://",
    ),
    (
        "host-path-input",
        lambda s: s["inputs"][0].update({"fileInput": "/etc/passwd"}),
        "/inputs/0/fileInput",
        "'/etc/passwd' does not match",
    ),
    (
        "http-input",
        lambda s: s["inputs"][0].update({"fileInput": "https://example.com/clip.mp4"}),
        "/inputs/0/fileInput",
        "only s3://",
    ),
    (
        "captions",
        lambda s: output_of(s).update({"captionDescriptions": [{"captionSelectorName": "c"}]}),
        "/outputGroups/0/outputs/0/captionDescriptions/0/captionSelectorName",
        "names no caption selector of the input",
    ),
    (
        "drm",
        lambda s: hls_of(s).update({"encryption": {"type": "SPEKE"}}),
        "/outputGroups/0/outputGroupSettings/hlsGroupSettings/encryption/type",
        "SPEKE key providers are not supported by the emulator",
    ),
    (
        "single-file",
        lambda s: hls_of(s).update({"segmentControl": "SINGLE_FILE"}),
        "/outputGroups/0/outputGroupSettings/hlsGroupSettings/segmentControl",
        "'SINGLE_FILE' is not supported",
    ),
    (
        "subdirectories",
        lambda s: hls_of(s).update({"directoryStructure": "SUBDIRECTORY_PER_STREAM"}),
        "/outputGroups/0/outputGroupSettings/hlsGroupSettings/directoryStructure",
        "'SUBDIRECTORY_PER_STREAM' is not supported",
    ),
    (
        "unknown-key",
        lambda s: hls_of(s).update({"fooBar": 1}),
        "/outputGroups/0/outputGroupSettings/hlsGroupSettings/fooBar",
        "fooBar is not a member of HlsGroupSettings in MediaConvert's API",
    ),
    (
        "h265-main10",
        lambda s: _as_h265(output_of(s)["videoDescription"]["codecSettings"], "MAIN10_MAIN"),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h265Settings/codecProfile",
        "only 8-bit Main H.265 is written in HLS groups",
    ),
    (
        "stretch",
        lambda s: output_of(s)["videoDescription"].update({"scalingBehavior": "STRETCH_TO_OUTPUT"}),
        "/outputGroups/0/outputs/0/videoDescription/scalingBehavior",
        "'STRETCH_TO_OUTPUT' is not supported",
    ),
    (
        "mixed-scaling",
        lambda s: output_of(s, 1)["videoDescription"].update({"scalingBehavior": "FIT_NO_UPSCALE"}),
        "/outputGroups/0/outputs/1/videoDescription/scalingBehavior",
        "same scalingBehavior",
    ),
    (
        "odd-width",
        lambda s: output_of(s)["videoDescription"].update({"width": 853}),
        "/outputGroups/0/outputs/0/videoDescription/width",
        "must be even",
    ),
    (
        "tiny-width",
        lambda s: output_of(s)["videoDescription"].update({"width": 16}),
        "/outputGroups/0/outputs/0/videoDescription/width",
        "16 is less than the minimum of 32",
    ),
    (
        "no-box",
        lambda s: output_of(s)["videoDescription"].pop("height"),
        "/outputGroups/0/outputs/0/videoDescription",
        "height is required by the emulator",
    ),
    (
        "profile-10bit",
        lambda s: h264_of(s).update({"codecProfile": "HIGH_10BIT"}),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/codecProfile",
        "'HIGH_10BIT' is not supported",
    ),
    (
        "qvbr-level-11",
        lambda s: h264_of(s).update(
            {"rateControlMode": "QVBR", "qvbrSettings": {"qvbrQualityLevel": 11}}
        ),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/qvbrSettings/qvbrQualityLevel",
        "11 is greater than the maximum of 10",
    ),
    (
        "qvbr-without-cap",
        lambda s: (h264_of(s).update({"rateControlMode": "QVBR"}), h264_of(s).pop("maxBitrate")),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings",
        "maxBitrate is required when rateControlMode is QVBR",
    ),
    (
        "cbr-without-bitrate",
        lambda s: (h264_of(s).update({"rateControlMode": "CBR"}), h264_of(s).pop("bitrate")),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings",
        "bitrate is required when rateControlMode is CBR",
    ),
    (
        "gop-differs-between-outputs",
        lambda s: h264_of(s, 2).update({"gopSize": 3.0}),
        "/outputGroups/0/outputs/2/videoDescription/codecSettings/h264Settings/gopSize",
        "the same gopSize",
    ),
    (
        "missing-modifier",
        lambda s: output_of(s, 1).pop("nameModifier"),
        "/outputGroups/0/outputs/1",
        "nameModifier is required when the group has several outputs",
    ),
    (
        "rung-name-ffmpeg-cannot-map",
        lambda s: output_of(s).update({"nameModifier": "_100%"}),
        "/outputGroups/0",
        "rung name '100%': use letters, digits",
    ),
    (
        "modifier-without-underscore",
        lambda s: output_of(s).update({"nameModifier": "1080p"}),
        "/outputGroups/0/outputs/0/nameModifier",
        "'_<rung name>'",
    ),
    (
        "duplicate-modifier",
        lambda s: output_of(s, 1).update({"nameModifier": "_1080p"}),
        "/outputGroups/0/outputs/1/nameModifier",
        "used by another output",
    ),
    (
        "format-identifier",
        lambda s: output_of(s).update({"nameModifier": "_$h$p"}),
        "/outputGroups/0/outputs/0/nameModifier",
        "format identifiers",
    ),
    (
        "audio-in-some-outputs-only",
        lambda s: output_of(s).pop("audioDescriptions"),
        "/outputGroups/0/outputs/1/audioDescriptions",
        "needs audio, or none does",
    ),
    (
        "input-without-audio-selectors",
        lambda s: s["inputs"][0].pop("audioSelectors"),
        "/outputGroups/0/outputs/0/audioDescriptions/0/audioSourceName",
        "does not name an audio selector",
    ),
    (
        "aac-bitrate-off-the-list",
        lambda s: aac_of(s).update({"bitrate": 100_000}),
        "/outputGroups/0/outputs/0/audioDescriptions/0/codecSettings/aacSettings/bitrate",
        "100000 is not a valid AAC bitrate",
    ),
    (
        "aac-5-1",
        lambda s: aac_of(s).update({"codingMode": "CODING_MODE_5_1"}),
        "/outputGroups/0/outputs/0/audioDescriptions/0/codecSettings/aacSettings/codingMode",
        "'CODING_MODE_5_1' is not supported",
    ),
    (
        "negative-gop",
        lambda s: h264_of(s).update({"gopSize": -2.0}),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/gopSize",
        "a positive gopSize",
    ),
    (
        "mp3-audio",
        lambda s: output_of(s)["audioDescriptions"][0]["codecSettings"].update({"codec": "MP3"}),
        "/outputGroups/0/outputs/0/audioDescriptions/0/codecSettings/codec",
        "MP3 in HLS outputs is not supported",
    ),
    (
        "non-square-pixels",
        lambda s: h264_of(s).update({"parNumerator": 2, "parDenominator": 1}),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings/parNumerator",
        "a 2:1 pixel aspect ratio is not supported",
    ),
    (
        "specified-rate-without-fraction",
        lambda s: h264_of(s).update({"framerateControl": "SPECIFIED"}),
        "/outputGroups/0/outputs/0/videoDescription/codecSettings/h264Settings",
        "framerateNumerator and framerateDenominator are required",
    ),
    (
        "frame-rate-differs-between-outputs",
        lambda s: h264_of(s, 1).update(
            {"framerateControl": "SPECIFIED", "framerateNumerator": 25, "framerateDenominator": 1}
        ),
        "/outputGroups/0/outputs/1/videoDescription/codecSettings/h264Settings/framerateControl",
        "the same framerateControl",
    ),
    (
        "scene-cuts-in-one-output-only",
        lambda s: h264_of(s, 3).update({"sceneChangeDetect": "ENABLED", "minIInterval": 5}),
        "/outputGroups/0/outputs/3/videoDescription/codecSettings/h264Settings/sceneChangeDetect",
        "the same sceneChangeDetect",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [pytest.param(m, p, f, id=name) for name, m, p, f in REFUSALS],
)
def test_settings_it_cannot_honour_are_refused_by_path(
    mutate: Callable[[dict[str, Any]], Any], path: str, fragment: str
) -> None:
    settings = wire(JobRequest.for_prefix(INPUT))
    mutate(settings)
    with pytest.raises(ValidationError) as caught:
        parse_job_settings(settings)
    assert caught.value.path == path
    assert fragment in caught.value.message
    assert str(caught.value) == f"{path}: {caught.value.message}"
